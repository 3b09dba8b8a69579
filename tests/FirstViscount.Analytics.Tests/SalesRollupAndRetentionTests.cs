using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Retention;
using FirstViscount.Analytics.Sink;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

[Trait("Category", "Analytics")]
public sealed class SalesRollupAndRetentionTests
{
    private static readonly string[] OrderColumns = ["event_id", "position", "order_id", "customer_id", "event_type", "units", "total", "currency", "occurred_at"];

    private static object?[] Confirmed(Guid eventId, int units, decimal total, DateTime at) =>
        [eventId, 1L, "o", "c", "order.confirmed", units, total, "EUR", at];

    private static async Task<string?[]> HourAsync(ClickHouseClient clickHouse, DateTime hour) =>
        (await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT orders, units, revenue FROM fv_sales_hourly FINAL WHERE hour = {0}", hour))).SingleOrDefault() ?? [];

    private static async Task MarkDirtyAsync(NpgsqlDataSource dataSource, SalesRollup rollup, DateTime hour)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await rollup.MarkDirtyAsync(connection, [hour], CancellationToken.None);
    }

    private static readonly string[] CartColumns = ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"];

    private static object?[] OrderEvent(string type, DateTime at) => [Guid.NewGuid(), 1L, "o", "c", type, 1, 1m, "EUR", at];

    private static object?[] CartCreated(Guid eventId, DateTime at) => [eventId, "cart", "created", "", 0, at];

