using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Cluster.Tests.Redis;
using Xunit.Abstractions;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>What the cluster does when its silos, Redis or PostgreSQL fail (DESIGN.md, invariant 3), on real processes.</summary>
[Trait("Category", "Chaos")]
[Trait("Speed", "Slow")]
public sealed class ClusterSurvivalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_healthy_silo_is_not_declared_dead_while_load_keeps_both_cores_busy()
    {
        await using var cluster = await ProcessCluster.StartAsync(3);
        await using var load = await ReceiptLoad.CreateAsync(cluster);
        using var burning = new CancellationTokenSource();
        var burners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!burning.IsCancellationRequested)
            {
                Thread.SpinWait(10_000);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        load.Start(writerCount: 64);
        await Task.Delay(TimeSpan.FromSeconds(30));
        await load.StopAsync();
        burning.Cancel();
        await Task.WhenAll(burners);

        output.WriteLine(load.Describe());
        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        Assert.True(load.Acknowledged > 1_000, load.Describe());
        Assert.Equal(3, hosts.Count(host => host.Status == SiloStatus.Active));
        Assert.DoesNotContain(hosts, host => host.Status == SiloStatus.Dead);
        Assert.All(cluster.Silos, silo => Assert.False(silo.HasExited));
    }

    [Fact]
    public async Task A_silo_frozen_past_its_death_declaration_writes_no_stale_state_and_rejoins_after_it_resumes()
    {
        await using var cluster = await ProcessCluster.StartAsync(3);
        var frozen = cluster.Silos[0];
        var others = cluster.Silos.Skip(1).ToArray();
        foreach (var silo in cluster.Silos)
        {
            silo.Supervise();
        }
        var (itemA, itemB) = (await ProductAsync(others[0]), await ProductAsync(others[0]));
        Customer? customer = null;
        for (var attempt = 0; attempt < 30 && customer is null; attempt++)
        {
            var candidate = await CustomerAsync(others[0]);
            await SetCartItemAsync(candidate, others[0], itemA, 1);
            if (await cluster.LocationOfAsync(cluster.Client.GetGrain<Commerce.Carts.ICartGrain>(candidate.CustomerId)) == frozen.Endpoint)
            {
                customer = candidate; // a cart that lives on the silo about to freeze
            }
        }
        Assert.NotNull(customer);

        frozen.Pause();
        var declaredDead = await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
        await SetCartItemAsync(customer, others[0], itemB, 1); // served by a new activation on a live silo
        var resumed = Stopwatch.StartNew();
        frozen.Resume();
        // The frozen silo's own activation still holds the cart as it was before the freeze; a write it made now
        // would be stale. It must be refused (version conflict), or reach the new activation, never overwrite B.
        var staleAttempt = await TrySetCartItemAsync(customer, frozen, itemA, 5);
        await cluster.WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(60));

        var cart = await GetCartAsync(customer, others[1]);
        output.WriteLine($"declared dead {declaredDead.TotalSeconds:0.0} s after the freeze; the write sent to it on resume answered {staleAttempt}; " +
            $"rejoined {resumed.Elapsed.TotalSeconds:0.0} s after resuming, after {frozen.Restarts} restart(s); cart: {cart}");
        Assert.Contains(itemB, cart);
        Assert.True(frozen.Restarts >= 1, "the frozen silo was never stopped: it went on serving after being declared dead");
    }

    [Fact]
    public async Task When_every_silo_is_killed_the_cluster_started_again_with_the_same_id_serves_within_20_s()
    {
        await using var cluster = await ProcessCluster.StartAsync(3);
        await using (var load = await ReceiptLoad.CreateAsync(cluster))
        {
            load.Start();
            await load.WaitForAcknowledgedAsync(1_000, TimeSpan.FromMinutes(1));
            foreach (var silo in cluster.Silos)
            {
                silo.Kill();
            }
            await load.StopAsync();
        }

        var restart = Stopwatch.StartNew();
        await Task.WhenAll(cluster.Silos.Select(silo => silo.StartAgainAsync()));
        await using var after = await ReceiptLoad.CreateAsync(cluster, grains: 30);
        var serving = restart.Elapsed;

        output.WriteLine($"the restarted cluster served again {serving.TotalSeconds:0.0} s after its silos were started");
        Assert.True(after.Failed == 0, $"the restarted cluster refused its first receipts: {after.Describe()}");
        Assert.True(serving <= TimeSpan.FromSeconds(20), $"the restarted cluster took {serving} to serve");
    }

    [Fact]
    public async Task When_redis_restarts_empty_the_silos_form_the_cluster_again_without_an_operator()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var cluster = await ProcessCluster.StartAsync(3, new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration }, redis: redis.Configuration);
        foreach (var silo in cluster.Silos)
        {
            silo.Supervise();
        }
        await using var load = await ReceiptLoad.CreateAsync(cluster);
        load.Start();
        await load.WaitForAcknowledgedAsync(1_000, TimeSpan.FromMinutes(1));

        await redis.KillAsync();
        var lostAt = Stopwatch.StartNew();
        await redis.StartAgainAsync(); // empty: membership, carts and preferences are gone
        var acknowledgedBefore = load.Acknowledged;
        await cluster.WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(120));
        await load.WaitForAcknowledgedAsync(acknowledgedBefore + 500, TimeSpan.FromSeconds(60));
        var formedAgain = lostAt.Elapsed;
        await load.StopAsync();

        output.WriteLine($"cluster formed again {formedAgain.TotalSeconds:0.0} s after Redis lost its data; restarts: " +
            $"{string.Join(", ", cluster.Silos.Select(s => s.Restarts))}; {load.Describe()}");
        Assert.Equal(0, await load.CountLostAsync());
    }

    [Fact]
    public async Task When_postgresql_restarts_under_load_requests_answer_503_nothing_acknowledged_is_lost_and_service_resumes_within_5_s()
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var cluster = await ProcessCluster.StartAsync(2, new Dictionary<string, string> { ["Postgres__ConnectionString"] = postgres.ConnectionString });
        await using var load = await ReceiptLoad.CreateAsync(cluster, grains: 100);
        load.Start();
        await load.WaitForAcknowledgedAsync(1_000, TimeSpan.FromMinutes(1));

        await postgres.CrashAsync();
        var failedBefore = load.Failed;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var failuresDuringOutage = load.Failures.ToDictionary(f => f.Key, f => f.Value);
        await postgres.StartAgainAsync();
        var back = Stopwatch.StartNew();
        var acknowledgedAtRestart = load.Acknowledged;
        await load.WaitForAcknowledgedAsync(acknowledgedAtRestart + 200, TimeSpan.FromSeconds(30));
        var resumedAfter = back.Elapsed;
        await load.StopAsync();

        output.WriteLine($"service resumed {resumedAfter.TotalSeconds:0.0} s after PostgreSQL was back; {load.Describe()}");
        Assert.True(load.Failed > failedBefore, "nothing failed while PostgreSQL was down: the outage was not exercised");
        Assert.All(failuresDuringOutage.Keys, kind => Assert.StartsWith("503 (Retry-After)", kind));
        Assert.Empty(load.Hung);
        Assert.True(resumedAfter <= TimeSpan.FromSeconds(5), $"service resumed only {resumedAfter} after PostgreSQL was back");
        Assert.Equal(0, await load.CountLostAsync(postgres.ConnectionString));
    }

    private sealed record Customer(string CustomerId, string Token);

    private static async Task<string> ProductAsync(SiloProcess gateway)
    {
        var sku = $"FROZEN-{Guid.NewGuid():N}"[..20];
        using var client = new HttpClient { BaseAddress = gateway.Gateway };
        using var token = await client.PostAsJsonAsync("/v1/auth/token", new { email = SiloProcess.AdminEmail, password = SiloProcess.AdminPassword });
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        using var put = await client.PutAsJsonAsync($"/v1/products/{sku}", new { name = $"Frozen {sku}", price = 3.5m, currency = "EUR" });
        put.EnsureSuccessStatusCode();
        return sku;
    }

    private static async Task<Customer> CustomerAsync(SiloProcess gateway)
    {
        using var client = new HttpClient { BaseAddress = gateway.Gateway };
        var email = $"frozen-{Guid.NewGuid():N}@example.com";
        using var created = await client.PostAsJsonAsync("/v1/customers", new { email, password = "frozen-password", name = "Frozen" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetString()!;
        using var token = await client.PostAsJsonAsync("/v1/auth/token", new { email, password = "frozen-password" });
        token.EnsureSuccessStatusCode();
        return new Customer(id, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }

    private static async Task SetCartItemAsync(Customer customer, SiloProcess gateway, string sku, int quantity)
    {
        var outcome = await TrySetCartItemAsync(customer, gateway, sku, quantity);
        Assert.True(outcome == 200, $"setting {sku} through {gateway.Endpoint} answered {outcome}");
    }

    private static async Task<int> TrySetCartItemAsync(Customer customer, SiloProcess gateway, string sku, int quantity)
    {
        using var client = CustomerClient(customer, gateway);
        try
        {
            using var response = await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity });
            return (int)response.StatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return 0; // the silo stopped while answering
        }
    }

    private static async Task<string> GetCartAsync(Customer customer, SiloProcess gateway)
    {
        using var client = CustomerClient(customer, gateway);
        return await client.GetStringAsync("/v1/cart");
    }

    private static HttpClient CustomerClient(Customer customer, SiloProcess gateway) => new()
    {
        BaseAddress = gateway.Gateway,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", customer.Token) },
    };
}
