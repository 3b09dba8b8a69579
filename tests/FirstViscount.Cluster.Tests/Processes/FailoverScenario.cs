using System.Collections.Concurrent;
using FirstViscount.Commerce.Inventory;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>What a kill under load did: writes acknowledged and lost, how soon the dead silo's grains answered again, calls that hung.</summary>
internal sealed record FailoverResult(long Acknowledged, long Failed, int Lost, int VictimGrains, TimeSpan ServedAgainAfter,
    int HungOnSurvivors, int HungOnVictim, IReadOnlyDictionary<string, int> Failures)
{
    public override string ToString() =>
        $"acknowledged {Acknowledged} writes, {Failed} failed, lost {Lost}; the dead silo's {VictimGrains} grains answered again after " +
        $"{ServedAgainAfter.TotalSeconds:0.00} s; calls over 5 s: {HungOnSurvivors} to grains on surviving silos, {HungOnVictim} to the dead silo's; " +
        $"failures: {string.Join("; ", Failures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Value} x {f.Key}"))}";
}

/// <summary>
/// Receipt load through the HTTP gateways on SKU grains spread over the cluster, a SIGKILL of one silo in the middle
/// (its gateway leaves the rotation with it), and from the kill on a probe of each of the dead silo's grains until it
/// answers through a surviving gateway; then the audit of every acknowledged receipt against the event store.
/// </summary>
internal static class FailoverScenario
{
    public static async Task<FailoverResult> RunAsync(ProcessCluster cluster, SiloProcess victim, int grains = 300, int acknowledgedTarget = 6_000)
    {
        await using var load = await ReceiptLoad.CreateAsync(cluster, grains);
        var victimKeys = new HashSet<string>();
        foreach (var key in load.Keys)
        {
            if (await cluster.LocationOfAsync(cluster.Client.GetGrain<IInventorySkuGrain>(key)) == victim.Endpoint)
            {
                victimKeys.Add(key);
            }
        }
        if (victimKeys.Count == 0)
        {
            throw new InvalidOperationException($"None of {grains} grains was placed on {victim.Endpoint}: placement does not spread.");
        }

        load.Start();
        await load.WaitForAcknowledgedAsync(acknowledgedTarget / 3, TimeSpan.FromMinutes(1));
        var survivors = cluster.Silos.Where(silo => silo != victim).ToArray();
        victim.Kill();
        var killedAt = load.Now;
        load.Route(survivors);
        var answeredAt = new ConcurrentDictionary<string, long>();
        await Task.WhenAll(victimKeys.Select((key, i) => Task.Run(async () =>
        {
            while (!await load.WriteAsync(survivors[i % survivors.Length], key, load.NextSequence()) && load.Now - killedAt < 60_000)
            {
                await Task.Delay(50);
            }
            answeredAt[key] = load.Now;
        })));
        await load.WaitForAcknowledgedAsync(acknowledgedTarget, TimeSpan.FromMinutes(1));
        await load.StopAsync();

        var hung = load.Hung.ToList();
        return new FailoverResult(load.Acknowledged, load.Failed, await load.CountLostAsync(), victimKeys.Count,
            TimeSpan.FromMilliseconds(answeredAt.Values.Max() - killedAt),
            hung.Count(key => !victimKeys.Contains(key)), hung.Count(victimKeys.Contains), load.Failures);
    }
}
