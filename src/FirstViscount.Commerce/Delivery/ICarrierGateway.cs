namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// The carriers' booking interface. Every call carries an idempotency key: repeating a call with the same key returns
/// the first result and never books twice.
/// </summary>
public interface ICarrierGateway
{
    /// <summary>Books a label for the parcel; returns the carrier's label reference.</summary>
    Task<string> CreateLabelAsync(string idempotencyKey, LabelRequest label, CancellationToken cancellationToken);

    /// <summary>Cancels a booked label (a parcel not yet handed over).</summary>
    Task CancelLabelAsync(string idempotencyKey, string carrier, string labelReference, CancellationToken cancellationToken);
}

/// <summary>A parcel to book: our shipment id (the carrier's events name it), the tracking number we chose, where it goes and what it weighs.</summary>
public sealed record LabelRequest(string ShipmentId, string Carrier, string TrackingNumber, string Country, string PostalCode, int WeightGrams);

/// <summary>The carrier could not be reached or failed: a transient error, worth a retry with the same key.</summary>
[GenerateSerializer, Alias("fv.carrier-unavailable")]
public sealed class CarrierUnavailableException(string message) : FirstViscountException(message);
