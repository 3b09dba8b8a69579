using System.Diagnostics;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Sink;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// analytics-query: each analytics route's query over two years of 10 million events (5 M order, 3 M inventory,
/// 2 M payment facts, with 5 M order lines and 1 M cart events beside them), p95 of 20 runs each: revenue per day
/// through the sales query the API uses (hourly roll-up + facts for the open hours) against the same answer computed
/// straight from the order facts with FINAL (both must give the same revenue); top products (monthly roll-up + order
/// lines, checked against the order lines read with FINAL) and the funnel over the two years and over the last 30
/// days, each against the same query without FINAL (the facts read without deduplication: what the deduplication
/// costs).
/// </summary>
internal static class AnalyticsQueryBenchmark
{
    private const int Runs = 20;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var clickHouse = await BenchClickHouse.FreshDatabaseAsync("fv_bench_query");
        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-730);
        await GenerateAsync(clickHouse, from, 10_000_000);

        await using var dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        var sink = new AnalyticsSink($"bench-query-{Guid.NewGuid():N}", new PostgresEventStore(dataSource), clickHouse, dataSource);
        var rollupSeconds = await BuildRollupAsync(dataSource, sink, from, to);
        var queries = new AnalyticsQueries(sink.Rollup, clickHouse, dataSource);

        var rawSql = ClickHouseSql.Format("""
            SELECT toStartOfDay(occurred_at) AS d, count(), sum(units), sum(total) FROM fv_orders FINAL
            WHERE event_type = 'order.confirmed' AND occurred_at >= {0} AND occurred_at < {1} GROUP BY d ORDER BY d
            """, from, to);
        IReadOnlyList<string?[]> raw = [];
        var rawMs = await Latency.P95MillisecondsAsync(Runs, async () => raw = await clickHouse.QueryAsync(rawSql));
        IReadOnlyList<SalesBucket> served = [];
        var servedMs = await Latency.P95MillisecondsAsync(Runs, async () => served = await queries.SalesAsync(from, to, SalesInterval.Day));

        var rawRevenue = raw.Sum(row => decimal.Parse(row[3]!, System.Globalization.CultureInfo.InvariantCulture));
        var servedRevenue = served.Sum(bucket => bucket.Revenue);
        if (rawRevenue != servedRevenue)
        {
            throw new InvalidOperationException($"The roll-up says {servedRevenue} and the facts {rawRevenue}.");
        }
        await using (var forget = dataSource.CreateCommand("DELETE FROM analytics_dirty_hours WHERE sink = $1"))
        {
            forget.Parameters.Add(new NpgsqlParameter { Value = sink.Name });
            await forget.ExecuteNonQueryAsync();
        }
        Console.Error.WriteLine($"analytics-query: {served.Count} days, revenue {servedRevenue:N2} either way; roll-up of 17,520 hours built in {rollupSeconds:0.0} s");
        var results = new List<BenchResult>
        {
            new("analytics-query/sales-per-day-2-years-p95", servedMs, "ms", "the same from fv_orders FINAL, p95", rawMs),
        };
        foreach (var (range, since) in new[] { ("2-years", from), ("30-days", to.AddDays(-30)) })
        {
            IReadOnlyList<ProductSales> served10 = [];
            var top = await Latency.P95MillisecondsAsync(Runs, async () => served10 = await queries.TopProductsAsync(since, to, 10));
            var exact = await clickHouse.QueryAsync(ClickHouseSql.Format(
                "SELECT sku, sum(quantity) AS units, sum(line_total) AS revenue FROM fv_order_lines FINAL WHERE occurred_at >= {0} AND occurred_at < {1} GROUP BY sku ORDER BY revenue DESC, units DESC, sku LIMIT 10",
                since, to));
            var (servedText, exactText) = (string.Join(", ", served10.Select(p => $"{p.Sku} {p.Units} {p.Revenue}")), string.Join(", ", exact.Select(row => string.Join(' ', row))));
            if (servedText != exactText)
            {
                throw new InvalidOperationException($"Top products over {range}: the route says {servedText}, the order lines {exactText}.");
            }
            var topRaw = await Latency.P95MillisecondsAsync(Runs, () => clickHouse.QueryAsync(ClickHouseSql.Format(
                "SELECT sku, sum(quantity) AS units, sum(line_total) AS revenue FROM fv_order_lines WHERE occurred_at >= {0} AND occurred_at < {1} GROUP BY sku ORDER BY revenue DESC, units DESC, sku LIMIT 10",
                since, to)));
            results.Add(new($"analytics-query/top-products-{range}-p95", top, "ms", "the same without FINAL, p95", topRaw));
            var funnel = await Latency.P95MillisecondsAsync(Runs, () => queries.FunnelAsync(since, to));
            var funnelRaw = await Latency.P95MillisecondsAsync(Runs, async () =>
            {
                await clickHouse.QueryAsync(ClickHouseSql.Format(
                    "SELECT event_type, count() FROM fv_orders WHERE occurred_at >= {0} AND occurred_at < {1} AND event_type IN ('order.placed', 'order.confirmed', 'order.cancelled', 'order.failed') GROUP BY event_type",
                    since, to));
                await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT count() FROM fv_cart_activity WHERE occurred_at >= {0} AND occurred_at < {1} AND kind = 'created'", since, to));
            });
            results.Add(new($"analytics-query/funnel-{range}-p95", funnel, "ms", "the same without FINAL, p95", funnelRaw));
        }
        return results;
    }

    private static async Task GenerateAsync(ClickHouseClient clickHouse, DateTimeOffset from, long events)
    {
        var clock = Stopwatch.StartNew();
        var (orders, movements, payments) = (events / 2, events * 3 / 10, events / 5);
        var span = (long)TimeSpan.FromDays(730).TotalSeconds;
        string At(long count) => ClickHouseSql.Format("{0} + intDiv(number * {1}, {2})", from, span, count);
        await clickHouse.ExecuteAsync($"""
            INSERT INTO fv_orders SELECT generateUUIDv4(), number, toString(intDiv(number, 2)), concat('c', toString(number % 1000)),
                if(number % 2 = 0, 'order.placed', 'order.confirmed'), 3, toDecimal64(number % 1000, 2) / 10, 'EUR', {At(orders)}
            FROM numbers({orders})
            """);
        await clickHouse.ExecuteAsync($"""
            INSERT INTO fv_inventory_movements SELECT generateUUIDv4(), concat('SKU-', toString(number % 5000)), 'stock-reserved', 2, toString(number), {At(movements)}
            FROM numbers({movements})
            """);
        await clickHouse.ExecuteAsync($"""
            INSERT INTO fv_order_lines SELECT generateUUIDv4(), toUInt16(number % 2), toString(intDiv(number, 2)), concat('SKU-', toString(number % 5000)),
                1 + number % 3, toDecimal64(9.99, 2), toDecimal64(9.99 * (1 + number % 3), 2), {At(orders)}
            FROM numbers({orders})
            """);
        await clickHouse.ExecuteAsync($"""
            INSERT INTO fv_cart_activity SELECT generateUUIDv4(), toString(intDiv(number, 3)), if(number % 3 = 0, 'created', 'item-added'),
                concat('SKU-', toString(number % 5000)), 1, {At(events / 10)}
            FROM numbers({events / 10})
            """);
        await clickHouse.ExecuteAsync($"""
            INSERT INTO fv_payments SELECT generateUUIDv4(), toString(number), toString(number), 'captured', toDecimal64(number % 1000, 2) / 10, 'EUR', {At(payments)}
            FROM numbers({payments})
            """);
        Console.Error.WriteLine($"analytics-query: generated {events:N0} events in ClickHouse in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>What the sink does as it delivers: every hour with confirmed orders is marked, then recomputed.</summary>
    private static async Task<double> BuildRollupAsync(NpgsqlDataSource dataSource, AnalyticsSink sink, DateTimeOffset from, DateTimeOffset to)
    {
        var hours = new List<DateTime>();
        for (var hour = SalesRollup.HourOf(from); hour < to; hour = hour.AddHours(1))
        {
            hours.Add(hour);
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await sink.Rollup.MarkDirtyAsync(connection, hours, CancellationToken.None);
        }
        var clock = Stopwatch.StartNew();
        while (await sink.Rollup.RecomputeSettledAsync() > 0)
        {
        }
        return clock.Elapsed.TotalSeconds;
    }
}
