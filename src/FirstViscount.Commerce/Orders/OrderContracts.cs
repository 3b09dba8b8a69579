namespace FirstViscount.Commerce.Orders;

/// <summary>Pending → Reserved → Paid → Confirmed; or Cancelled, or Failed with a reason.</summary>
public enum OrderStatus { Pending, Reserved, Paid, Confirmed, Cancelled, Failed }

public sealed record OrderLine(string Sku, string Name, int Quantity, decimal UnitPrice)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

public sealed record ShippingAddress(string Name, string Line1, string? Line2, string City, string PostalCode, string Country);

public sealed record PlaceOrder(string CustomerId, IReadOnlyList<OrderLine> Lines, string Currency, ShippingAddress ShippingAddress);

public sealed record OrderView(string OrderId, string CustomerId, OrderStatus Status, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? FailureReason);

/// <summary>One entry of an order's audit trail.</summary>
public sealed record OrderHistoryEntry(long Version, string Type, DateTimeOffset At, string? Actor, string? CorrelationId, string Payload);

/// <summary>The order can no longer make that move (e.g. cancel a confirmed order).</summary>
public sealed class OrderStateConflictException(string message) : FirstViscountException(message);

public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order; placing it again returns it unchanged.</summary>
    Task<OrderView> Place(PlaceOrder order);

    Task<OrderView> MarkReserved();

    Task<OrderView> MarkPaid(string paymentReference);

    Task<OrderView> Confirm();

    Task<OrderView> Cancel(string reason);

    Task<OrderView> Fail(string reason);

    /// <summary>The order, or null if it was never placed.</summary>
    [ReadOnly]
    Task<OrderView?> Get();

    [ReadOnly]
    Task<IReadOnlyList<OrderHistoryEntry>> History();
}
