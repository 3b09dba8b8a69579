using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Commerce.Hosting;
using FirstViscount.Tests;
using Npgsql;
using StackExchange.Redis;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// Encryption in transit: the servers deploy/services.sh starts speak TLS with certificates of its local authority,
/// refuse plain text where TLS is required, and a silo process works over TLS to all three, verifying them.
/// </summary>
[Trait("Category", "Ops")]
[Trait("Speed", "Slow")]
public sealed class TransportSecurityTests
{
    [Fact]
    public async Task A_postgresql_that_requires_tls_refuses_plain_text_and_serves_a_client_that_verifies_its_certificate()
    {
        await using var postgres = await PostgresServerProcess.StartAsync(new Dictionary<string, string> { ["FV_PG_REQUIRE_TLS"] = "1" });
        var plain = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SslMode = SslMode.Disable };
        var verified = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SslMode = SslMode.VerifyFull, RootCertificate = postgres.CertificateAuthority };
        var otherAuthority = new NpgsqlConnectionStringBuilder(verified.ConnectionString) { RootCertificate = TestServers.CertificateAuthority };

        var refused = await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(plain.ConnectionString, "SELECT 1"));
        Assert.Equal("28000", refused.SqlState); // pg_hba.conf rejects connection ... no encryption
        Assert.Equal(true, await QueryAsync(verified.ConnectionString, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync(otherAuthority.ConnectionString, "SELECT 1")); // not our authority: no trust
    }

    [Fact]
    public async Task Redis_and_clickhouse_answer_plain_text_on_their_tls_ports_with_nothing_and_verified_clients_with_data()
    {
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", new Uri($"redis://{TestServers.RedisTls.Split(',')[0]}").Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
            var answer = new byte[64];
            var read = await ReadOrFailAsync(stream, answer);
            Assert.NotEqual("+PONG", Encoding.ASCII.GetString(answer, 0, Math.Max(read, 0)).Trim());
        }
        await using (var redis = SharedRedis.Connect(TestServers.RedisTls, TestServers.CertificateAuthority))
        {
            Assert.True(redis.IsConnected || await WaitConnectedAsync(redis));
            Assert.True((await redis.GetDatabase().PingAsync()) > TimeSpan.Zero);
        }

        using var plainHttp = new HttpClient { BaseAddress = new Uri(TestServers.ClickHouseTls.Replace("https://", "http://", StringComparison.Ordinal)) };
        await Assert.ThrowsAsync<HttpRequestException>(() => plainHttp.PostAsync("", new StringContent("SELECT 1")));
        using var https = ClickHouseHttp.Create(new Uri(TestServers.ClickHouseTls), TimeSpan.FromSeconds(10), TestServers.CertificateAuthority);
        Assert.Equal("1", (await new ClickHouseClient(https).QueryAsync("SELECT 1"))[0][0]);
        using var unverified = ClickHouseHttp.Create(new Uri(TestServers.ClickHouseTls), TimeSpan.FromSeconds(10));
        var untrusted = await Assert.ThrowsAsync<ClickHouseException>(() => new ClickHouseClient(unverified).QueryAsync("SELECT 1"));
        Assert.Contains("SSL", untrusted.Message); // our authority is not one of the machine's roots
    }

    [Fact]
    public async Task A_silo_over_tls_to_postgresql_redis_and_clickhouse_verifies_them_and_serves()
    {
        await using var postgres = await PostgresServerProcess.StartAsync(new Dictionary<string, string> { ["FV_PG_REQUIRE_TLS"] = "1" });
        var verified = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SslMode = SslMode.VerifyFull, RootCertificate = postgres.CertificateAuthority };
        await using var cluster = await ProcessCluster.StartAsync(1, new Dictionary<string, string>
        {
            ["Postgres__ConnectionString"] = verified.ConnectionString,
            ["Redis__Configuration"] = TestServers.RedisTls,
            ["Redis__TrustedCertificateAuthority"] = TestServers.CertificateAuthority,
            ["ClickHouse__Url"] = TestServers.ClickHouseTls,
            ["ClickHouse__Database"] = $"fv_tls_{Guid.NewGuid():N}",
            ["ClickHouse__TrustedCertificateAuthority"] = TestServers.CertificateAuthority,
        });
        using var http = new HttpClient { BaseAddress = cluster.Silos[0].Gateway };
        using var token = await http.PostAsJsonAsync("/v1/auth/token", new { email = SiloProcess.AdminEmail, password = SiloProcess.AdminPassword });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());

        using var product = await http.PutAsJsonAsync("/v1/products/TLS-LAMP", new { name = "TLS lamp", price = 12.5m, currency = "EUR" });
        using var ready = await http.GetAsync("/health/ready");
        using var sales = await http.GetAsync("/v1/analytics/sales?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&interval=day");

        product.EnsureSuccessStatusCode();
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());
        Assert.True(sales.IsSuccessStatusCode, $"analytics over https answered {(int)sales.StatusCode}: {await sales.Content.ReadAsStringAsync()}");
        Assert.Equal(true, await QueryAsync(verified.ConnectionString, "SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = 'firstviscount' AND backend_type = 'client backend'"));
    }

    private static async Task<object?> QueryAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<int> ReadOrFailAsync(NetworkStream stream, byte[] buffer)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await stream.ReadAsync(buffer, limit.Token);
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            return -1; // reset or silent: either way no answer in plain text
        }
    }

    private static async Task<bool> WaitConnectedAsync(IConnectionMultiplexer redis)
    {
        for (var i = 0; i < 50 && !redis.IsConnected; i++)
        {
            await Task.Delay(100);
        }
        return redis.IsConnected;
    }
}
