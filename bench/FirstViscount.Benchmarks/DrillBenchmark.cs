using FirstViscount.Cluster.Tests.Processes;

namespace FirstViscount.Benchmarks;

/// <summary>
/// drill: the disaster-recovery drill (the Ops test's scenario) with a million events of history (--quick: 100,000):
/// RPO, the acknowledged work lost when the primary's data folder is destroyed, and RTO, from the loss until the
/// restored cluster acknowledges a checkout again.
/// </summary>
internal static class DrillBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var result = await RecoveryDrill.RunAsync(historyEvents: quick ? 100_000 : 1_000_000, line => Console.Error.WriteLine($"drill: {line}"));
        Console.Error.WriteLine($"drill: {result}");
        return
        [
            new BenchResult("drill/rpo", result.RecoveryPoint.TotalSeconds, "s", $"none (goal: under 60 s; archive_timeout {RecoveryDrill.ArchiveTimeout.TotalSeconds:0} s; {result.AcknowledgedLost} of {result.Acknowledged} acknowledged checkouts lost)", 0),
            new BenchResult("drill/rto", result.RecoveryTime.TotalSeconds, "s", $"none (goal: under 300 s; {result.EventsInStore:N0} events in the store)", 0),
            new BenchResult("drill/base-backup", result.BaseBackup.TotalSeconds, "s", "none (full, under load)", 0),
            new BenchResult("drill/pitr-errors", result.MissingBeforeTarget + result.PresentAfterTarget, "orders", $"none (goal: 0; {result.CheckedBeforeTarget} before the target, {result.CheckedAfterTarget} after)", 0),
        ];
    }
}
