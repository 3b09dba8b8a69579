using System.Reflection;
using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Analytics.Sink;

/// <summary>Creates the client's database and the tables of sql/clickhouse/ (embedded; every statement is idempotent).</summary>
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
    }
}
