using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;
using FirstViscount.SiloHost;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace FirstViscount.Api.Tests;

/// <summary>
/// A silo host with analytics on its own PostgreSQL and ClickHouse databases, started once per test class and fed the
/// known set of events its subclass appends, so that the numbers the analytics routes and pages show can be checked
/// exactly.
/// </summary>
public abstract class AnalyticsSiloHost : IAsyncLifetime
{
    public const string AdminEmail = "analytics-admin@firstviscount.test";
    public const string AdminPassword = "analytics-admin-password";
    private readonly string database = $"fv_analytics_{Guid.NewGuid():N}";
    private WebApplication? app;

    public string ClickHouseDatabase { get; } = $"fv_api_{Guid.NewGuid():N}";

    public Uri Gateway { get; private set; } = null!;

    public NpgsqlDataSource Events { get; private set; } = null!;

    /// <summary>The silo's services (its grain factory, for example).</summary>
    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        await TestServers.EnsureDatabaseAsync(database);
        var port = 22_000 + Random.Shared.Next(0, 1_000) * 2;
        var clusterId = $"analytics-{Guid.NewGuid():N}";
        app = SiloHostApp.Create([
            $"--Urls=http://127.0.0.1:{port}",
            $"--Silo:ClusterId={clusterId}",
            $"--Silo:ServiceId={clusterId}",
            $"--Silo:Port={port + 1}",
            $"--Redis:Configuration={TestServers.Redis}",
            $"--Postgres:ConnectionString={TestServers.PostgresDatabase(database)}",
            $"--Payments:PayerKey={Convert.ToBase64String(new byte[32])}",
            $"--Delivery:CarrierKey={TestServers.CarrierKey}",
            $"--Admin:Email={AdminEmail}",
            $"--Admin:Password={AdminPassword}",
            $"--ClickHouse:Url={TestServers.ClickHouse}",
            $"--ClickHouse:Database={ClickHouseDatabase}",
            "--EventLog:PollInterval=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        Gateway = new Uri($"http://127.0.0.1:{port}/");
        Events = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));
        await AppendKnownEventsAsync();
    }

    /// <summary>Appends the events whose numbers the tests check.</summary>
    protected abstract Task AppendKnownEventsAsync();

    /// <summary>An order placed at <paramref name="placedAt"/>, then confirmed, or ended by another event, or left pending.</summary>
    protected async Task OrderAsync(string id, DateTime placedAt, string lines, decimal total, DateTime? confirmedAt = null, (string Type, DateTime At)? ending = null)
    {
        var body = $$"""{"orderId":"{{id}}","customerId":"cust-{{id}}","lines":{{lines}},"total":{{total.ToString(CultureInfo.InvariantCulture)}},"currency":"EUR"}""";
        await AppendAsync($"order-{id}", "order.placed", body, placedAt);
        if (confirmedAt is { } at)
        {
            await AppendAsync($"order-{id}", "order.confirmed", body, at);
        }
        if (ending is { } end)
        {
            await AppendAsync($"order-{id}", end.Type, $$"""{"orderId":"{{id}}","reason":"test"}""", end.At);
        }
    }

    /// <summary>An event with the time it was recorded set by the test (the log's own appends always say "now").</summary>
    protected async Task AppendAsync(string stream, string type, string payload, DateTime recordedAt)
    {
        await using var command = Events.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload, recorded_at)
            SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4::jsonb, $5 FROM events WHERE stream_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(recordedAt, DateTimeKind.Utc) });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Registers a customer and returns their e-mail, password and a bearer token.</summary>
    public async Task<(string Email, string Password, string Token)> NewCustomerAsync()
    {
        var (email, password) = ($"c{Guid.NewGuid():N}@example.com", "s3cret-password");
        using var client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        (await client.PostAsJsonAsync("/v1/customers", new { email, password, name = "Test Customer" })).EnsureSuccessStatusCode();
        var token = await client.PostAsJsonAsync("/v1/auth/token", new { email, password });
        token.EnsureSuccessStatusCode();
        return (email, password, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
    }

    public async Task<HttpClient> AdminAsync()
    {
        var client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        var token = await client.PostAsJsonAsync("/v1/auth/token", new { email = AdminEmail, password = AdminPassword });
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Waits until the sink has delivered every event and recomputed every closed hour's roll-up.</summary>
    public async Task<HttpClient> CaughtUpAsync()
    {
        var client = await AdminAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var freshness = await client.GetFromJsonAsync<JsonElement>("/v1/analytics/freshness");
            await using var dirty = Events.CreateCommand("SELECT count(*) FROM analytics_dirty_hours WHERE hour < date_trunc('hour', now()) - interval '1 hour'");
            if (freshness.GetProperty("lagEvents").GetInt64() == 0 && (long)(await dirty.ExecuteScalarAsync())! == 0)
            {
                return client;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the sink did not catch up: {freshness}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await Events.DisposeAsync();
        using var http = new HttpClient { BaseAddress = new Uri(TestServers.ClickHouse) };
        await http.PostAsync("", new StringContent($"DROP DATABASE IF EXISTS {ClickHouseDatabase}"));
        await TestServers.DropDatabaseAsync(database);
    }
}
