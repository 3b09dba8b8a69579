namespace FirstViscount.Audit.Scheduling;

/// <summary>The cluster's one auditor (key 0): an Orleans reminder makes it audit every <see cref="AuditOptions.Interval"/>.</summary>
[Alias("fv.consistency-auditor")]
public interface IConsistencyAuditorGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the periodic audit's reminder, unless it is registered with the configured interval already.</summary>
    [Alias("ensure-scheduled")]
    Task EnsureScheduled();

    /// <summary>Audits now (or waits for the audit already running), records the run and answers its report.</summary>
    [Alias("audit-now")]
    Task<AuditReport> AuditNow();
}
