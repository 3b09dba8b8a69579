using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Orders;

[EventType("order.placed")]
public sealed record OrderPlaced(string OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency, ShippingAddress ShippingAddress, DateTimeOffset At);

[EventType("order.reserved")]
public sealed record OrderReserved(string OrderId, DateTimeOffset At);

[EventType("order.paid")]
public sealed record OrderPaid(string OrderId, string PaymentReference, decimal Total, string Currency, DateTimeOffset At);

[EventType("order.confirmed")]
public sealed record OrderConfirmed(string OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency, DateTimeOffset At);

[EventType("order.cancelled")]
public sealed record OrderCancelled(string OrderId, string Reason, DateTimeOffset At);

[EventType("order.failed")]
public sealed record OrderFailed(string OrderId, string Reason, DateTimeOffset At);

/// <summary>The order's parcel left with the carrier (the shipment's first report that it is on its way).</summary>
[EventType("order.shipped")]
public sealed record OrderShipped(string OrderId, string CustomerId, string Carrier, string TrackingNumber, DateTimeOffset At);

[EventType("order.delivered")]
public sealed record OrderDelivered(string OrderId, string CustomerId, string Carrier, string TrackingNumber, DateTimeOffset At);
