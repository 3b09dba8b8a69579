namespace FirstViscount.Commerce.Carts;

/// <summary>A cart line: the price captured when the item was added, and whether the catalog's price has changed since.</summary>
public sealed record CartItem(string Sku, string Name, int Quantity, decimal UnitPrice, bool PriceChanged = false)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

public sealed record CartView(IReadOnlyList<CartItem> Items, decimal Total, string Currency, long Version);

/// <summary>The sku is not in the catalog.</summary>
public sealed class UnknownSkuException(string message) : FirstViscountException(message);

/// <summary>
/// A customer's cart (keyed by customer id), kept in Redis with a 7-day time to live: session consistency,
/// not an order. Prices are captured when an item is added and re-checked before checkout.
/// </summary>
public interface ICartGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<CartView> Get();

    /// <summary>Sets a line's quantity (0 removes it; at most 100), capturing the current price when the item is new.</summary>
    Task<CartView> SetItem(string sku, int quantity);

    Task<CartView> RemoveItem(string sku);

    Task Clear();

    /// <summary>The cart with every line's price compared with the catalog; changed lines carry the new price and a flag.</summary>
    Task<CartView> Reprice();
}
