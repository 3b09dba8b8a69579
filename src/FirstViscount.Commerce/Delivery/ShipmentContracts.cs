using System.Text.Json.Serialization;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// Pending → LabelCreated → Shipped → InTransit → Delivered; or Exception (lost, damaged) or Returned, as the carrier
/// reports; or Cancelled by an admin before it shipped.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShipmentStatus>))] // "Delivered" in events and answers, not 4
public enum ShipmentStatus { Pending, LabelCreated, Shipped, InTransit, Delivered, Exception, Returned, Cancelled }

/// <summary>What the checkout's delivery step asks for: where the order goes and what it weighs.</summary>
[GenerateSerializer, Alias("fv.schedule-shipment")]
public sealed record ScheduleShipment(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string Country,
    [property: Id(2)] int WeightGrams,
    [property: Id(3)] string PostalCode = "");

/// <summary>One report from a carrier: its own event id (a report sent twice carries the same id), and when it happened.</summary>
[GenerateSerializer, Alias("fv.tracking-update")]
public sealed record TrackingUpdate(
    [property: Id(0)] string CarrierEventId,
    [property: Id(1)] ShipmentStatus Status,
    [property: Id(2)] string CarrierStatus,
    [property: Id(3)] string Location,
    [property: Id(4)] string Description,
    [property: Id(5)] DateTimeOffset OccurredAt);

[GenerateSerializer, Alias("fv.shipment-view")]
public sealed record ShipmentView(
    [property: Id(0)] string ShipmentId,
    [property: Id(1)] string OrderId,
    [property: Id(2)] ShipmentStatus Status,
    [property: Id(3)] string Carrier,
    [property: Id(4)] string TrackingNumber,
    [property: Id(5)] DateOnly EstimatedDelivery,
    [property: Id(6)] IReadOnlyList<TrackingUpdate> Events);

/// <summary>Where an order's shipment is, for the order to follow: on its way (any report of the carrier's), arrived.</summary>
[GenerateSerializer, Alias("fv.shipment-progress")]
public sealed record ShipmentProgress(
    [property: Id(0)] bool Shipped,
    [property: Id(1)] bool Delivered,
    [property: Id(2)] string Carrier,
    [property: Id(3)] string TrackingNumber)
{
    public static ShipmentProgress Of(ShipmentView shipment)
    {
        var reported = shipment.Status is not ShipmentStatus.Cancelled && shipment.Events.Count > 0;
        return new(reported, reported && shipment.Events.Any(e => e.Status == ShipmentStatus.Delivered), shipment.Carrier, shipment.TrackingNumber);
    }
}

/// <summary>
/// One shipment per order (keyed by the order id). Scheduling is idempotent: the first call picks the carrier and
/// tracking number and books the label; every later call answers the same shipment.
/// </summary>
[Alias("fv.shipment")]
public interface IShipmentGrain : IGrainWithStringKey
{
    [ResponseTimeout("00:01:05"), Alias("schedule")]
    Task<ShipmentView> Schedule(ScheduleShipment request, CancellationToken cancellationToken);

    /// <summary>Records a carrier's report; one already recorded (same carrier event id) changes nothing.</summary>
    [Alias("track")]
    Task<ShipmentView> Track(TrackingUpdate update);

    /// <summary>Moves the order to where the shipment is (<see cref="Orders.IOrderGrain.FollowShipment"/>); null, and nothing told, without a shipment.</summary>
    [Alias("tell-order")]
    Task<ShipmentView?> TellOrder();

    /// <summary>Cancels a shipment that has not shipped (cancelling again changes nothing).</summary>
    [ResponseTimeout("00:01:05"), Alias("cancel")]
    Task<ShipmentView> Cancel(string reason, CancellationToken cancellationToken);

    /// <summary>The shipment, or null if none was scheduled for the order.</summary>
    [ReadOnly, Alias("get")]
    Task<ShipmentView?> Get();
}

/// <summary>A shipment cannot do what was asked in its state (cancel after it shipped, track before it exists).</summary>
[GenerateSerializer, Alias("fv.shipment-conflict")]
public sealed class ShipmentConflictException(string message) : FirstViscountException(message);

/// <summary>No carrier takes the parcel (an unknown country, a weight out of range).</summary>
[GenerateSerializer, Alias("fv.no-carrier")]
public sealed class NoCarrierException(string message) : FirstViscountException(message);
