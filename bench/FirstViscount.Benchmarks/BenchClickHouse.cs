using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>Fresh PostgreSQL and ClickHouse databases for the analytics benchmarks (FV_POSTGRES / FV_CLICKHOUSE override the servers).</summary>
internal static class BenchClickHouse
{
    public static Uri Address { get; } = new(Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? "http://127.0.0.1:18123/");

    public static HttpClient Http { get; } = new() { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>Drops and re-creates a ClickHouse database with the analytics schema.</summary>
    public static async Task<ClickHouseClient> FreshDatabaseAsync(string name)
    {
        var client = new ClickHouseClient(Http, name);
        await client.ForDatabase("default").ExecuteAsync($"DROP DATABASE IF EXISTS {client.Database}");
        await ClickHouseSchema.EnsureAsync(client);
        return client;
    }

    /// <summary>Drops and re-creates a PostgreSQL database on the bench server; returns its connection string.</summary>
    public static async Task<string> FreshPostgresAsync(string name)
    {
        await using (var admin = NpgsqlDataSource.Create(BenchDatabase.ConnectionString))
        {
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
            await using var create = admin.CreateCommand($"CREATE DATABASE \"{name}\"");
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(BenchDatabase.ConnectionString) { Database = name }.ConnectionString;
    }
}
