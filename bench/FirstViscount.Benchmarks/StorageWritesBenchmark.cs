using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace FirstViscount.Benchmarks;

[GenerateSerializer, Alias("fv.bench.account-state")]
public sealed class BenchAccountState
{
    [Id(0)]
    public decimal Balance { get; set; }

    [Id(1)]
    public int Deposits { get; set; }

    [Id(2)]
    public string Currency { get; set; } = "EUR";
}

/// <summary>
/// storage-writes: conditional grain-state writes/s to PostgreSQL through the silo's grain storage (Orleans's ADO.NET
/// provider with the project's statements) for distinct grains by 64 writers, against raw single-row UPDATEs by 64
/// connections in the same run.
/// </summary>
internal static class StorageWritesBenchmark
{
    private const int Writers = 64;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 4 : 15);
        await using var silo = await BenchSilo.StartAsync();
        var dataSource = silo.Services.GetRequiredService<NpgsqlDataSource>();
        var raw = await RawUpdatesAsync(dataSource, Guid.NewGuid().ToString("N"), duration);

        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var states = Enumerable.Range(0, Writers)
            .Select(_ => new GrainState<BenchAccountState>(new BenchAccountState { Balance = 1250, Deposits = 17 })).ToArray();
        var grains = Enumerable.Range(0, Writers).Select(writer => GrainId.Create("bench-account", $"{Guid.NewGuid():N}")).ToArray();
        var writes = await Throughput.MeasureAsync(Writers, duration, async writer =>
        {
            states[writer].State!.Deposits++;
            await storage.WriteStateAsync("account", grains[writer], states[writer]);
        });
        return [new BenchResult($"storage-writes/{Writers}-writers", writes, "writes/s", "raw single-row UPDATE, 64 connections", raw)];
    }

    private static async Task<double> RawUpdatesAsync(NpgsqlDataSource dataSource, string run, TimeSpan duration)
    {
        await using (var setup = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS bench_raw (id text PRIMARY KEY, version bigint NOT NULL, payload bytea)"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var connections = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_raw VALUES ($1, 0, '\\x00') ON CONFLICT (id) DO UPDATE SET version = 0", connection)
            {
                Parameters = { new() { Value = $"{run}-{writer}" } },
            };
            await insert.ExecuteNonQueryAsync();
            return connection;
        }));
        var payload = new byte[40];
        try
        {
            return await Throughput.MeasureAsync(Writers, duration, async writer =>
            {
                await using var update = new NpgsqlCommand("UPDATE bench_raw SET version = version + 1, payload = $2 WHERE id = $1", connections[writer])
                {
                    Parameters = { new() { Value = $"{run}-{writer}" }, new() { Value = payload } },
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
