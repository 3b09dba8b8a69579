using FirstViscount.Commerce.Delivery;

namespace FirstViscount.Commerce.Orders;

/// <summary>
/// Pending → Reserved → Paid → Confirmed → Shipped → Delivered (following its shipment); or Cancelled, or Failed with a
/// reason. New statuses go at the end: grain state and messages carry the number.
/// </summary>
public enum OrderStatus { Pending, Reserved, Paid, Confirmed, Cancelled, Failed, Shipped, Delivered }

[GenerateSerializer, Alias("fv.order-line")]
public sealed record OrderLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] int Quantity,
    [property: Id(3)] decimal UnitPrice)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

[GenerateSerializer, Alias("fv.shipping-address")]
public sealed record ShippingAddress(
    [property: Id(0)] string Name,
    [property: Id(1)] string Line1,
    [property: Id(2)] string? Line2,
    [property: Id(3)] string City,
    [property: Id(4)] string PostalCode,
    [property: Id(5)] string Country);

[GenerateSerializer, Alias("fv.place-order")]
public sealed record PlaceOrder(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<OrderLine> Lines,
    [property: Id(2)] string Currency,
    [property: Id(3)] ShippingAddress ShippingAddress);

[GenerateSerializer, Alias("fv.order-view")]
public sealed record OrderView(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] IReadOnlyList<OrderLine> Lines,
    [property: Id(4)] decimal Total,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string? FailureReason);

/// <summary>One entry of an order's audit trail; <see cref="Payload"/> is the event's JSON.</summary>
[GenerateSerializer, Alias("fv.order-history-entry")]
public sealed record OrderHistoryEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Actor,
    [property: Id(4)] string? CorrelationId,
    [property: Id(5)] string Payload);

/// <summary>The order can no longer make that move (e.g. cancel a confirmed order).</summary>
[GenerateSerializer, Alias("fv.order-state-conflict")]
public sealed class OrderStateConflictException(string message) : FirstViscountException(message);

[Alias("fv.order")]
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order; placing it again returns it unchanged.</summary>
    [Alias("place")]
    Task<OrderView> Place(PlaceOrder order);

    [Alias("mark-reserved")]
    Task<OrderView> MarkReserved();

    [Alias("mark-paid")]
    Task<OrderView> MarkPaid(string paymentReference);

    [Alias("confirm")]
    Task<OrderView> Confirm();

    [Alias("cancel")]
    Task<OrderView> Cancel(string reason);

    [Alias("fail")]
    Task<OrderView> Fail(string reason);

    /// <summary>
    /// Moves a confirmed order to where its shipment is: Shipped once the parcel is on its way, Delivered once it
    /// arrived. An order not yet confirmed, or already there, is left as it is (its saga follows the shipment once it
    /// confirms), so the shipment may call this for every report. Null when the order was never placed.
    /// </summary>
    [Alias("follow-shipment")]
    Task<OrderView?> FollowShipment(ShipmentProgress shipment);

    /// <summary>The order, or null if it was never placed.</summary>
    [ReadOnly, Alias("get")]
    Task<OrderView?> Get();

    [ReadOnly, Alias("history")]
    Task<IReadOnlyList<OrderHistoryEntry>> History();
}
