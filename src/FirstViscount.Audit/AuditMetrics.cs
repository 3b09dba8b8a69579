using System.Diagnostics.Metrics;

namespace FirstViscount.Audit;

/// <summary>
/// The auditor's metrics (meter <see cref="MeterName"/>): firstviscount.audit.findings, a gauge of the latest run's
/// findings per check (tag <c>check</c>), and firstviscount.audit.duration, each run's time.
/// </summary>
public static class AuditMetrics
{
    public const string MeterName = "FirstViscount.Audit";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("firstviscount.audit.duration", "s", "How long a consistency audit took.");
    private static IReadOnlyList<AuditCheckResult> latest = [];

    static AuditMetrics() =>
        Meter.CreateObservableGauge("firstviscount.audit.findings", () => latest.Select(check =>
            new Measurement<int>(check.Findings, new KeyValuePair<string, object?>("check", check.Check))), "{finding}",
            "Inconsistencies the latest consistency audit in this process found, per check.");

    public static void Record(AuditReport report)
    {
        latest = report.Checks;
        Duration.Record(report.Duration.TotalSeconds);
    }
}
