using System.Globalization;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;

namespace FirstViscount.Audit.Checks;

/// <summary>
/// The analytics roll-ups against the log: for every hour the analytics routes trust the hourly sales roll-up
/// (fv_sales_hourly) for (closed, before the earliest dirty hour) and whose confirmed orders have all been delivered,
/// its orders, units and revenue equal the log's confirmed orders of that hour (an hour without a row counts as none);
/// likewise each product's units and revenue in every whole month the monthly product roll-up
/// (fv_product_sales_monthly) is trusted for.
/// </summary>
internal sealed class SalesRollupCheck : IAuditCheck
{
    public string Name => "read-models";

    public string? SkipReason(AuditContext context) => context.ClickHouse is null ? "ClickHouse is not configured" : null;

    public async Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var trustedUntil = await TrustedUntilAsync(context, cancellationToken);
        var log = new Dictionary<string, (Sales Delivered, Sales All)>();
        foreach (var row in await context.QueryAsync($"""
            SELECT to_char(date_trunc('hour', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:00:00'),
                   {AuditSql.Delivered},
                   count(*),
                   coalesce(sum((SELECT sum({AuditSql.Number("quantity", "line")}) FROM jsonb_array_elements(payload->'lines') line)), 0)::bigint,
                   coalesce(sum({AuditSql.Number("total")}), 0)
            FROM events e LEFT JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = e.log_partition
            WHERE event_type = 'order.confirmed' AND recorded_at >= $2 AND recorded_at < $3
            GROUP BY 1, 2
            """, reader => (Hour: reader.GetString(0), Delivered: reader.GetBoolean(1), Sales: new Sales(reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4))),
            cancellationToken, context.Options.StreamProvider, context.AnalyticsFrom, trustedUntil))
        {
            var (delivered, all) = log.GetValueOrDefault(row.Hour);
            log[row.Hour] = (row.Delivered ? delivered + row.Sales : delivered, all + row.Sales);
        }
        var rollup = (await context.ClickHouse!.QueryAsync(ClickHouseSql.Format(
                "SELECT toString(hour), orders, units, toString(revenue) FROM fv_sales_hourly FINAL WHERE hour >= {0} AND hour < {1}",
                context.AnalyticsFrom, trustedUntil), cancellationToken))
            .ToDictionary(row => row[0]!, row => new Sales(long.Parse(row[1]!, CultureInfo.InvariantCulture), long.Parse(row[2]!, CultureInfo.InvariantCulture),
                decimal.Parse(row[3]!, CultureInfo.InvariantCulture)));
        var findings = new List<AuditFinding>();
        foreach (var hour in log.Keys.Union(rollup.Keys).Order(StringComparer.Ordinal))
        {
            var (delivered, all) = log.GetValueOrDefault(hour);
            if (delivered != all)
            {
                continue; // the sink has not delivered the whole hour yet
            }
            var kept = rollup.GetValueOrDefault(hour);
            if (kept != all)
            {
                findings.Add(new AuditFinding(Name, $"fv_sales_hourly/{hour}",
                    $"the roll-up holds {kept.Orders} orders, {kept.Units} units, {kept.Revenue:0.00}; the log's confirmed orders are {all.Orders}, {all.Units} units, {all.Revenue:0.00}"));
            }
        }
        findings.AddRange(await ProductMonthFindingsAsync(context, trustedUntil, cancellationToken));
        return findings;
    }

    /// <summary>The whole months from the analytics horizon up to the month of <paramref name="trustedUntil"/>, whose confirmed orders have all been delivered.</summary>
    private async Task<IEnumerable<AuditFinding>> ProductMonthFindingsAsync(AuditContext context, DateTime trustedUntil, CancellationToken cancellationToken)
    {
        var (from, to) = (context.AnalyticsFrom, SalesRollup.MonthOf(trustedUntil));
        if (from >= to)
        {
            return [];
        }
        var log = new Dictionary<(string Month, string Sku), (ProductSales Delivered, ProductSales All)>();
        foreach (var row in await context.QueryAsync($"""
            SELECT to_char(date_trunc('month', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), line->>'sku', {AuditSql.Delivered},
                   coalesce(sum({AuditSql.Number("quantity", "line")}), 0)::bigint,
                   coalesce(sum({AuditSql.Number("quantity", "line")} * {AuditSql.Number("unitPrice", "line")}), 0)
            FROM events e LEFT JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = e.log_partition,
                 jsonb_array_elements(CASE WHEN jsonb_typeof(e.payload->'lines') = 'array' THEN e.payload->'lines' ELSE '[]' END) line
            WHERE event_type = 'order.confirmed' AND recorded_at >= $2 AND recorded_at < $3
            GROUP BY 1, 2, 3
            """, reader => (Key: (reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1)), Delivered: reader.GetBoolean(2),
                Sales: new ProductSales(reader.GetInt64(3), reader.GetDecimal(4))),
            cancellationToken, context.Options.StreamProvider, from, to))
        {
            var (delivered, all) = log.GetValueOrDefault(row.Key);
            log[row.Key] = (row.Delivered ? delivered + row.Sales : delivered, all + row.Sales);
        }
        var rollup = (await context.ClickHouse!.QueryAsync(ClickHouseSql.Format(
                "SELECT toString(month), sku, units, toString(revenue) FROM fv_product_sales_monthly FINAL WHERE month >= toDate({0}) AND month < toDate({1})",
                from, to), cancellationToken))
            .ToDictionary(row => (Month: row[0]!, Sku: row[1]!), row => new ProductSales(long.Parse(row[2]!, CultureInfo.InvariantCulture), decimal.Parse(row[3]!, CultureInfo.InvariantCulture)));
        var undelivered = log.Where(entry => entry.Value.Delivered != entry.Value.All).Select(entry => entry.Key.Month).ToHashSet();
        return log.Keys.Union(rollup.Keys).Where(key => !undelivered.Contains(key.Month)).Order()
            .Select(key => (Key: key, Kept: rollup.GetValueOrDefault(key), All: log.GetValueOrDefault(key).All))
            .Where(product => product.Kept != product.All)
            .Select(product => new AuditFinding(Name, $"fv_product_sales_monthly/{product.Key.Month}/{product.Key.Sku}",
                $"the roll-up holds {product.Kept.Units} units, {product.Kept.Revenue:0.00}; the log's confirmed lines are {product.All.Units} units, {product.All.Revenue:0.00}"));
    }

    /// <summary>As the analytics queries decide it: the earliest dirty hour, at the latest the hour before the settled moment.</summary>
    private static async Task<DateTime> TrustedUntilAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var settled = context.SettledBefore;
        var closed = new DateTime(settled.Year, settled.Month, settled.Day, settled.Hour, 0, 0, DateTimeKind.Utc);
        var dirty = await context.QueryAsync("SELECT min(hour) FROM analytics_dirty_hours WHERE sink = $1",
            reader => reader.IsDBNull(0) ? (DateTime?)null : reader.GetFieldValue<DateTime>(0), cancellationToken, AnalyticsSink.DefaultName);
        return dirty[0] is { } earliest && earliest < closed ? earliest : closed;
    }

    private readonly record struct ProductSales(long Units, decimal Revenue)
    {
        public static ProductSales operator +(ProductSales a, ProductSales b) => new(a.Units + b.Units, a.Revenue + b.Revenue);
    }

    private readonly record struct Sales(long Orders, long Units, decimal Revenue)
    {
        public static Sales operator +(Sales a, Sales b) => new(a.Orders + b.Orders, a.Units + b.Units, a.Revenue + b.Revenue);
    }
}
