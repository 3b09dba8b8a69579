using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.Tests;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

/// <summary>The servers of <see cref="TestServers"/>, and helpers to use them.</summary>
internal static class Backends
{
    public static string Postgres => TestServers.Postgres;

    public static string ClickHouseAddress => TestServers.ClickHouse;

    public static readonly ClickHouseClient ClickHouse = new(new HttpClient { BaseAddress = new Uri(ClickHouseAddress), Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>A ClickHouse database of the test's own, with the schema (drop it with <see cref="DropAsync"/>).</summary>
    public static async Task<ClickHouseClient> NewClickHouseDatabaseAsync(Uri? address = null)
    {
        var client = new ClickHouseClient(new HttpClient { BaseAddress = address ?? new Uri(ClickHouseAddress), Timeout = TimeSpan.FromSeconds(30) },
            $"fv_test_{Guid.NewGuid():N}");
        await ClickHouseSchema.EnsureAsync(client);
        return client;
    }

    public static Task DropAsync(ClickHouseClient database) => ClickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS {database.Database}");

    /// <summary>Puts the sink just after everything already finished in the log, so a test moves only its own, recent events.</summary>
    public static async Task<GlobalCheckpoint> StartAtHorizonAsync(AnalyticsSink sink, NpgsqlDataSource dataSource)
    {
        await PostgresMigrator.MigrateAsync(dataSource);
        await using var horizon = dataSource.CreateCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())");
        var start = new GlobalCheckpoint((ulong)(await horizon.ExecuteScalarAsync())! - 1, long.MaxValue);
        await sink.SaveCheckpointAsync(start);
        return start;
    }

    public static async Task<string?> ScalarAsync(ClickHouseClient clickHouse, string template, params object?[] arguments) =>
        (await clickHouse.QueryAsync(ClickHouseSql.Format(template, arguments)))[0][0];
}
