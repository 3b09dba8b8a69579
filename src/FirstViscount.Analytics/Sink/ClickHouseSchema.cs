using System.Reflection;
using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Creates the client's database and the tables of sql/clickhouse/ (embedded; every statement is idempotent), and fills
/// a roll-up added after facts were already kept (the funnel's, the products') from those facts.
/// </summary>
public static class ClickHouseSchema
{
    public static async Task EnsureAsync(ClickHouseClient clickHouse, CancellationToken cancellationToken = default)
    {
        await clickHouse.ForDatabase("default").ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {clickHouse.Database}", cancellationToken);
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("clickhouse/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var script = await reader.ReadToEndAsync(cancellationToken);
            var withoutComments = string.Join('\n', script.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
            foreach (var statement in withoutComments.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await clickHouse.ExecuteAsync(statement, cancellationToken);
            }
        }
        var (currentHour, currentMonth) = (SalesRollup.HourOf(DateTimeOffset.UtcNow), SalesRollup.MonthOf(DateTime.UtcNow));
        await BackfillAsync(clickHouse, "fv_funnel_hourly", "(SELECT count() FROM fv_orders) + (SELECT count() FROM fv_cart_activity)",
            SalesRollup.FunnelHoursSql(0, DateTime.UnixEpoch, currentHour) + " GROUP BY h", cancellationToken);
        await BackfillAsync(clickHouse, "fv_product_sales_monthly", "(SELECT count() FROM fv_order_lines)",
            SalesRollup.ProductMonthsSql(0, DateTime.UnixEpoch, currentMonth), cancellationToken);
    }

    /// <summary>
    /// An empty roll-up beside kept facts (a shop upgraded to it) is filled from them for every closed hour or month, as
    /// version 0: a roll-up is trusted up to the first dirty hour, so it must hold every period before it.
    /// </summary>
    private static async Task BackfillAsync(ClickHouseClient clickHouse, string rollup, string factCount, string fill, CancellationToken cancellationToken)
    {
        var counts = (await clickHouse.QueryAsync($"SELECT (SELECT count() FROM {rollup}), {factCount}", cancellationToken))[0];
        if (counts[0] == "0" && counts[1] != "0")
        {
            await clickHouse.ExecuteAsync(fill, cancellationToken);
        }
    }
}