    [Fact]
    public async Task The_funnel_adds_the_recomputed_hours_to_the_facts_of_the_open_ones_counting_a_repeated_delivery_once()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var sink = new AnalyticsSink($"funnel-{Guid.NewGuid():N}", new PostgresEventStore(dataSource), clickHouse, dataSource);
            await Backends.StartAtHorizonAsync(sink, dataSource);
            var hour = SalesRollup.HourOf(DateTimeOffset.UtcNow.AddDays(-3));
            var cart = Guid.NewGuid();
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [OrderEvent("order.placed", hour.AddMinutes(-10))]); // before the range's first whole hour
            await clickHouse.InsertAsync("fv_orders", OrderColumns,
                [OrderEvent("order.placed", hour.AddMinutes(1)), OrderEvent("order.placed", hour.AddMinutes(2)), OrderEvent("order.confirmed", hour.AddMinutes(3)),
                 OrderEvent("order.cancelled", hour.AddMinutes(4)), OrderEvent("order.failed", hour.AddMinutes(5))]);
            await clickHouse.InsertAsync("fv_cart_activity", CartColumns, [CartCreated(cart, hour.AddMinutes(1))]);
            await clickHouse.InsertAsync("fv_cart_activity", CartColumns, [CartCreated(cart, hour.AddMinutes(1))]); // delivered again
            var now = DateTime.UtcNow;
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [OrderEvent("order.placed", now)]); // the open hour, marked as the sink marks it
            await MarkDirtyAsync(dataSource, sink.Rollup, hour);
            await MarkDirtyAsync(dataSource, sink.Rollup, SalesRollup.HourOf(now));
            await sink.Rollup.RecomputeSettledAsync();
            var queries = new AnalyticsQueries(sink.Rollup, clickHouse, dataSource);

            var rolled = (await clickHouse.QueryAsync(ClickHouseSql.Format(
                "SELECT carts_created, placed, confirmed, cancelled, failed FROM fv_funnel_hourly FINAL WHERE hour = {0}", hour))).Single();
            var funnel = await queries.FunnelAsync(new DateTimeOffset(hour.AddMinutes(-30), TimeSpan.Zero), DateTimeOffset.UtcNow.AddMinutes(1));

            Assert.Equal("1 2 1 1 1", string.Join(' ', rolled));
            Assert.Equal(new Funnel(1, 4, 1, 1, 1), funnel);
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task A_funnel_roll_up_added_beside_kept_facts_is_filled_from_them()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            var hour = SalesRollup.HourOf(DateTimeOffset.UtcNow.AddDays(-10));
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [OrderEvent("order.placed", hour.AddMinutes(1)), OrderEvent("order.confirmed", hour.AddMinutes(2))]);

            await ClickHouseSchema.EnsureAsync(clickHouse);
            await ClickHouseSchema.EnsureAsync(clickHouse); // a second silo starting: filled once

            var rows = await clickHouse.QueryAsync("SELECT hour, placed, confirmed FROM fv_funnel_hourly FINAL");
            Assert.Equal($"{hour:yyyy-MM-dd HH:mm:ss} 1 1", string.Join(' ', Assert.Single(rows)));
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    private static readonly string[] LineColumns = ["event_id", "line_no", "order_id", "sku", "quantity", "unit_price", "line_total", "occurred_at"];

    private static object?[] Line(Guid eventId, string sku, int quantity, decimal price, DateTime at) => [eventId, 0, "o", sku, quantity, price, quantity * price, at];

    private static async Task<string> TopAsync(AnalyticsQueries queries, DateTime from) =>
        string.Join(" | ", (await queries.TopProductsAsync(new DateTimeOffset(from, TimeSpan.Zero), DateTimeOffset.UtcNow.AddMinutes(1), 10))
            .Select(p => $"{p.Sku} {p.Units} {p.Revenue}"));

    [Fact]
    public async Task Top_products_read_whole_recomputed_months_from_the_monthly_roll_up_and_the_rest_from_the_order_lines()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var sink = new AnalyticsSink($"products-{Guid.NewGuid():N}", new PostgresEventStore(dataSource), clickHouse, dataSource);
            await Backends.StartAtHorizonAsync(sink, dataSource);
            var queries = new AnalyticsQueries(sink.Rollup, clickHouse, dataSource);
            var month = SalesRollup.MonthOf(DateTime.UtcNow).AddMonths(-3);
            var (twice, inMonth, later) = (Guid.NewGuid(), month.AddDays(5).AddHours(10), month.AddDays(20).AddHours(8));
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(twice, "X", 2, 10.00m, inMonth), Line(Guid.NewGuid(), "Y", 1, 5.00m, later)]);
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(twice, "X", 2, 10.00m, inMonth)]); // delivered again
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(Guid.NewGuid(), "Y", 4, 5.00m, month.AddDays(-2))]); // the month before: a part of it is in the range
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(Guid.NewGuid(), "Z", 1, 50.00m, DateTime.UtcNow)]); // the open month
            await MarkDirtyAsync(dataSource, sink.Rollup, SalesRollup.HourOf(inMonth));
            await MarkDirtyAsync(dataSource, sink.Rollup, SalesRollup.HourOf(later));
            var from = month.AddDays(-5);
            var whileDirty = await TopAsync(queries, from);
            await sink.Rollup.RecomputeSettledAsync();

            var rolled = await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT sku, units, revenue FROM fv_product_sales_monthly FINAL WHERE month = toDate({0}) ORDER BY sku", month));
            var served = await TopAsync(queries, from);
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(Guid.NewGuid(), "X", 10, 10.00m, later)]); // a late commit in the rolled month
            await MarkDirtyAsync(dataSource, sink.Rollup, SalesRollup.HourOf(later));
            var lateWhileDirty = await TopAsync(queries, from);
            await sink.Rollup.RecomputeSettledAsync();
            var lateRolled = await TopAsync(queries, from);
            await clickHouse.InsertAsync("fv_product_sales_monthly", ["month", "sku", "units", "revenue", "computed"],
                [[DateOnly.FromDateTime(month), "W", 1L, 1000.00m, ulong.MaxValue]]); // a row only the roll-up holds

            Assert.Equal("Z 1 50.00 | Y 5 25.00 | X 2 20.00", whileDirty);
            Assert.Equal(["X 2 20.00", "Y 1 5.00"], rolled.Select(row => string.Join(' ', row)));
            Assert.Equal(whileDirty, served);
            Assert.Equal("X 12 120.00 | Z 1 50.00 | Y 5 25.00", lateWhileDirty);
            Assert.Equal(lateWhileDirty, lateRolled);
            Assert.StartsWith("W 1 1000.00 | ", await TopAsync(queries, from)); // the whole month came from the roll-up
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task A_product_roll_up_added_beside_kept_order_lines_is_filled_from_them_for_the_closed_months()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            var closed = SalesRollup.MonthOf(DateTime.UtcNow).AddMonths(-2);
            await clickHouse.InsertAsync("fv_order_lines", LineColumns, [Line(Guid.NewGuid(), "X", 3, 2.00m, closed.AddDays(3)), Line(Guid.NewGuid(), "X", 1, 2.00m, DateTime.UtcNow)]);
            await clickHouse.ExecuteAsync("DROP TABLE fv_product_sales_monthly"); // as before the roll-up existed

            await ClickHouseSchema.EnsureAsync(clickHouse);
            await ClickHouseSchema.EnsureAsync(clickHouse); // a second silo starting: filled once

            var rows = await clickHouse.QueryAsync("SELECT month, sku, units, revenue FROM fv_product_sales_monthly FINAL");
            Assert.Equal($"{closed:yyyy-MM-dd} X 3 6.00", string.Join(' ', Assert.Single(rows)));
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task A_closed_hour_is_recomputed_from_the_deduplicated_facts_and_recomputed_again_when_more_arrive()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var sink = new AnalyticsSink($"rollup-{Guid.NewGuid():N}", new PostgresEventStore(dataSource), clickHouse, dataSource);
            await Backends.StartAtHorizonAsync(sink, dataSource);
            var hour = SalesRollup.HourOf(DateTimeOffset.UtcNow.AddDays(-3));
            var twice = Guid.NewGuid();
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [Confirmed(twice, 2, 20.00m, hour.AddMinutes(5)), Confirmed(Guid.NewGuid(), 1, 5.50m, hour.AddMinutes(59))]);
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [Confirmed(twice, 2, 20.00m, hour.AddMinutes(5))]); // delivered again
            await MarkDirtyAsync(dataSource, sink.Rollup, hour);
            var untrusted = await sink.Rollup.TrustedUntilAsync();

            var recomputed = await sink.Rollup.RecomputeSettledAsync();
            var first = await HourAsync(clickHouse, hour);
            await clickHouse.InsertAsync("fv_orders", OrderColumns, [Confirmed(Guid.NewGuid(), 3, 1.25m, hour.AddMinutes(30))]); // a late commit
            await MarkDirtyAsync(dataSource, sink.Rollup, hour);
            await sink.Rollup.RecomputeSettledAsync();

            Assert.Equal(hour, untrusted);
            Assert.Equal(1, recomputed);
            Assert.Equal("2 3 25.50", string.Join(' ', first));
            Assert.Equal("3 6 26.75", string.Join(' ', await HourAsync(clickHouse, hour)));
            Assert.Equal(SalesRollup.HourOf(DateTimeOffset.UtcNow), await sink.Rollup.TrustedUntilAsync());
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task Retention_drops_exactly_the_months_that_ended_more_than_two_years_ago()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
            DateTime At(int year, int month, int day) => new(year, month, day, 10, 0, 0, DateTimeKind.Utc);
            // Cut-off: 2024-11-20. October 2024 ended before it and goes; November 2024 still has days inside the period and stays.
            DateTime[] expired = [At(2023, 1, 15), At(2024, 10, 31)];
            DateTime[] kept = [At(2024, 11, 1), At(2025, 6, 1), At(2026, 11, 20)];
            foreach (var at in expired.Concat(kept))
            {
                await clickHouse.InsertAsync("fv_orders", OrderColumns, [Confirmed(Guid.NewGuid(), 1, 1m, at)]);
                await clickHouse.InsertAsync("fv_cart_activity", ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"], [[Guid.NewGuid(), "c", "created", "", 0, at]]);
            }

            var dropped = await ClickHouseRetention.DropExpiredPartitionsAsync(clickHouse, now, ClickHouseRetention.DefaultPeriod);
            var months = await clickHouse.QueryAsync("SELECT toYYYYMM(occurred_at) AS m, count() FROM fv_orders GROUP BY m ORDER BY m");
            var again = await ClickHouseRetention.DropExpiredPartitionsAsync(clickHouse, now, ClickHouseRetention.DefaultPeriod);

            Assert.Equal(["fv_cart_activity/202301", "fv_cart_activity/202410", "fv_orders/202301", "fv_orders/202410"], dropped);
            Assert.Equal(["202411:1", "202506:1", "202611:1"], months.Select(row => $"{row[0]}:{row[1]}"));
            Assert.Equal("3", await Backends.ScalarAsync(clickHouse, "SELECT count() FROM fv_cart_activity"));
            Assert.Empty(again);
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }
}
