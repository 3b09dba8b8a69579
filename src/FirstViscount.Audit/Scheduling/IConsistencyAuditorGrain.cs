using FirstViscount.Hosting;

namespace FirstViscount.Audit.Scheduling;

/// <summary>The cluster's one auditor (key 0): an Orleans reminder makes it audit every <see cref="AuditOptions.Interval"/>.</summary>
[Alias("fv.consistency-auditor")]
public interface IConsistencyAuditorGrain : IScheduledGrain
{
    /// <summary>Audits now (or waits for the audit already running), records the run and answers its report.</summary>
    [Alias("audit-now")]
    Task<AuditReport> AuditNow();
}
