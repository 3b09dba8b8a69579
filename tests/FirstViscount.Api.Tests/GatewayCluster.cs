using System.Net.Http.Headers;
using System.Net.Http.Json;
using FirstViscount.Tests;
using FirstViscount.SiloHost;
using Microsoft.AspNetCore.Builder;

namespace FirstViscount.Api.Tests;

/// <summary>
/// Two silo hosts (each with its gateway) on loopback, sharing Redis membership and PostgreSQL, started once for
/// all API tests. Tests talk real HTTP to either silo.
/// </summary>
public sealed class GatewayCluster : IAsyncLifetime
{
    public const string AdminEmail = "admin@firstviscount.test";
    public const string AdminPassword = "admin-password-for-tests";
    private static int nextPort = 24_000 + Random.Shared.Next(0, 1_500) * 4;
    private readonly List<WebApplication> silos = [];

    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>A silo's services (its signing-key ring, for example).</summary>
    public IServiceProvider Services(int silo) => silos[silo].Services;

    public async Task InitializeAsync()
    {
        var clusterId = $"api-{Guid.NewGuid():N}";
        var payerKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var gateways = new List<Uri>();
        for (var i = 0; i < 2; i++)
        {
            var httpPort = Interlocked.Add(ref nextPort, 2);
            var app = SiloHostApp.Create([
                $"--Urls=http://127.0.0.1:{httpPort}",
                $"--Silo:ClusterId={clusterId}",
                $"--Silo:ServiceId={clusterId}",
                $"--Silo:Port={httpPort + 1}",
                $"--Redis:Configuration={TestServers.Redis}",
                $"--Postgres:ConnectionString={TestServers.Postgres}",
                $"--Payments:PayerKey={payerKey}",
                $"--Delivery:CarrierKey={TestServers.CarrierKey}",
                "--Delivery:Simulator:ReportInterval=00:00:00.200",
                $"--Admin:Email={AdminEmail}",
                $"--Admin:Password={AdminPassword}",
                "--Checkout:Payment:Timeout=00:00:00.500",
                "--Checkout:Payment:Retries=1",
                "--Logging:LogLevel:Default=Warning",
            ]);
            await app.StartAsync();
            silos.Add(app);
            gateways.Add(new Uri($"http://127.0.0.1:{httpPort}/"));
        }
        Gateways = gateways;
    }

    public HttpClient Client(int silo = 0, string? token = null)
    {
        var client = new HttpClient { BaseAddress = Gateways[silo], Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Registers a new customer and returns their id and a bearer token.</summary>
    public async Task<(string CustomerId, string Token, string Email)> NewCustomerAsync(int silo = 0)
    {
        var email = $"c{Guid.NewGuid():N}@example.com";
        using var client = Client(silo);
        var created = await client.PostAsJsonAsync("/v1/customers", new { email, password = "s3cret-password", name = "Test Customer" });
        created.EnsureSuccessStatusCode();
        var customerId = (await created.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["customerId"];
        return (customerId, await TokenAsync(email, "s3cret-password", silo), email);
    }

    public async Task<string> AdminTokenAsync() => await TokenAsync(AdminEmail, AdminPassword);

    public async Task<string> TokenAsync(string email, string password, int silo = 0)
    {
        using var client = Client(silo);
        var response = await client.PostAsJsonAsync("/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["accessToken"].ToString()!;
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in silos)
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(GatewayCluster))]
public sealed class GatewayClusterCollection : ICollectionFixture<GatewayCluster>;
