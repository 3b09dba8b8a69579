using FirstViscount.Analytics.ClickHouse;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Keeps the hourly roll-ups fv_sales_hourly and fv_funnel_hourly, and the monthly fv_product_sales_monthly: when the
/// sink delivers order events or created carts for an hour, the hour is marked dirty (before the batch counts as
/// delivered); once the hour has closed, the roll-ups of the hour and of its month are recomputed from the facts with
/// FINAL and the mark is removed. Readers trust the roll-ups only before the earliest dirty hour, so their answers
/// always equal the facts.
/// </summary>
public sealed class SalesRollup(string sink, ClickHouseClient clickHouse, NpgsqlDataSource postgres, TimeProvider clock, TimeSpan? settleTime = null)
{
    /// <summary>How long after an hour has closed its roll-up is computed: a commit that started in the hour has finished by then.</summary>
    public static readonly TimeSpan DefaultSettleTime = TimeSpan.FromMinutes(2);

    private const int HoursPerRecompute = 200;

    /// <summary>The start (UTC) of the hour <paramref name="moment"/> falls in.</summary>
    public static DateTime HourOf(DateTimeOffset moment)
    {
        var utc = moment.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>Marks hours dirty (after their rows are in ClickHouse, before the batch counts as delivered).</summary>
    public async Task MarkDirtyAsync(IReadOnlyCollection<DateTime> hours, CancellationToken cancellationToken = default)
    {
        if (hours.Count > 0)
        {
            await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
            await MarkDirtyAsync(connection, hours, cancellationToken);
        }
    }

    /// <summary>Marks hours dirty inside the caller's transaction (the one that moves the checkpoint).</summary>
    public async Task MarkDirtyAsync(NpgsqlConnection connection, IReadOnlyCollection<DateTime> hours, CancellationToken cancellationToken)
    {
        if (hours.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO analytics_dirty_hours (sink, hour) SELECT $1, unnest($2)
            ON CONFLICT (sink, hour) DO UPDATE SET dirtied_at = clock_timestamp()
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sink });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first hour the roll-up cannot answer for yet: the earliest dirty hour, or the current hour.</summary>
    public async Task<DateTime> TrustedUntilAsync(CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("SELECT min(hour) FROM analytics_dirty_hours WHERE sink = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sink });
        var current = HourOf(clock.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime earliest && earliest < current ? earliest : current;
    }

    /// <summary>Whether <paramref name="hour"/> has closed and settled, so that its roll-up can be computed.</summary>
    public bool IsSettled(DateTime hour) => hour <= SettledBefore;

    private DateTimeOffset SettledBefore => clock.GetUtcNow() - TimeSpan.FromHours(1) - (settleTime ?? DefaultSettleTime);

    /// <summary>Recomputes dirty hours that have closed (plus the settle time); returns how many.</summary>
    public async Task<int> RecomputeSettledAsync(CancellationToken cancellationToken = default)
    {
        var settledBefore = SettledBefore;
        var hours = new List<DateTime>();
        var readAt = DateTime.MinValue; // on the database's clock, like dirtied_at
        await using (var select = postgres.CreateCommand("SELECT hour, clock_timestamp() FROM analytics_dirty_hours WHERE sink = $1 AND hour <= $2 ORDER BY hour LIMIT $3"))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = sink });
            select.Parameters.Add(new NpgsqlParameter { Value = settledBefore });
            select.Parameters.Add(new NpgsqlParameter { Value = HoursPerRecompute });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hours.Add(reader.GetFieldValue<DateTime>(0));
                readAt = reader.GetFieldValue<DateTime>(1);
            }
        }
        if (hours.Count == 0)
        {
            return 0;
        }
        await clickHouse.ExecuteAsync(ClickHouseSql.Format("""
            INSERT INTO fv_sales_hourly (hour, orders, units, revenue, computed)
            SELECT toStartOfHour(occurred_at) AS h, count(), sum(units), toDecimal64(sum(total), 2), {0}
            FROM fv_orders FINAL
            WHERE event_type = 'order.confirmed' AND occurred_at >= {1} AND occurred_at < {2}
            """, readAt.Ticks, hours[0], hours[^1].AddHours(1)) + $" AND h IN ({HourList(hours)}) GROUP BY h", cancellationToken);
        await clickHouse.ExecuteAsync(FunnelHoursSql(readAt.Ticks, hours[0], hours[^1].AddHours(1)) + $" WHERE h IN ({HourList(hours)}) GROUP BY h", cancellationToken);
        foreach (var month in hours.Select(MonthOf).Distinct())
        {
            await clickHouse.ExecuteAsync(ProductMonthsSql(readAt.Ticks, month, month.AddMonths(1)), cancellationToken);
        }
        // A delivery that dirtied an hour again while it was being recomputed keeps the mark (dirtied_at is later).
        await using var clear = postgres.CreateCommand("DELETE FROM analytics_dirty_hours WHERE sink = $1 AND hour = ANY($2) AND dirtied_at <= $3");
        clear.Parameters.Add(new NpgsqlParameter { Value = sink });
        clear.Parameters.Add(new NpgsqlParameter { Value = hours.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        clear.Parameters.Add(new NpgsqlParameter { Value = readAt });
        await clear.ExecuteNonQueryAsync(cancellationToken);
        return hours.Count;
    }

    /// <summary>The first day (UTC) of the month <paramref name="moment"/> falls in.</summary>
    public static DateTime MonthOf(DateTime moment) => new(moment.Year, moment.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>An insert of each product's confirmed units and revenue per month, for the months in [from, to) (whole months).</summary>
    internal static string ProductMonthsSql(long computed, DateTime from, DateTime to) => ClickHouseSql.Format("""
        INSERT INTO fv_product_sales_monthly (month, sku, units, revenue, computed)
        SELECT toStartOfMonth(occurred_at) AS m, sku, sum(quantity), toDecimal64(sum(line_total), 2), {0}
        FROM fv_order_lines FINAL WHERE occurred_at >= {1} AND occurred_at < {2} GROUP BY m, sku
        """, computed, from, to);

    private static string HourList(IEnumerable<DateTime> hours) => string.Join(", ", hours.Select(hour => ClickHouseSql.Literal(hour)));

    /// <summary>
    /// An insert of the funnel of each hour in [from, to) from the facts (carts created, and each order event that ends
    /// or starts a checkout); the caller adds a WHERE on h and the GROUP BY h.
    /// </summary>
    internal static string FunnelHoursSql(long computed, DateTime from, DateTime to) => ClickHouseSql.Format("""
        INSERT INTO fv_funnel_hourly (hour, carts_created, placed, confirmed, cancelled, failed, computed)
        SELECT h, sum(carts), sum(placed), sum(confirmed), sum(cancelled), sum(failed), {0} FROM (
            SELECT toStartOfHour(occurred_at) AS h, toUInt64(0) AS carts, countIf(event_type = 'order.placed') AS placed,
                   countIf(event_type = 'order.confirmed') AS confirmed, countIf(event_type = 'order.cancelled') AS cancelled,
                   countIf(event_type = 'order.failed') AS failed
            FROM fv_orders FINAL WHERE occurred_at >= {1} AND occurred_at < {2} GROUP BY h
            UNION ALL
            SELECT toStartOfHour(occurred_at) AS h, count() AS carts, toUInt64(0) AS placed, toUInt64(0) AS confirmed, toUInt64(0) AS cancelled, toUInt64(0) AS failed
            FROM fv_cart_activity FINAL WHERE kind = 'created' AND occurred_at >= {1} AND occurred_at < {2} GROUP BY h)
        """, computed, from, to);
}
