using FirstViscount.Commerce.Catalog;

namespace FirstViscount.Commerce.Carts;

public sealed class CartState
{
    public List<CartItem> Items { get; set; } = [];
    public string Currency { get; set; } = "EUR";
    public long Version { get; set; }
}

[GrainType("cart")]
public sealed class CartGrain([PersistentState("cart", "carts")] IPersistentState<CartState> cart, IProductCatalog catalog) : Grain, ICartGrain
{
    public const int MaxQuantity = 100;

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
        return await SaveAsync();
    }

    public async Task<CartView> RemoveItem(string sku)
    {
        return cart.State.Items.RemoveAll(i => i.Sku == sku) == 0 ? View() : await SaveAsync();
    }

    public async Task Clear()
    {
        if (cart.RecordExists)
        {
            await cart.ClearStateAsync();
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

    private CartView View() => new(cart.State.Items, cart.State.Items.Sum(i => i.LineTotal), cart.State.Currency, cart.State.Version);
}
