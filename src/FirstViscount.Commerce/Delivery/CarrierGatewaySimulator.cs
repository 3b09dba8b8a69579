using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// The built-in carriers' booking desk, in the style of the payment simulator: idempotent per key, and counting the
/// labels it booked and cancelled, so tests can prove a retried step booked one label. A parcel to
/// <see cref="UnavailableCountry"/> (ZZ, a code ISO leaves to users) finds the carrier down: a delivery step that fails.
/// Once a label is booked, the carrier reports the parcel's journey (<see cref="SimulatedJourneys"/>) to the webhooks, if
/// the silo has them.
/// </summary>
public sealed class CarrierGatewaySimulator(ISimulatedCarrierWebhooks? webhooks = null, TimeProvider? time = null) : ICarrierGateway
{
    /// <summary>How far apart the simulated carriers' events are, in the times they report.</summary>
    public static readonly TimeSpan JourneyStep = TimeSpan.FromHours(6);

    /// <summary>The destination whose labels the simulator never books, so a test can make the delivery step fail.</summary>
    public const string UnavailableCountry = "ZZ";

    private readonly ConcurrentDictionary<string, string> labels = new();
    private readonly ConcurrentDictionary<string, bool> cancellations = new();
    private int booked;

    /// <summary>How long booking a label takes (a test's window to kill a silo while the delivery step runs).</summary>
    public TimeSpan Latency { get; init; }

    public int LabelsBooked => booked;

    public int LabelsCancelled => cancellations.Count;

    public async Task<string> CreateLabelAsync(string idempotencyKey, LabelRequest label, CancellationToken cancellationToken)
    {
        if (!CarrierRules.Carriers.Contains(label.Carrier))
        {
            throw new ArgumentException($"'{label.Carrier}' is not a simulated carrier.", nameof(label));
        }
        if (label.Country == UnavailableCountry)
        {
            throw new CarrierUnavailableException($"Carrier {label.Carrier} did not respond (simulated).");
        }
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }
        return labels.GetOrAdd(idempotencyKey, _ =>
        {
            Interlocked.Increment(ref booked);
            if (SimulatedJourneys.Of(label, (time ?? TimeProvider.System).GetUtcNow(), JourneyStep) is { Count: > 0 } journey)
            {
                webhooks?.Post(label.Carrier, journey);
            }
            return $"lbl_{Guid.NewGuid():N}";
        });
    }

    public Task CancelLabelAsync(string idempotencyKey, string carrier, string labelReference, CancellationToken cancellationToken)
    {
        cancellations.TryAdd(idempotencyKey, true);
        return Task.CompletedTask;
    }
}
