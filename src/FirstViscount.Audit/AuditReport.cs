using FirstViscount.Postgres;

namespace FirstViscount.Audit;

/// <summary>One inconsistency: which check found it, in what (an SKU, an order, a ClickHouse table and month), and how.</summary>
[GenerateSerializer, Alias("fv.audit-finding")]
public sealed record AuditFinding([property: Id(0)] string Check, [property: Id(1)] string Subject, [property: Id(2)] string Detail);

/// <summary>How a check went: <see cref="AuditCheckStatus"/>, its exact number of findings, a note (why skipped, what failed) and how long it took.</summary>
[GenerateSerializer, Alias("fv.audit-check")]
public sealed record AuditCheckResult([property: Id(0)] string Check, [property: Id(1)] string Status, [property: Id(2)] int Findings, [property: Id(3)] string? Note = null,
    [property: Id(4)] double Seconds = 0);

public static class AuditCheckStatus
{
    public const string Consistent = "consistent";
    public const string Inconsistent = "inconsistent";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}

/// <summary>
/// An audit run: its checks, its findings (all of them as found; as stored, at most
/// <see cref="AuditLog.StoredFindingsPerCheck"/> per check) and the last run of each retention job.
/// </summary>
[GenerateSerializer, Alias("fv.audit-report")]
public sealed record AuditReport(
    [property: Id(0)] Guid RunId,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset FinishedAt,
    [property: Id(3)] string RanBy,
    [property: Id(4)] long EventsAudited,
    [property: Id(5)] IReadOnlyList<AuditCheckResult> Checks,
    [property: Id(6)] IReadOnlyList<AuditFinding> Findings,
    [property: Id(7)] IReadOnlyList<RetentionRunView> Retention)
{
    public int FindingCount => Checks.Sum(check => check.Findings);

    public bool IsConsistent => Checks.All(check => check.Status is AuditCheckStatus.Consistent or AuditCheckStatus.Skipped);

    public TimeSpan Duration => FinishedAt - StartedAt;
}

/// <summary>A retention job's last run, as the report carries it.</summary>
[GenerateSerializer, Alias("fv.audit-retention-run")]
public sealed record RetentionRunView([property: Id(0)] string Job, [property: Id(1)] DateTimeOffset RanAt, [property: Id(2)] long Removed, [property: Id(3)] string Detail)
{
    public static RetentionRunView From(RetentionRun run) => new(run.Job, run.RanAt, run.Removed, run.Detail);
}
