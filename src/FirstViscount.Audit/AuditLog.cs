using System.Text.Json;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Audit;

/// <summary>
/// Where audit runs are kept: audit_runs and audit_findings, and an <c>audit.completed</c> event in the stream
/// <see cref="StreamId"/>, all in one transaction.
/// </summary>
public static class AuditLog
{
    public const string StreamId = "audit-runs";
    public const string CompletedEventType = "audit.completed";

    /// <summary>A run's exact finding counts are always kept; of the findings themselves, this many per check.</summary>
    public const int StoredFindingsPerCheck = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RecordAsync(NpgsqlDataSource dataSource, AuditReport report, CancellationToken cancellationToken = default)
    {
        var stored = report.Findings.GroupBy(finding => finding.Check).SelectMany(check => check.Take(StoredFindingsPerCheck)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var run = new NpgsqlCommand("""
            INSERT INTO audit_runs (run_id, started_at, finished_at, ran_by, events_audited, findings, checks) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, transaction))
        {
            run.Parameters.Add(new NpgsqlParameter { Value = report.RunId });
            run.Parameters.Add(new NpgsqlParameter { Value = report.StartedAt });
            run.Parameters.Add(new NpgsqlParameter { Value = report.FinishedAt });
            run.Parameters.Add(new NpgsqlParameter { Value = report.RanBy });
            run.Parameters.Add(new NpgsqlParameter { Value = report.EventsAudited });
            run.Parameters.Add(new NpgsqlParameter { Value = report.FindingCount });
            run.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(report.Checks, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await run.ExecuteNonQueryAsync(cancellationToken);
        }
        if (stored.Length > 0)
        {
            await using var findings = new NpgsqlCommand("""
                INSERT INTO audit_findings (run_id, number, check_name, subject, detail)
                SELECT $1, f.number, f.check_name, f.subject, f.detail FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS f(check_name, subject, detail, number)
                """, connection, transaction);
            findings.Parameters.Add(new NpgsqlParameter { Value = report.RunId });
            findings.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.Check).ToArray() });
            findings.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.Subject).ToArray() });
            findings.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.Detail).ToArray() });
            await findings.ExecuteNonQueryAsync(cancellationToken);
        }
        var completed = JsonSerializer.SerializeToUtf8Bytes(new
        {
            report.RunId, report.StartedAt, report.FinishedAt, report.EventsAudited, Findings = report.FindingCount,
            Checks = report.Checks.ToDictionary(check => check.Check, check => new { check.Status, check.Findings }),
        }, Json);
        await using (var append = PostgresEventStore.AppendCommand(StreamId, ExpectedVersion.Any,
            [new EventData(Guid.NewGuid(), CompletedEventType, 1, completed, new EventMetadata(CorrelationId: report.RunId.ToString(), Actor: report.RanBy))]))
        {
            append.Connection = connection;
            append.Transaction = transaction;
            await PostgresEventStore.ExecuteAppendAsync(append, StreamId, ExpectedVersion.Any, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The latest recorded run with its stored findings, and the retention jobs' last runs (null run: none recorded yet).</summary>
    public static async Task<(AuditReport? Run, IReadOnlyList<RetentionRunView> Retention)> LatestAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var retention = (await RetentionLog.LatestAsync(connection, cancellationToken)).Select(RetentionRunView.From).ToArray();
        Guid runId;
        DateTimeOffset startedAt, finishedAt;
        string ranBy;
        long events;
        AuditCheckResult[] checks;
        await using (var run = new NpgsqlCommand(
            "SELECT run_id, started_at, finished_at, ran_by, events_audited, checks::text FROM audit_runs ORDER BY started_at DESC LIMIT 1", connection))
        await using (var reader = await run.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (null, retention);
            }
            (runId, startedAt, finishedAt, ranBy, events) = (reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetInt64(4));
            checks = JsonSerializer.Deserialize<AuditCheckResult[]>(reader.GetString(5), Json) ?? [];
        }
        var findings = new List<AuditFinding>();
        await using (var stored = new NpgsqlCommand("SELECT check_name, subject, detail FROM audit_findings WHERE run_id = $1 ORDER BY number", connection))
        {
            stored.Parameters.Add(new NpgsqlParameter { Value = runId });
            await using var reader = await stored.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                findings.Add(new AuditFinding(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        return (new AuditReport(runId, startedAt, finishedAt, ranBy, events, checks, findings, retention), retention);
    }
}
