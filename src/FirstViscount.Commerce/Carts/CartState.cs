namespace FirstViscount.Commerce.Carts;

/// <summary>A cart as stored in Redis.</summary>
[GenerateSerializer, Alias("fv.cart-state")]
public sealed class CartState
{
    [Id(0)]
    public List<CartItem> Items { get; set; } = [];

    [Id(1)]
    public string Currency { get; set; } = "EUR";

    /// <summary>Counts the cart's changes; shown to clients as the cart's version.</summary>
    [Id(2)]
    public long Version { get; set; }
}
