using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Delivery;

[EventType("shipment.created")]
public sealed record ShipmentCreated(string ShipmentId, string OrderId, string Carrier, string TrackingNumber, string Country, int WeightGrams, DateOnly EstimatedDelivery);

[EventType("shipment.label-created")]
public sealed record ShipmentLabelCreated(string ShipmentId, string OrderId, string LabelReference);

/// <summary>A carrier's report, as it came (the status it names and when it happened), whatever order it arrived in.</summary>
[EventType("shipment.tracked")]
public sealed record ShipmentTracked(string ShipmentId, string OrderId, string CarrierEventId, ShipmentStatus Status, string CarrierStatus,
    string Location, string Description, DateTimeOffset OccurredAt);

[EventType("shipment.cancelled")]
public sealed record ShipmentCancelled(string ShipmentId, string OrderId, string Reason);
