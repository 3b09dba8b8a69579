using FirstViscount.Commerce.Catalog;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace FirstViscount.SiloHost;

/// <summary>Ready only while PostgreSQL answers a query (on a connection of its own, with a short timeout).</summary>
internal sealed class PostgresReadinessCheck(string connectionString) : IHealthCheck, IDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 2, CommandTimeout = 2 }.ConnectionString);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", error);
        }
    }

    public void Dispose() => dataSource.Dispose();
}

/// <summary>Ready only while Redis answers PING on the silo's shared connection.</summary>
internal sealed class RedisReadinessCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy("Redis answers");
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", error);
        }
    }
}

/// <summary>
/// The read replica's lag: Degraded (still 200: searches fall back to the primary) with the warning when it is over
/// its threshold or cannot be measured.
/// </summary>
internal sealed class ReplicaReadinessCheck(ReplicaLagMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(monitor.Warning is { } warning
            ? HealthCheckResult.Degraded(warning)
            : HealthCheckResult.Healthy($"the PostgreSQL replica is {monitor.Lag!.Value.TotalSeconds:0.000} s behind; searches read from {(monitor.ServesReads ? "it" : "the primary")}"));
}
