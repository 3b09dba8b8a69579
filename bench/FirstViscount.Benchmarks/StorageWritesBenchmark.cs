using System.Text;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// storage-writes: conditional grain-state writes/s to PostgreSQL for distinct grains by 64 writers, with and
/// without group commit, against raw single-row UPDATEs by 64 connections in the same run.
/// </summary>
internal static class StorageWritesBenchmark
{
    private const int Writers = 64;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 4 : 15);
        await using var dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        var run = Guid.NewGuid().ToString("N");

        var raw = await RawUpdatesAsync(dataSource, run, duration);
        var results = new List<BenchResult>();
        foreach (var groupCommit in new[] { true, false })
        {
            await using var storage = new PostgresGrainStorage("bench", [dataSource], groupCommit);
            var etags = new string?[Writers];
            var payload = Encoding.UTF8.GetBytes("""{"Balance":1250,"Deposits":17,"Currency":"EUR"}""");
            var writes = await Throughput.MeasureAsync(Writers, duration, async writer =>
            {
                var key = new GrainStateKey("bench", "bench-grain", $"{run}-{groupCommit}-{writer}", "state");
                etags[writer] = await storage.WriteAsync(key, payload, etags[writer], CancellationToken.None);
            });
            results.Add(new BenchResult($"storage-writes/{(groupCommit ? "group-commit" : "no-group-commit")}/{Writers}-writers", writes, "writes/s",
                "raw single-row UPDATE, 64 connections", raw));
        }
        await using var cleanup = dataSource.CreateCommand("DELETE FROM grain_state WHERE service_id = 'bench'");
        await cleanup.ExecuteNonQueryAsync();
        return results;
    }

    private static async Task<double> RawUpdatesAsync(NpgsqlDataSource dataSource, string run, TimeSpan duration)
    {
        await using (var setup = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS bench_raw (id text PRIMARY KEY, version bigint NOT NULL, payload jsonb)"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var connections = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_raw VALUES ($1, 0, '{}') ON CONFLICT (id) DO UPDATE SET version = 0", connection)
            {
                Parameters = { new() { Value = $"{run}-{writer}" } },
            };
            await insert.ExecuteNonQueryAsync();
            return connection;
        }));
        try
        {
            return await Throughput.MeasureAsync(Writers, duration, async writer =>
            {
                await using var update = new NpgsqlCommand("UPDATE bench_raw SET version = version + 1, payload = $2::jsonb WHERE id = $1", connections[writer])
                {
                    Parameters = { new() { Value = $"{run}-{writer}" }, new() { Value = """{"Balance":1250,"Deposits":17,"Currency":"EUR"}""", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
                };
                await update.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
            await using var drop = dataSource.CreateCommand("DELETE FROM bench_raw");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
