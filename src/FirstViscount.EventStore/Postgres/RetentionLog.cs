using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>One run of a retention job: when it ran, how much it removed, and what (for the audit report).</summary>
public sealed record RetentionRun(string Job, DateTimeOffset RanAt, long Removed, string Detail);

/// <summary>Records retention jobs' runs in retention_runs, so that the consistency audit can report when each last ran.</summary>
public static class RetentionLog
{
    /// <summary>The two-year drop of ClickHouse partitions.</summary>
    public const string ClickHousePartitions = "clickhouse-partitions";

    /// <summary>The seven-year archive of order and payment streams.</summary>
    public const string EventArchive = "event-archive";

    public static async Task RecordAsync(NpgsqlDataSource dataSource, string job, long removed, string detail, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO retention_runs (job, removed, detail) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = job });
        command.Parameters.Add(new NpgsqlParameter { Value = removed });
        command.Parameters.Add(new NpgsqlParameter { Value = detail });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The latest run of each job that ever ran.</summary>
    public static async Task<IReadOnlyList<RetentionRun>> LatestAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT DISTINCT ON (job) job, ran_at, removed, detail FROM retention_runs ORDER BY job, ran_at DESC", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RetentionRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RetentionRun(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetString(3)));
        }
        return runs;
    }
}
