using FirstViscount.Commerce.Catalog;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Carts;

/// <summary>
/// A cart in Redis (storage "carts"). After each change its activity is appended to the cart's stream in the
/// event log (for analytics); if that append fails the call fails, so a retry records it, and a cart change is
/// never silent.
/// </summary>
[GrainType("cart")]
[Orleans.Placement.RandomPlacement] // fresh grains spread over the silos (measured: PlacementTests)
public sealed class CartGrain(
    [PersistentState("cart", CommerceStorage.Carts)] IPersistentState<CartState> cart,
    IProductCatalog catalog,
    IEventStore events,
    EventSerializer serializer,
    TimeProvider time) : Grain, ICartGrain
{
    public const int MaxQuantity = 100;

    private string CartId => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public Task<CartView> Get() => Task.FromResult(View());

    public async Task<CartView> SetItem(string sku, int quantity)
    {
        if (quantity is < 0 or > MaxQuantity)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"The quantity must be 0 to {MaxQuantity}.");
        }
        var existing = cart.State.Items.FindIndex(i => i.Sku == sku);
        if (quantity == 0)
        {
            return existing < 0 ? View() : await RemoveItem(sku);
        }
        var created = cart.State.Items.Count == 0;
        if (existing >= 0)
        {
            cart.State.Items[existing] = cart.State.Items[existing] with { Quantity = quantity };
        }
        else
        {
            var product = await catalog.FindAsync(sku, CancellationToken.None) ?? throw new UnknownSkuException($"There is no product with sku '{sku}'.");
            if (cart.State.Items.Count > 0 && product.Currency != cart.State.Currency)
            {
                throw new ArgumentException($"The cart is in {cart.State.Currency}; '{sku}' is priced in {product.Currency}.", nameof(sku));
            }
            cart.State.Currency = product.Currency;
            cart.State.Items.Add(new CartItem(sku, product.Name, quantity, product.Price));
        }
        var view = await SaveAsync();
        var line = cart.State.Items.Find(i => i.Sku == sku)!;
        var itemSet = new CartItemSet(CartId, sku, quantity, line.UnitPrice, Now);
        await RecordAsync(created ? [new CartCreated(CartId, CartId, Now), itemSet] : [itemSet]);
        return view;
    }

    public async Task<CartView> RemoveItem(string sku)
    {
        if (cart.State.Items.RemoveAll(i => i.Sku == sku) == 0)
        {
            return View();
        }
        var view = await SaveAsync();
        await RecordAsync([new CartItemRemoved(CartId, sku, Now)]);
        return view;
    }

    public async Task Clear()
    {
        if (cart.RecordExists)
        {
            await cart.ClearStateAsync();
            await RecordAsync([new CartCleared(CartId, Now)]);
        }
    }

    public async Task<CartView> Reprice()
    {
        var changed = false;
        for (var i = 0; i < cart.State.Items.Count; i++)
        {
            var item = cart.State.Items[i];
            if (await catalog.FindAsync(item.Sku, CancellationToken.None) is { } current && current.Price != item.UnitPrice)
            {
                cart.State.Items[i] = item with { UnitPrice = current.Price, PriceChanged = true };
                changed = true;
            }
        }
        return changed ? await SaveAsync() : View();
    }

    private async Task<CartView> SaveAsync()
    {
        cart.State.Version++;
        await cart.WriteStateAsync();
        return View();
    }

    private async Task RecordAsync(IReadOnlyList<object> activity) =>
        await events.AppendAsync($"cart-{CartId}", ExpectedVersion.Any, [.. activity.Select(e => serializer.Serialize(e, new EventMetadata()))], CancellationToken.None);

    private CartView View() => new(cart.State.Items, cart.State.Items.Sum(i => i.LineTotal), cart.State.Currency, cart.State.Version);
}
