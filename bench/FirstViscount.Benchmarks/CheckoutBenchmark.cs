using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// checkout: checkout sagas completed/s for distinct customers (32 at a time, one silo, everything durable in
/// PostgreSQL), against raw single-row INSERT commits/s by 32 connections in the same run: the ratio says how
/// many durable commits' worth of time one checkout costs.
/// </summary>
internal static class CheckoutBenchmark
{
    private const int Customers = 32;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 8 : 30);
        await using var dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        var raw = await RawCommitsAsync(dataSource, duration);
        var perSecond = await GrainCheckoutsPerSecondAsync(duration);
        return [new BenchResult($"checkout/{Customers}-customers", perSecond, "checkouts/s", "raw single-row INSERT commits, 32 connections", raw)];
    }

    /// <summary>Completed checkouts/s driven straight at the saga grains of one silo (the anchor of http-checkout too).</summary>
    public static async Task<double> GrainCheckoutsPerSecondAsync(TimeSpan duration)
    {
        await using var silo = await BenchSilo.StartAsync();

        var skus = Enumerable.Range(0, 200).Select(i => $"bench-{Guid.NewGuid():N}").ToArray();
        await Task.WhenAll(skus.Select(sku => silo.GrainFactory.GetGrain<IInventorySkuGrain>(sku).Receive(1_000_000, "bench stock")));
        var address = new ShippingAddress("Bench Customer", "1 Loop Road", null, "Testville", "12345", "DE");
        long next = 0;
        var perSecond = await Throughput.MeasureAsync(Customers, duration, async customer =>
        {
            var n = Interlocked.Increment(ref next);
            var orderId = $"bench-order-{Guid.NewGuid():N}";
            var sku = skus[n % skus.Length];
            var saga = silo.GrainFactory.GetGrain<ICheckoutSagaGrain>(orderId);
            await saga.Start(new CheckoutRequest(orderId, $"customer-{customer}-{n}", [new OrderLine(sku, "Bench item", 1, 9.99m)], "EUR", address, "tok_ok",
                new PayerDetails("Bench Customer", "bench@example.com")));
            if ((await saga.WaitForEnd(TimeSpan.FromSeconds(10))).Phase != CheckoutPhase.Completed)
            {
                throw new InvalidOperationException($"Checkout {orderId} did not complete.");
            }
        });
        return perSecond;
    }

    private static async Task<double> RawCommitsAsync(NpgsqlDataSource dataSource, TimeSpan duration)
    {
        await using (var setup = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY, payload jsonb NOT NULL)"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        try
        {
            return await Throughput.MeasureAsync(Customers, duration, async _ =>
            {
                await using var insert = dataSource.CreateCommand("""INSERT INTO bench_commits (payload) VALUES ('{"order":"x","total":9.99}')""");
                await insert.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            await using var cleanup = dataSource.CreateCommand("TRUNCATE bench_commits");
            await cleanup.ExecuteNonQueryAsync();
        }
    }
}
