using FirstViscount.Redis.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FirstViscount.SiloHost;

/// <summary>Ready only while PostgreSQL answers a query.</summary>
internal sealed class PostgresReadinessCheck(string connectionString) : IHealthCheck
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
}

/// <summary>Ready only while Redis answers PING.</summary>
internal sealed class RedisReadinessCheck(string configuration) : IHealthCheck
{
    private readonly RedisClient redis = new(RedisConnectionOptions.Parse(configuration));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.PingAsync();
            return HealthCheckResult.Healthy("Redis answers");
        }
        catch (FirstViscountException error)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", error);
        }
    }
}
