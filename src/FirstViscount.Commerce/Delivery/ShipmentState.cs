using System.Text.Json.Serialization;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// A shipment folded from its events. Carriers report out of order and twice: a report is kept once per carrier event
/// id, and the status is that of the report that happened last (not the one that arrived last), so a late
/// "in transit" never undoes "delivered". A cancelled shipment stays cancelled. It round-trips through JSON (the
/// shipments read model keeps it so).
/// </summary>
public sealed class ShipmentState
{
    private List<TrackingUpdate> events = [];

    [JsonInclude] public string? OrderId { get; private set; }
    [JsonInclude] public string Carrier { get; private set; } = "";
    [JsonInclude] public string TrackingNumber { get; private set; } = "";
    [JsonInclude] public DateOnly EstimatedDelivery { get; private set; }
    [JsonInclude] public string? LabelReference { get; private set; }
    [JsonInclude] public bool Cancelled { get; private set; }

    /// <summary>The carrier's reports in the order they happened.</summary>
    [JsonInclude]
    public IReadOnlyList<TrackingUpdate> Events
    {
        get => events;
        private set => events = [.. value];
    }

    [JsonIgnore] public bool Exists => OrderId is not null;

    [JsonIgnore]
    public ShipmentStatus Status => Cancelled ? ShipmentStatus.Cancelled
        : events.Count > 0 ? events[^1].Status
        : LabelReference is null ? ShipmentStatus.Pending : ShipmentStatus.LabelCreated;

    /// <summary>Reports per shipment are a handful: a scan is cheaper than keeping a set beside them.</summary>
    public bool HasReport(string carrierEventId) => events.Exists(report => report.CarrierEventId == carrierEventId);

    public void Apply(object @event)
    {
        switch (@event)
        {
            case ShipmentCreated e:
                (OrderId, Carrier, TrackingNumber, EstimatedDelivery) = (e.OrderId, e.Carrier, e.TrackingNumber, e.EstimatedDelivery);
                break;
            case ShipmentLabelCreated e:
                LabelReference = e.LabelReference;
                break;
            case ShipmentTracked e when !HasReport(e.CarrierEventId):
                var report = new TrackingUpdate(e.CarrierEventId, e.Status, e.CarrierStatus, e.Location, e.Description, e.OccurredAt);
                var at = events.FindLastIndex(earlier => earlier.OccurredAt <= e.OccurredAt) + 1; // after those that happened before it
                events.Insert(at, report);
                break;
            case ShipmentTracked:
                break; // the same report again
            case ShipmentCancelled:
                Cancelled = true;
                break;
            default:
                throw new FirstViscountException($"A shipment cannot apply {@event.GetType().Name}.");
        }
    }

    public ShipmentView View(string shipmentId) => new(shipmentId, OrderId!, Status, Carrier, TrackingNumber, EstimatedDelivery, [.. events]);
}
