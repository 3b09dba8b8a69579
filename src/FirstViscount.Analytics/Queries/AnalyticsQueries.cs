using System.Globalization;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using Npgsql;

namespace FirstViscount.Analytics.Queries;

/// <summary>
/// The analytics of API.md, read from ClickHouse with FINAL (an event delivered twice counts once). Sales use the
/// hourly roll-up for whole hours it is trusted for, and the order facts for the rest of the range.
/// </summary>
public sealed class AnalyticsQueries(SalesRollup rollup, ClickHouseClient clickHouse, NpgsqlDataSource postgres)
{
    private const string Confirmed = "event_type = 'order.confirmed'";

    /// <summary>Confirmed sales per bucket over [from, to); every bucket of the range is present, empty ones as zeros.</summary>
    public async Task<IReadOnlyList<SalesBucket>> SalesAsync(DateTimeOffset from, DateTimeOffset to, SalesInterval interval, CancellationToken cancellationToken = default)
    {
        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        var (rolledFrom, rolledTo, facts) = await SplitAtRollupsAsync(from, to, cancellationToken);
        var totals = new Dictionary<DateTime, SalesBucket>();
        if (rolledFrom < rolledTo)
        {
            Add(totals, await clickHouse.QueryAsync(ClickHouseSql.Format(
                $"SELECT {BucketOf("hour", interval)} AS b, sum(orders), sum(units), sum(revenue) FROM fv_sales_hourly FINAL WHERE hour >= {{0}} AND hour < {{1}} GROUP BY b",
                rolledFrom, rolledTo), cancellationToken));
        }
        Add(totals, await RawSalesAsync(interval, cancellationToken, facts));
        var buckets = new List<SalesBucket>();
        for (var bucket = interval == SalesInterval.Hour ? SalesRollup.HourOf(from) : start.Date; bucket < end; bucket = Next(bucket, interval))
        {
            var at = new DateTimeOffset(bucket, TimeSpan.Zero);
            buckets.Add(totals.TryGetValue(bucket, out var sales) ? sales with { Bucket = at } : new SalesBucket(at, 0, 0, 0m));
        }
        return buckets;
    }

    /// <summary>How many buckets a sales query over the range returns.</summary>
    public static long BucketCount(DateTimeOffset from, DateTimeOffset to, SalesInterval interval) =>
        interval == SalesInterval.Hour
            ? (long)Math.Ceiling((to.UtcDateTime - SalesRollup.HourOf(from)).TotalHours)
            : (long)Math.Ceiling((to.UtcDateTime - from.UtcDateTime.Date).TotalDays);

