namespace FirstViscount.Commerce.Carts;

/// <summary>A cart line: the price captured when the item was added, and whether the catalog's price has changed since.</summary>
[GenerateSerializer, Alias("fv.cart-item")]
public sealed record CartItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] int Quantity,
    [property: Id(3)] decimal UnitPrice,
    [property: Id(4)] bool PriceChanged = false)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

[GenerateSerializer, Alias("fv.cart-view")]
public sealed record CartView(
    [property: Id(0)] IReadOnlyList<CartItem> Items,
    [property: Id(1)] decimal Total,
    [property: Id(2)] string Currency,
    [property: Id(3)] long Version);

/// <summary>The sku is not in the catalog.</summary>
[GenerateSerializer, Alias("fv.unknown-sku")]
public sealed class UnknownSkuException(string message) : FirstViscountException(message);

/// <summary>
/// A customer's cart (keyed by customer id), kept in Redis with a 7-day time to live: session consistency,
/// not an order. Prices are captured when an item is added and re-checked before checkout.
/// </summary>
[Alias("fv.cart")]
public interface ICartGrain : IGrainWithStringKey
{
    [ReadOnly, Alias("get")]
    Task<CartView> Get();

    /// <summary>Sets a line's quantity (0 removes it; at most 100), capturing the current price when the item is new.</summary>
    [Alias("set-item")]
    Task<CartView> SetItem(string sku, int quantity);

    [Alias("remove-item")]
    Task<CartView> RemoveItem(string sku);

    [Alias("clear")]
    Task Clear();

    /// <summary>The cart with every line's price compared with the catalog; changed lines carry the new price and a flag.</summary>
    [Alias("reprice")]
    Task<CartView> Reprice();
}
