using FirstViscount.Testing;

namespace FirstViscount.Benchmarks;

public interface IAdderGrain : IGrainWithIntegerKey
{
    Task<int> Add(int value);
}

public sealed class AdderGrain : Grain, IAdderGrain
{
    private int total;

    public Task<int> Add(int value) => Task.FromResult(total += value);
}

/// <summary>The same work behind a plain interface: the anchor for grain-call overhead.</summary>
public interface IAdder
{
    Task<int> Add(int value);
}

internal sealed class PlainAdder : IAdder
{
    private int total;

    public Task<int> Add(int value) => Task.FromResult(Interlocked.Add(ref total, value));
}

/// <summary>
/// grain-calls: local grain calls/s with 1 and 64 callers against a plain async interface call, and
/// cross-silo calls/s through the in-memory transport (every call serialised) against local calls.
/// </summary>
internal static class GrainCallsBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 2 : 10);
        var results = new List<BenchResult>();
        await using var cluster = new TestClusterBuilder(2).Build();
        await cluster.DeployAsync();
        var local = cluster.Silos[0];
        var remote = cluster.Silos[1];

        // Keys owned by each silo, so "local" and "cross-silo" mean what they say.
        var localKeys = KeysOwnedBy(cluster, local, 64);
        var remoteKeys = KeysOwnedBy(cluster, remote, 64);
        var plain = Enumerable.Range(0, 64).Select(_ => (IAdder)new PlainAdder()).ToArray();
        var localGrains = localKeys.Select(k => local.GrainFactory.GetGrain<IAdderGrain>(k)).ToArray();
        var remoteGrains = remoteKeys.Select(k => local.GrainFactory.GetGrain<IAdderGrain>(k)).ToArray();

        foreach (var callers in new[] { 1, 64 })
        {
            var baseline = await Throughput.MeasureAsync(callers, duration, async i => await plain[i].Add(1));
            var grain = await Throughput.MeasureAsync(callers, duration, async i => await localGrains[i].Add(1));
            results.Add(new BenchResult($"grain-calls/local/{callers}-callers", grain, "calls/s", "plain async interface call", baseline));
            var crossSilo = await Throughput.MeasureAsync(callers, duration, async i => await remoteGrains[i].Add(1));
            results.Add(new BenchResult($"grain-calls/cross-silo-in-memory/{callers}-callers", crossSilo, "calls/s", "local grain call", grain));
        }
        return results;
    }

    private static long[] KeysOwnedBy(TestCluster cluster, Hosting.Silo silo, int count) =>
        Enumerable.Range(1, 10_000).Select(i => (long)i)
            .Where(k => Placement.RendezvousPlacement.SelectOwner(new GrainId(typeof(AdderGrain).FullName!, k.ToString(System.Globalization.CultureInfo.InvariantCulture)), cluster.View) == silo.Address)
            .Take(count).ToArray();
}
