namespace FirstViscount.Commerce.Delivery;

/// <summary>One event a carrier posts to <c>POST /v1/carriers/{carrier}/events</c>: the shipment it is about (our id and its tracking number) and what happened.</summary>
public sealed record CarrierEvent(string EventId, string ShipmentId, string TrackingNumber, ShipmentStatus Status, string CarrierStatus,
    string Location, string Description, DateTimeOffset OccurredAt);

/// <summary>What the simulated carriers do with a parcel, chosen by its postal code as payment tokens choose the payment simulator's behaviour.</summary>
public enum CarrierScenario { Delivers, LosesTheParcel, ReportsOutOfOrderAndTwice, AwaitsPickup }

/// <summary>Where the simulated carriers' reports go (the silo posts them to its own webhook, signed); none in grain tests.</summary>
public interface ISimulatedCarrierWebhooks
{
    /// <summary>Posts <paramref name="events"/>, in this order and spaced out, as <paramref name="carrier"/> would.</summary>
    void Post(string carrier, IReadOnlyList<CarrierEvent> events);
}

/// <summary>The journeys the simulated carriers report, one event per step after booking.</summary>
public static class SimulatedJourneys
{
    public const string LostParcelPostalCode = "LOST";
    public const string OutOfOrderPostalCode = "SHUFFLE";
    public const string AwaitingPickupPostalCode = "HOLD";

    public static CarrierScenario ScenarioOf(string postalCode) => postalCode.Trim().ToUpperInvariant() switch
    {
        LostParcelPostalCode => CarrierScenario.LosesTheParcel,
        OutOfOrderPostalCode => CarrierScenario.ReportsOutOfOrderAndTwice,
        AwaitingPickupPostalCode => CarrierScenario.AwaitsPickup,
        _ => CarrierScenario.Delivers,
    };

    /// <summary>The events in the order the carrier posts them.</summary>
    public static IReadOnlyList<CarrierEvent> Of(LabelRequest label, DateTimeOffset bookedAt, TimeSpan step)
    {
        CarrierEvent At(int n, ShipmentStatus status, string carrierStatus, string location, string description) =>
            new($"{label.TrackingNumber}-{n}", label.ShipmentId, label.TrackingNumber, status, carrierStatus, location, description, bookedAt + step * n);
        var pickedUp = At(1, ShipmentStatus.Shipped, "PICKED_UP", "Depot", "Picked up from the shop");
        var hub = At(2, ShipmentStatus.InTransit, "AT_HUB", "Sorting hub", "Arrived at the sorting hub");
        var delivered = At(3, ShipmentStatus.Delivered, "DELIVERED", label.Country, "Delivered to the addressee");
        return ScenarioOf(label.PostalCode) switch
        {
            CarrierScenario.LosesTheParcel => [pickedUp, hub, At(3, ShipmentStatus.Exception, "LOST", "Sorting hub", "The parcel is lost")],
            CarrierScenario.ReportsOutOfOrderAndTwice => [pickedUp, delivered, hub, delivered],
            CarrierScenario.AwaitsPickup => [],
            _ => [pickedUp, hub, delivered],
        };
    }
}
