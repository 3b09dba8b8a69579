using System.Globalization;
using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Audit.Checks;

/// <summary>
/// ClickHouse against the log, per fact table and month, over the months ClickHouse keeps and the events that have
/// settled: every row the sink delivered up to its checkpoint is there once (deduplicated by event id), and nothing
/// is there that the log does not hold; confirmed revenue likewise. The log is read first, so ClickHouse can only be
/// ahead of the checkpoint, never behind it.
/// </summary>
internal sealed class ClickHouseTotalsCheck : IAuditCheck
{
    private static readonly (string Family, string Table)[] Tables =
        [("order", "fv_orders"), ("line", "fv_order_lines"), ("inventory", "fv_inventory_movements"), ("payment", "fv_payments"), ("cart", "fv_cart_activity"), ("shipment", "fv_shipments")];

    public string Name => "clickhouse-totals";

    public string? SkipReason(AuditContext context) => context.ClickHouse is null ? "ClickHouse is not configured" : null;

    public async Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var log = await LogTotalsAsync(context, cancellationToken);
        var clickHouse = context.ClickHouse!;
        var findings = new List<AuditFinding>();
        foreach (var (family, table) in Tables)
        {
            var revenue = family == "order" ? ", toString(sumIf(total, event_type = 'order.confirmed'))" : ", '0'";
            var rows = await clickHouse.QueryAsync(ClickHouseSql.Format(
                $"SELECT toString(toYYYYMM(occurred_at)) AS month, count(){revenue} FROM {table} FINAL WHERE occurred_at >= {{0}} AND occurred_at < {{1}} GROUP BY month",
                context.AnalyticsFrom, context.SettledBefore), cancellationToken);
            var inClickHouse = rows.ToDictionary(row => row[0]!, row => (Rows: long.Parse(row[1]!, CultureInfo.InvariantCulture), Amount: decimal.Parse(row[2]!, CultureInfo.InvariantCulture)));
            foreach (var month in log.Keys.Where(key => key.Family == family).Select(key => key.Month).Union(inClickHouse.Keys).Order(StringComparer.Ordinal))
            {
                var expected = log.GetValueOrDefault((family, month));
                var actual = inClickHouse.GetValueOrDefault(month);
                var subject = $"{table}/{month}";
                if (expected.Mismatch(actual.Rows) is { } rowsMismatch)
                {
                    findings.Add(new AuditFinding(Name, subject, rowsMismatch));
                }
                if (family == "order" && (actual.Amount < expected.DeliveredAmount || actual.Amount > expected.AllAmount))
                {
                    findings.Add(new AuditFinding(Name, subject, $"confirmed revenue in ClickHouse is {actual.Amount:0.00}, in the log {expected.DeliveredAmount:0.00} delivered ({expected.AllAmount:0.00} in all)"));
                }
            }
        }
        return findings;
    }

    /// <summary>Per (family, month): what the settled, retained log holds, delivered (up to its queue's checkpoint) and in all (family "line": confirmed orders' lines).</summary>
    private static async Task<Dictionary<(string Family, string Month), LogTotals>> LogTotalsAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var checkpoints = await context.QueryAsync("SELECT 1 FROM stream_checkpoints WHERE provider = $1 LIMIT 1", _ => true, cancellationToken, context.Options.StreamProvider);
        if (checkpoints.Count == 0)
        {
            throw new AuditSkippedException($"the ClickHouse sink (stream provider '{context.Options.StreamProvider}') has not delivered anything yet");
        }
        var totals = new Dictionary<(string, string), LogTotals>();
        foreach (var row in await context.QueryAsync($"""
            SELECT split_part(event_type, '.', 1), to_char(recorded_at AT TIME ZONE 'UTC', 'YYYYMM'),
                   {AuditSql.Delivered},
                   count(*),
                   coalesce(sum(jsonb_array_length(payload->'lines')) FILTER (WHERE event_type = 'order.confirmed'), 0),
                   coalesce(sum({AuditSql.Number("total")}) FILTER (WHERE event_type = 'order.confirmed'), 0)
            FROM events e LEFT JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = e.log_partition
            WHERE split_part(event_type, '.', 1) IN ('order', 'inventory', 'payment', 'cart', 'shipment') AND recorded_at >= $2 AND recorded_at < $3
            GROUP BY 1, 2, 3
            """, reader => (Family: reader.GetString(0), Month: reader.GetString(1), Delivered: reader.GetBoolean(2), Events: reader.GetInt64(3),
                Lines: reader.GetInt64(4), Revenue: reader.GetDecimal(5)), cancellationToken, context.Options.StreamProvider, context.AnalyticsFrom, context.SettledBefore))
        {
            totals[(row.Family, row.Month)] = totals.GetValueOrDefault((row.Family, row.Month)).Add(row.Delivered, row.Events, row.Revenue);
            if (row.Family == "order")
            {
                totals[("line", row.Month)] = totals.GetValueOrDefault(("line", row.Month)).Add(row.Delivered, row.Lines, 0);
            }
        }
        return totals;
    }
}
