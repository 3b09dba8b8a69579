using FirstViscount.Cluster.Tests.Processes;

namespace FirstViscount.Benchmarks;

/// <summary>
/// failover: SIGKILL of one silo process of three under write load through the HTTP gateways (the failover test's
/// scenario): seconds until the dead silo's grains answer again, calls that hung past 5 s or failed without a clear
/// error, and acknowledged writes lost.
/// </summary>
internal static class FailoverBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        await using var cluster = await ProcessCluster.StartAsync(3);
        var result = await FailoverScenario.RunAsync(cluster, cluster.Silos[2], acknowledgedTarget: quick ? 4_000 : 12_000);
        Console.Error.WriteLine($"failover: {result}");
        var unclear = result.Failures.Where(failure => !failure.Key.StartsWith("503", StringComparison.Ordinal) && !failure.Key.StartsWith("HttpRequestException", StringComparison.Ordinal)).Sum(failure => failure.Value);
        return
        [
            new BenchResult("failover/served-again", result.ServedAgainAfter.TotalSeconds, "s", "none (goal: at most 5 s)", 0),
            new BenchResult("failover/hung-calls", result.HungOnSurvivors + result.HungOnVictim + unclear, "calls", "none (goal: 0)", 0),
            new BenchResult("failover/lost-writes", result.Lost, "writes", $"none (of {result.Acknowledged} acknowledged; goal: 0)", 0),
        ];
    }
}
