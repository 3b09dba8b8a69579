using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.SiloHost;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Api.Tests;

[Trait("Category", "Api")]
public sealed class ReplicaHealthTests
{
    [Fact]
    public async Task A_read_replica_that_does_not_answer_degrades_readiness_with_the_reason_while_search_keeps_serving_from_the_primary()
    {
        var port = 23_000 + Random.Shared.Next(0, 1_000) * 2;
        var clusterId = $"replica-{Guid.NewGuid():N}";
        var unreachableReplica = new NpgsqlConnectionStringBuilder(TestServers.PostgresReplica) { Port = 1, Timeout = 1 }.ConnectionString;
        await using var app = SiloHostApp.Create([
            $"--Urls=http://127.0.0.1:{port}",
            $"--Silo:ClusterId={clusterId}",
            $"--Silo:ServiceId={clusterId}",
            $"--Silo:Port={port + 1}",
            $"--Redis:Configuration={TestServers.Redis}",
            $"--Postgres:ConnectionString={TestServers.Postgres}",
            $"--Postgres:ReplicaConnectionString={unreachableReplica}",
            $"--Payments:PayerKey={Convert.ToBase64String(new byte[32])}",
            $"--Delivery:CarrierKey={TestServers.CarrierKey}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var checks = await ReadinessAsync(client, report => report.GetProperty("checks").TryGetProperty("postgres-replica", out var replica)
            && replica.GetProperty("status").GetString() == "Degraded");
        var search = await client.GetAsync("/v1/products?q=lamp");

        Assert.Equal("Degraded", checks.GetProperty("status").GetString());
        Assert.Contains("cannot be measured", checks.GetProperty("checks").GetProperty("postgres-replica").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        await app.StopAsync();
    }

    /// <summary>/health/ready once it answers 200 with a report that satisfies <paramref name="expected"/> (the first poll of the lag runs at start).</summary>
    private static async Task<JsonElement> ReadinessAsync(HttpClient client, Func<JsonElement, bool> expected)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync("/health/ready", limit.Token);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>(limit.Token);
            if (response.StatusCode == HttpStatusCode.OK && expected(report))
            {
                return report;
            }
            await Task.Delay(200, limit.Token);
        }
    }
}
