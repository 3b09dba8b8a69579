using FirstViscount.Commerce.Orders;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// What an order's parcel weighs. The catalog carries no weights yet, so every unit counts as
/// <see cref="GramsPerUnit"/>; carriers are chosen on that (CarrierRules).
/// </summary>
public static class ParcelWeight
{
    public const int GramsPerUnit = 500;

    public static int Of(IEnumerable<OrderLine> lines) => (int)Math.Min(int.MaxValue, lines.Sum(line => (long)line.Quantity) * GramsPerUnit);
}
