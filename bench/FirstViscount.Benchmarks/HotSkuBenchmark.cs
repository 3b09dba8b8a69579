using FirstViscount.Commerce.Inventory;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// hot-sku: reservations/s through one SKU grain (event-sourced in PostgreSQL, concurrent reservations decided in order and committed together) with 64 concurrent
/// callers, against the same reservation as a raw conditional UPDATE of one row by 64 connections. Then checks
/// that nothing was oversold: reserved equals the successful reservations and available is not negative.
/// </summary>
internal static class HotSkuBenchmark
{
    public const string JournaledProvider = "journaled-sku";
    private const int Callers = 64;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 5 : 20);
        await using var dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        var raw = await RawReservationsAsync(dataSource, duration);

        await using var silo = await BenchSilo.StartAsync(builder => builder.AddCustomStorageBasedLogConsistencyProvider(JournaledProvider));
        var sku = silo.GrainFactory.GetGrain<IInventorySkuGrain>($"bench-hot-{Guid.NewGuid():N}");
        await sku.Receive(100_000_000, "bench stock");
        long reserved = 0;
        var sequence = 0L;
        var perSecond = await Throughput.MeasureAsync(Callers, duration, async _ =>
        {
            var result = await sku.Reserve($"order-{Interlocked.Increment(ref sequence)}", 1, TimeSpan.FromHours(1));
            if (result.Outcome == ReservationOutcome.Reserved)
            {
                Interlocked.Increment(ref reserved);
            }
        });
        var levels = await sku.GetLevels();
        if (levels.Reserved != reserved || levels.Available < 0)
        {
            throw new InvalidOperationException($"Oversold or lost: {reserved} acknowledged, {levels.Reserved} reserved, {levels.Available} available.");
        }
        Console.Error.WriteLine($"hot-sku: {reserved} reservations acknowledged, {levels.Reserved} reserved, {levels.Available} available, stream version {levels.Version}");

        // The same load on a JournaledGrain (CustomStorage over the same event store), for the choice of base class.
        var journaled = silo.GrainFactory.GetGrain<IJournaledSkuGrain>($"bench-journaled-{Guid.NewGuid():N}");
        await journaled.Receive(100_000_000);
        long journaledReserved = 0;
        var journaledPerSecond = await Throughput.MeasureAsync(Callers, duration, async _ =>
        {
            if (await journaled.Reserve($"order-{Interlocked.Increment(ref sequence)}", 1))
            {
                Interlocked.Increment(ref journaledReserved);
            }
        });
        var journaledLevels = await journaled.Levels();
        if (journaledLevels.Reserved != journaledReserved)
        {
            throw new InvalidOperationException($"JournaledGrain: {journaledReserved} acknowledged, {journaledLevels.Reserved} reserved.");
        }
        return
        [
            new BenchResult($"hot-sku/{Callers}-callers", perSecond, "reservations/s", "raw conditional UPDATE of one row, 64 connections", raw),
            new BenchResult($"hot-sku/journaled-grain/{Callers}-callers", journaledPerSecond, "reservations/s", "raw conditional UPDATE of one row, 64 connections", raw),
        ];
    }

    private static async Task<double> RawReservationsAsync(NpgsqlDataSource dataSource, TimeSpan duration)
    {
        var sku = $"raw-{Guid.NewGuid():N}";
        await using (var setup = dataSource.CreateCommand(
            "CREATE TABLE IF NOT EXISTS bench_stock (sku text PRIMARY KEY, on_hand integer NOT NULL, reserved integer NOT NULL); " +
            $"INSERT INTO bench_stock VALUES ('{sku}', 100000000, 0)"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var connections = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        try
        {
            return await Throughput.MeasureAsync(Callers, duration, async caller =>
            {
                await using var reserve = new NpgsqlCommand("UPDATE bench_stock SET reserved = reserved + 1 WHERE sku = $1 AND on_hand - reserved >= 1", connections[caller])
                {
                    Parameters = { new() { Value = sku } },
                };
                await reserve.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
            await using var cleanup = dataSource.CreateCommand($"DELETE FROM bench_stock WHERE sku = '{sku}'");
            await cleanup.ExecuteNonQueryAsync();
        }
    }
}
