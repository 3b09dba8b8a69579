using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// Write load as the shop's clients write: stock receipts (POST /v1/inventory/{sku}/adjustments) on SKU grains, each
/// named by a sequence number and acknowledged (200) only after its event committed, sent round-robin to the
/// gateways in rotation. It keeps what an audit needs: every acknowledged receipt, every failure by kind, and the
/// calls that took longer than <see cref="HungAfter"/>.
/// </summary>
internal sealed class ReceiptLoad : IAsyncDisposable
{
    public static readonly TimeSpan HungAfter = TimeSpan.FromSeconds(5);

    private readonly Dictionary<SiloProcess, HttpClient> clients;
    private readonly ConcurrentDictionary<string, ConcurrentBag<long>> acknowledged = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<Task> writers = [];
    private long sequence;
    private long acks;
    private long failed;
    private volatile SiloProcess[] rotation;

    private ReceiptLoad(Dictionary<SiloProcess, HttpClient> clients, string[] keys)
    {
        this.clients = clients;
        Keys = keys;
        rotation = [.. clients.Keys];
    }

    public string[] Keys { get; }

    public long Acknowledged => Interlocked.Read(ref acks);

    public long Failed => Interlocked.Read(ref failed);

    public ConcurrentDictionary<string, int> Failures { get; } = new();

    /// <summary>Calls over <see cref="HungAfter"/>, by the key they were for.</summary>
    public ConcurrentBag<string> Hung { get; } = [];

    /// <summary>Milliseconds since the load was created.</summary>
    public long Now => clock.ElapsedMilliseconds;

    public static async Task<ReceiptLoad> CreateAsync(ProcessCluster cluster, int grains = 300)
    {
        var token = await AdminTokenAsync(cluster.Silos[0]);
        var clients = cluster.Silos.ToDictionary(silo => silo, silo => new HttpClient
        {
            BaseAddress = silo.Gateway,
            Timeout = TimeSpan.FromSeconds(60), // long enough to see a hang rather than cut it short
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        });
        var prefix = $"load-{Guid.NewGuid():N}";
        var load = new ReceiptLoad(clients, [.. Enumerable.Range(0, grains).Select(i => $"{prefix}-{i}")]);
        await Task.WhenAll(load.Keys.Select((key, i) => load.WriteAsync(load.rotation[i % load.rotation.Length], key, seq: 0)));
        return load;
    }

    /// <summary>The gateways the writers send to from now on (a load balancer's rotation).</summary>
    public void Route(IEnumerable<SiloProcess> gateways) => rotation = [.. gateways];

    public void Start(int writerCount = 32)
    {
        for (var worker = 0; worker < writerCount; worker++)
        {
            var first = worker;
            writers.Add(Task.Run(async () =>
            {
                for (var i = first; !stopping.IsCancellationRequested; i += writerCount)
                {
                    var key = Keys[i % Keys.Length];
                    var seq = Interlocked.Increment(ref sequence);
                    var gateways = rotation;
                    await WriteAsync(gateways[i % gateways.Length], key, seq);
                }
            }));
        }
    }

    /// <summary>One receipt through <paramref name="gateway"/>; true when acknowledged.</summary>
    public async Task<bool> WriteAsync(SiloProcess gateway, string key, long seq)
    {
        var started = clock.Elapsed;
        var outcome = await ReceiveAsync(gateway, key, $"seq-{seq}");
        if (clock.Elapsed - started > HungAfter)
        {
            Hung.Add(key);
        }
        if (outcome is null)
        {
            acknowledged.GetOrAdd(key, _ => []).Add(seq);
            Interlocked.Increment(ref acks);
            return true;
        }
        Interlocked.Increment(ref failed); // not acknowledged: may or may not have been applied
        Failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>A fresh sequence number for a write outside the writers' loop (a probe).</summary>
    public long NextSequence() => Interlocked.Increment(ref sequence);

    public async Task WaitForAcknowledgedAsync(long count, TimeSpan limit)
    {
        var deadline = clock.Elapsed + limit;
        while (Acknowledged < count)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"only {Acknowledged} of {count} writes were acknowledged within {limit}; failures: {Describe()}");
            }
            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        stopping.Cancel();
        await Task.WhenAll(writers);
        writers.Clear();
    }

    /// <summary>Acknowledged receipts missing from their SKU's stream in the event store.</summary>
    public async Task<int> CountLostAsync(string? postgres = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres ?? TestServers.Postgres);
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

    public string Describe() =>
        $"{Acknowledged} acknowledged, {Failed} failed ({string.Join("; ", Failures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Value} x {f.Key}"))}), {Hung.Count} over {HungAfter.TotalSeconds:0} s";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>A receipt of one unit; null when acknowledged, else what the failure was (status and problem title, or the transport error).</summary>
    private async Task<string?> ReceiveAsync(SiloProcess gateway, string sku, string reason)
    {
        try
        {
            using var response = await clients[gateway].PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = 1, reason });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return null;
            }
            var problem = await response.Content.ReadAsStringAsync();
            var title = problem.Contains("\"title\"", StringComparison.Ordinal) ? JsonDocument.Parse(problem).RootElement.GetProperty("title").GetString() : problem;
            var retryAfter = response.Headers.RetryAfter is null ? "" : " (Retry-After)";
            return $"{(int)response.StatusCode}{retryAfter}: {title}";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return $"{error.GetType().Name}: {error.Message}";
        }
    }

    private static async Task<string> AdminTokenAsync(SiloProcess silo)
    {
        using var client = new HttpClient { BaseAddress = silo.Gateway };
        return await ShopApi.TokenAsync(client, SiloProcess.AdminEmail, SiloProcess.AdminPassword);
    }
}
