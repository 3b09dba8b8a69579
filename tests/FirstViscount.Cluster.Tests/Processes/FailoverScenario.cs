using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Tests;
using Npgsql;

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
/// Write load through the silos' HTTP gateways (as the shop's clients write) on event-sourced SKU grains spread over
/// the cluster, each write a stock receipt named by its sequence number and acknowledged only after its commit; a
/// SIGKILL of one silo in the middle (its gateway leaves the load balancer's rotation with it); then the audit: every
/// acknowledged receipt must be in the event store, and each call is timed by where its grain lived.
/// </summary>
internal static class FailoverScenario
{
    public static readonly TimeSpan HungAfter = TimeSpan.FromSeconds(5);

    public static async Task<FailoverResult> RunAsync(ProcessCluster cluster, SiloProcess victim, int grains = 300, int writers = 32, int acknowledgedTarget = 6_000)
    {
        var token = await AdminTokenAsync(cluster.Silos[0]);
        var clients = cluster.Silos.ToDictionary(silo => silo, silo => new HttpClient
        {
            BaseAddress = silo.Gateway,
            Timeout = TimeSpan.FromSeconds(60), // long enough to see a hang rather than cut it short
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        });
        var prefix = $"failover-{Guid.NewGuid():N}";
        var keys = Enumerable.Range(0, grains).Select(i => $"{prefix}-{i}").ToArray();
        await Task.WhenAll(keys.Select((key, i) => ReceiveAsync(clients[cluster.Silos[i % cluster.Silos.Count]], key, "seq-0")));
        var locations = new Dictionary<string, string?>();
        foreach (var key in keys)
        {
            locations[key] = await cluster.LocationOfAsync(cluster.Client.GetGrain<IInventorySkuGrain>(key));
        }
        var victimKeys = keys.Where(key => locations[key] == victim.Endpoint).ToHashSet();
        if (victimKeys.Count == 0)
        {
            throw new InvalidOperationException($"None of {grains} grains was placed on {victim.Endpoint}: placement does not spread.");
        }

        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        var failures = new ConcurrentDictionary<string, int>();
        var answeredAfterKill = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        long killedAt = -1, sequence = 0, acks = 0, failed = 0;
        int hungOnSurvivors = 0, hungOnVictim = 0;
        var probes = new List<Task>();
        bool Done() => Interlocked.Read(ref acks) >= acknowledgedTarget && Volatile.Read(ref killedAt) >= 0 && victimKeys.All(answeredAfterKill.ContainsKey);

        // From the kill on, each of the dead silo's grains is asked (through a surviving gateway) until it answers:
        // the time of its first answer is when it was served again, whatever the load's rotation over the keys.
        void ProbeVictimGrains()
        {
            var survivors = cluster.Silos.Where(silo => silo != victim).ToArray();
            probes.AddRange(victimKeys.Select((key, i) => Task.Run(async () =>
            {
                while (!answeredAfterKill.ContainsKey(key) && clock.Elapsed < TimeSpan.FromMinutes(2))
                {
                    if (await ReceiveAsync(clients[survivors[i % survivors.Length]], key, $"probe-{Guid.NewGuid():N}") is null)
                    {
                        answeredAfterKill.TryAdd(key, clock.ElapsedMilliseconds);
                        return;
                    }
                    await Task.Delay(50);
                }
            })));
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; !Done() && clock.Elapsed < TimeSpan.FromMinutes(2); i += writers)
            {
                var key = keys[i % keys.Length];
                var seq = Interlocked.Increment(ref sequence);
                var live = Volatile.Read(ref killedAt) < 0 ? cluster.Silos : [.. cluster.Silos.Where(silo => silo != victim)];
                var started = clock.Elapsed;
                var outcome = await ReceiveAsync(clients[live[i % live.Count]], key, $"seq-{seq}");
                if (outcome is null)
                {
                    acknowledged.GetOrAdd(key, _ => []).Add(seq);
                    if (Interlocked.Increment(ref acks) == acknowledgedTarget / 3)
                    {
                        victim.Kill();
                        Volatile.Write(ref killedAt, clock.ElapsedMilliseconds);
                        ProbeVictimGrains();
                    }
                    if (Volatile.Read(ref killedAt) >= 0 && started.TotalMilliseconds >= Volatile.Read(ref killedAt))
                    {
                        answeredAfterKill.TryAdd(key, clock.ElapsedMilliseconds);
                    }
                }
                else
                {
                    Interlocked.Increment(ref failed); // not acknowledged: may or may not have been applied
                    failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
                if (clock.Elapsed - started > HungAfter)
                {
                    Interlocked.Increment(ref victimKeys.Contains(key) ? ref hungOnVictim : ref hungOnSurvivors);
                }
            }
        })));
        await Task.WhenAll(probes);
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        var lost = await CountLostAsync(acknowledged);
        var servedAgain = victimKeys.All(answeredAfterKill.ContainsKey)
            ? TimeSpan.FromMilliseconds(victimKeys.Max(key => answeredAfterKill[key]) - killedAt)
            : TimeSpan.MaxValue;
        return new FailoverResult(acks, failed, lost, victimKeys.Count, servedAgain, hungOnSurvivors, hungOnVictim, failures);
    }

    /// <summary>A receipt of one unit; null when acknowledged, else what the failure was.</summary>
    private static async Task<string?> ReceiveAsync(HttpClient client, string sku, string reason)
    {
        try
        {
            using var response = await client.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = 1, reason });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return null;
            }
            var problem = await response.Content.ReadAsStringAsync();
            return $"{(int)response.StatusCode}: {(problem.Length > 120 ? problem[..120] : problem)}";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return $"{error.GetType().Name}: {error.Message}";
        }
    }

    private static async Task<string> AdminTokenAsync(SiloProcess silo)
    {
        using var client = new HttpClient { BaseAddress = silo.Gateway };
        using var response = await client.PostAsJsonAsync("/v1/auth/token", new { email = SiloProcess.AdminEmail, password = SiloProcess.AdminPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Acknowledged receipts missing from their SKU's stream in the event store.</summary>
    private static async Task<int> CountLostAsync(ConcurrentDictionary<string, ConcurrentBag<long>> acknowledged)
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        var lost = 0;
        foreach (var (key, sequences) in acknowledged)
        {
            await using var command = dataSource.CreateCommand("SELECT payload ->> 'reason' FROM events WHERE stream_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = $"inventory-sku-{key}" });
            var stored = new HashSet<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add(reader.GetString(0));
                }
            }
            lost += sequences.Count(seq => !stored.Contains($"seq-{seq}"));
        }
        return lost;
    }
}
