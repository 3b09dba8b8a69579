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
        await BackfillFunnelAsync(clickHouse, cancellationToken);
        await BackfillProductMonthsAsync(clickHouse, cancellationToken);
    }

    /// <summary>An empty product roll-up beside kept order lines is computed for every closed month, as version 0.</summary>
    private static async Task BackfillProductMonthsAsync(ClickHouseClient clickHouse, CancellationToken cancellationToken)
    {
        var counts = (await clickHouse.QueryAsync("SELECT (SELECT count() FROM fv_product_sales_monthly), (SELECT count() FROM fv_order_lines)", cancellationToken))[0];
        if (counts[0] == "0" && counts[1] != "0")
        {
            await clickHouse.ExecuteAsync(SalesRollup.ProductMonthsSql(0, DateTime.UnixEpoch, SalesRollup.MonthOf(DateTime.UtcNow)), cancellationToken);
        }
    }

    /// <summary>
    /// An empty funnel roll-up beside kept facts (a shop upgraded to it) is computed for every closed hour, as version 0:
    /// the roll-up is trusted up to the first dirty hour, so it must hold every hour before it.
    /// </summary>
    private static async Task BackfillFunnelAsync(ClickHouseClient clickHouse, CancellationToken cancellationToken)
    {
        var counts = (await clickHouse.QueryAsync(
            "SELECT (SELECT count() FROM fv_funnel_hourly), (SELECT count() FROM fv_orders) + (SELECT count() FROM fv_cart_activity)", cancellationToken))[0];
        if (counts[0] == "0" && counts[1] != "0")
        {
            var currentHour = SalesRollup.HourOf(DateTimeOffset.UtcNow);
            await clickHouse.ExecuteAsync(SalesRollup.FunnelHoursSql(0, DateTime.UnixEpoch, currentHour) + " GROUP BY h", cancellationToken);
        }
    }
}
