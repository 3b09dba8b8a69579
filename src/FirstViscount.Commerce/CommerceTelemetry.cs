using System.Diagnostics.Metrics;

namespace FirstViscount.Commerce;

/// <summary>The domain's metrics (BCL instruments; exported by the host's OpenTelemetry when configured).</summary>
public static class CommerceTelemetry
{
    public const string Name = "FirstViscount.Commerce";

    public static readonly Meter Meter = new(Name);

    /// <summary>Checkouts that reached an end, by outcome (Completed, Failed, Cancelled).</summary>
    public static readonly Counter<long> CheckoutOutcomes = Meter.CreateCounter<long>("firstviscount.checkout.outcomes", description: "Finished checkouts by outcome");
}
