using FirstViscount.Analytics.ClickHouse;
using Npgsql;

namespace FirstViscount.Audit.Checks;

/// <summary>
/// What every check reads: one repeatable-read transaction on the primary database (so that all PostgreSQL checks see
/// the same moment of the log) and, when configured, ClickHouse.
/// </summary>
internal sealed class AuditContext(NpgsqlConnection postgres, ClickHouseClient? clickHouse, AuditOptions options, DateTimeOffset now)
{
    public NpgsqlConnection Postgres { get; } = postgres;

    public ClickHouseClient? ClickHouse { get; } = clickHouse;

    public AuditOptions Options { get; } = options;

    /// <summary>Orders, payments and analytics rows recorded before this (whole seconds, as ClickHouse stores times) have settled.</summary>
    public DateTime SettledBefore { get; } = TruncateToSecond((now - options.SettleTime).UtcDateTime);

    /// <summary>The first month ClickHouse still keeps whole under the retention period.</summary>
    public DateTime AnalyticsFrom { get; } = FirstWholeMonthAfter((now - options.AnalyticsRetention).UtcDateTime);

    public NpgsqlCommand Command(string sql, params object[] parameters)
    {
        // A check scans its part of the whole log: minutes are allowed, whatever the connection's default.
        var command = new NpgsqlCommand(sql, Postgres) { CommandTimeout = 600 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return command;
    }

    /// <summary>Runs <paramref name="sql"/> and maps each row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    private static DateTime TruncateToSecond(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static DateTime FirstWholeMonthAfter(DateTime utc) => new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
}

/// <summary>One kind of consistency check.</summary>
internal interface IAuditCheck
{
    string Name { get; }

    /// <summary>Why the check cannot run in this context (null: it can).</summary>
    string? SkipReason(AuditContext context) => null;

    Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken);
}
