using System.Globalization;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;

namespace FirstViscount.Audit.Checks;

/// <summary>
/// The read model of hourly sales (fv_sales_hourly) against the log: for every hour the analytics routes trust the
/// roll-up for (closed, before the earliest dirty hour) and whose confirmed orders have all been delivered, its
/// orders, units and revenue equal the log's confirmed orders of that hour (an hour without a row counts as none).
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
        return findings;
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

    private readonly record struct Sales(long Orders, long Units, decimal Revenue)
    {
        public static Sales operator +(Sales a, Sales b) => new(a.Orders + b.Orders, a.Units + b.Units, a.Revenue + b.Revenue);
    }
}
