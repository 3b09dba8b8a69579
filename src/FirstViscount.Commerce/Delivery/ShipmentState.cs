namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// A shipment folded from its events. Carriers report out of order and twice: a report is kept once per carrier event
/// id, and the status is that of the report that happened last (not the one that arrived last), so a late
/// "in transit" never undoes "delivered". A cancelled shipment stays cancelled.
/// </summary>
public sealed class ShipmentState
{
    private readonly HashSet<string> carrierEventIds = [];
    private readonly List<TrackingUpdate> events = [];

    public string? OrderId { get; private set; }
    public string Carrier { get; private set; } = "";
    public string TrackingNumber { get; private set; } = "";
    public DateOnly EstimatedDelivery { get; private set; }
    public string? LabelReference { get; private set; }
    public bool Cancelled { get; private set; }

    public bool Exists => OrderId is not null;

    /// <summary>The carrier's reports in the order they happened.</summary>
    public IReadOnlyList<TrackingUpdate> Events => events;

    public ShipmentStatus Status => Cancelled ? ShipmentStatus.Cancelled
        : events.Count > 0 ? events[^1].Status
        : LabelReference is null ? ShipmentStatus.Pending : ShipmentStatus.LabelCreated;

    public bool HasReport(string carrierEventId) => carrierEventIds.Contains(carrierEventId);

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
            case ShipmentTracked e when carrierEventIds.Add(e.CarrierEventId):
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
}