    /// <summary>
    /// The best-selling skus by revenue (then units, then sku) among confirmed orders in [from, to): the monthly product
    /// roll-up for the whole months of the range before the first dirty hour, the order lines for the rest.
    /// </summary>
    public async Task<IReadOnlyList<ProductSales>> TopProductsAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        var rolledFrom = CeilingMonth(start);
        var rolledTo = SalesRollup.MonthOf(Min(end, await rollup.TrustedUntilAsync(cancellationToken)));
        var lines = rolledFrom < rolledTo
            ? ClickHouseSql.Format("""
                SELECT sku, units, revenue FROM fv_product_sales_monthly FINAL WHERE month >= toDate({0}) AND month < toDate({1})
                UNION ALL
                SELECT sku, toInt64(quantity) AS units, line_total AS revenue FROM fv_order_lines FINAL
                WHERE (occurred_at >= {2} AND occurred_at < {0}) OR (occurred_at >= {1} AND occurred_at < {3})
                """, rolledFrom, rolledTo, start, end)
            : ClickHouseSql.Format("SELECT sku, toInt64(quantity) AS units, line_total AS revenue FROM fv_order_lines FINAL WHERE occurred_at >= {0} AND occurred_at < {1}", start, end);
        var rows = await clickHouse.QueryAsync(
            $"SELECT sku, sum(units) AS units, sum(revenue) AS revenue FROM ({lines}) GROUP BY sku ORDER BY revenue DESC, units DESC, sku LIMIT {limit}", cancellationToken);
        return [.. rows.Select(row => new ProductSales(row[0]!, Long(row[1]), Money(row[2])))];
    }

    /// <summary>
    /// Carts created, checkouts started (orders placed) and how orders ended, counted by when each happened in [from, to):
    /// the hourly funnel roll-up for the whole hours it is trusted for, the facts for the rest of the range.
    /// </summary>
    public async Task<Funnel> FunnelAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (rolledFrom, rolledTo, facts) = await SplitAtRollupsAsync(from, to, cancellationToken);
        var parts = new List<Funnel>();
        if (rolledFrom < rolledTo)
        {
            var rolled = (await clickHouse.QueryAsync(ClickHouseSql.Format(
                "SELECT sum(carts_created), sum(placed), sum(confirmed), sum(cancelled), sum(failed) FROM fv_funnel_hourly FINAL WHERE hour >= {0} AND hour < {1}",
                rolledFrom, rolledTo), cancellationToken))[0];
            parts.Add(new Funnel(Long(rolled[0]), Long(rolled[1]), Long(rolled[2]), Long(rolled[3]), Long(rolled[4])));
        }
        foreach (var (factsFrom, factsTo) in facts)
        {
            parts.Add(await RawFunnelAsync(factsFrom, factsTo, cancellationToken));
        }
        return new Funnel(parts.Sum(p => p.CartsCreated), parts.Sum(p => p.CheckoutsStarted), parts.Sum(p => p.OrdersConfirmed),
            parts.Sum(p => p.OrdersCancelled), parts.Sum(p => p.OrdersFailed));
    }

    /// <summary>
    /// Splits [from, to) into the whole hours the hourly roll-ups answer for (those closed before the earliest dirty hour;
    /// empty when none) and the parts before and after them, which the facts answer for.
    /// </summary>
    private async Task<(DateTime RolledFrom, DateTime RolledTo, (DateTime From, DateTime To)[] Facts)> SplitAtRollupsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        var rolledFrom = CeilingHour(start);
        var rolledTo = Min(SalesRollup.HourOf(to), await rollup.TrustedUntilAsync(cancellationToken));
        return rolledFrom < rolledTo ? (rolledFrom, rolledTo, [(start, rolledFrom), (rolledTo, end)]) : (rolledFrom, rolledFrom, [(start, end)]);
    }

    private async Task<Funnel> RawFunnelAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            return new Funnel(0, 0, 0, 0, 0);
        }
        var orders = (await clickHouse.QueryAsync(ClickHouseSql.Format("""
            SELECT event_type, count() FROM fv_orders FINAL
            WHERE occurred_at >= {0} AND occurred_at < {1} AND event_type IN ('order.placed', 'order.confirmed', 'order.cancelled', 'order.failed')
            GROUP BY event_type
            """, from, to), cancellationToken)).ToDictionary(row => row[0]!, row => Long(row[1]));
        var carts = await clickHouse.QueryAsync(ClickHouseSql.Format(
            "SELECT count() FROM fv_cart_activity FINAL WHERE occurred_at >= {0} AND occurred_at < {1} AND kind = 'created'", from, to), cancellationToken);
        long Count(string type) => orders.GetValueOrDefault(type);
        return new Funnel(Long(carts[0][0]), Count("order.placed"), Count("order.confirmed"), Count("order.cancelled"), Count("order.failed"));
    }

    /// <summary>
    /// Shipments delivered per day in [from, to) (the day of the first report that says delivered) and how many arrived
    /// by their estimated day; a shipment counts once however often its carrier reported it.
    /// </summary>
    public async Task<DeliveryReport> DeliveriesAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var rows = await clickHouse.QueryAsync(ClickHouseSql.Format("""
            SELECT toString(day), count(), sum(day <= promised)
            FROM (
                SELECT shipment_id, toDate(min(reported_at)) AS day FROM fv_shipments FINAL
                WHERE kind = 'tracked' AND status = 'Delivered' GROUP BY shipment_id
            ) ANY LEFT JOIN (
                SELECT shipment_id, any(estimated_delivery) AS promised FROM fv_shipments FINAL WHERE kind = 'created' GROUP BY shipment_id
            ) USING shipment_id
            WHERE day >= toDate({0}) AND day < toDate({1})
            GROUP BY day
            """, from.ToDateTime(TimeOnly.MinValue), to.ToDateTime(TimeOnly.MinValue)), cancellationToken);
        var byDay = rows.ToDictionary(row => DateOnly.ParseExact(row[0]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), row => (Delivered: Long(row[1]), OnTime: Long(row[2])));
        var days = new List<DeliveryDay>();
        for (var day = from; day < to; day = day.AddDays(1))
        {
            var (delivered, onTime) = byDay.GetValueOrDefault(day);
            days.Add(new DeliveryDay(day, delivered, onTime, Rate(onTime, delivered)));
        }
        var (total, totalOnTime) = (days.Sum(d => d.Delivered), days.Sum(d => d.OnTime));
        return new DeliveryReport(from, to, total, totalOnTime, Rate(totalOnTime, total), days);
    }

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>The sink's lag behind the event log (<see cref="SinkFreshness"/>).</summary>
    public Task<Freshness> FreshnessAsync(CancellationToken cancellationToken = default) => SinkFreshness.ReadAsync(postgres, cancellationToken);

    private async Task<IReadOnlyList<string?[]>> RawSalesAsync(SalesInterval interval, CancellationToken cancellationToken, params (DateTime From, DateTime To)[] ranges)
    {
        var within = ranges.Where(r => r.From < r.To).Select(r => ClickHouseSql.Format("(occurred_at >= {0} AND occurred_at < {1})", r.From, r.To)).ToList();
        if (within.Count == 0)
        {
            return [];
        }
        return await clickHouse.QueryAsync(
            $"SELECT {BucketOf("occurred_at", interval)} AS b, count(), sum(units), sum(total) FROM fv_orders FINAL WHERE {Confirmed} AND ({string.Join(" OR ", within)}) GROUP BY b",
            cancellationToken);
    }

    private static string BucketOf(string column, SalesInterval interval) => interval == SalesInterval.Hour ? $"toStartOfHour({column})" : $"toStartOfDay({column})";

    private static void Add(Dictionary<DateTime, SalesBucket> totals, IReadOnlyList<string?[]> rows)
    {
        foreach (var row in rows)
        {
            var bucket = DateTime.SpecifyKind(DateTime.ParseExact(row[0]!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var sales = new SalesBucket(default, Long(row[1]), Long(row[2]), Money(row[3]));
            totals[bucket] = totals.TryGetValue(bucket, out var sum)
                ? new SalesBucket(default, sum.Orders + sales.Orders, sum.Units + sales.Units, sum.Revenue + sales.Revenue)
                : sales;
        }
    }

    private static DateTime Next(DateTime bucket, SalesInterval interval) => interval == SalesInterval.Hour ? bucket.AddHours(1) : bucket.AddDays(1);

    private static DateTime CeilingHour(DateTime moment) => SalesRollup.HourOf(moment) == moment ? moment : SalesRollup.HourOf(moment).AddHours(1);

    private static DateTime CeilingMonth(DateTime moment) => SalesRollup.MonthOf(moment) == moment ? moment : SalesRollup.MonthOf(moment).AddMonths(1);

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static long Long(string? field) => long.Parse(field ?? "0", CultureInfo.InvariantCulture);

    private static decimal Money(string? field) => decimal.Parse(field ?? "0", CultureInfo.InvariantCulture);
}
