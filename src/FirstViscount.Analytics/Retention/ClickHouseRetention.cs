using System.Globalization;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Analytics.Retention;

/// <summary>
/// Drops analytics data older than the retention period (2 years) a whole monthly partition at a time: a month
/// goes once its last day is past the cut-off, so nothing younger than the period is ever dropped.
/// (ClickHouse 18.16 has no TTL, hence a job.)
/// </summary>
public static class ClickHouseRetention
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(2 * 365 + 1);

    /// <summary>Drops the expired months and records the run in the retention log (<see cref="RetentionLog.ClickHousePartitions"/>).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(ClickHouseClient clickHouse, NpgsqlDataSource postgres, DateTimeOffset now, TimeSpan period,
        CancellationToken cancellationToken = default)
    {
        var dropped = await DropExpiredPartitionsAsync(clickHouse, now, period, cancellationToken);
        await RetentionLog.RecordAsync(postgres, RetentionLog.ClickHousePartitions, dropped.Count, dropped.Count == 0
            ? $"no month older than {(now - period).UtcDateTime:yyyy-MM-dd}"
            : $"dropped {string.Join(", ", dropped)}", cancellationToken);
        return dropped;
    }

    /// <summary>Drops every expired month of every fv_ table; returns what it dropped as "table/YYYYMM".</summary>
    public static async Task<IReadOnlyList<string>> DropExpiredPartitionsAsync(ClickHouseClient clickHouse, DateTimeOffset now, TimeSpan period, CancellationToken cancellationToken = default)
    {
        var cutoff = now.UtcDateTime - period;
        var parts = await clickHouse.QueryAsync(ClickHouseSql.Format(
            "SELECT DISTINCT table, partition FROM system.parts WHERE database = {0} AND active AND startsWith(table, 'fv_') ORDER BY table, partition",
            clickHouse.Database), cancellationToken);
        var dropped = new List<string>();
        foreach (var part in parts)
        {
            var (table, partition) = (part[0]!, part[1]!);
            if (!DateTime.TryParseExact(partition, "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var month)
                || month.AddMonths(1) > cutoff)
            {
                continue;
            }
            await clickHouse.ExecuteAsync($"ALTER TABLE {ClickHouseClient.Identifier(table)} DROP PARTITION {int.Parse(partition, CultureInfo.InvariantCulture)}", cancellationToken);
            dropped.Add($"{table}/{partition}");
        }
        return dropped;
    }
}
