using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// The built-in carriers' booking desk, in the style of the payment simulator: idempotent per key, and counting the
/// labels it booked and cancelled, so tests can prove a retried step booked one label. A parcel to
/// <see cref="UnavailableCountry"/> (ZZ, a code ISO leaves to users) finds the carrier down: a delivery step that fails.
/// </summary>
public sealed class CarrierGatewaySimulator : ICarrierGateway
{
    /// <summary>The destination whose labels the simulator never books, so a test can make the delivery step fail.</summary>
    public const string UnavailableCountry = "ZZ";

    private readonly ConcurrentDictionary<string, string> labels = new();
    private readonly ConcurrentDictionary<string, bool> cancellations = new();
    private int booked;

    public int LabelsBooked => booked;

    public int LabelsCancelled => cancellations.Count;

    public Task<string> CreateLabelAsync(string idempotencyKey, string carrier, string trackingNumber, string country, int weightGrams, CancellationToken cancellationToken)
    {
        if (!CarrierRules.Carriers.Contains(carrier))
        {
            throw new ArgumentException($"'{carrier}' is not a simulated carrier.", nameof(carrier));
        }
        if (country == UnavailableCountry)
        {
            throw new CarrierUnavailableException($"Carrier {carrier} did not respond (simulated).");
        }
        return Task.FromResult(labels.GetOrAdd(idempotencyKey, _ =>
        {
            Interlocked.Increment(ref booked);
            return $"lbl_{Guid.NewGuid():N}";
        }));
    }

    public Task CancelLabelAsync(string idempotencyKey, string carrier, string labelReference, CancellationToken cancellationToken)
    {
        cancellations.TryAdd(idempotencyKey, true);
        return Task.CompletedTask;
    }
}
