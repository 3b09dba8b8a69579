using FirstViscount.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Audit.Scheduling;

/// <summary>
/// Runs the audit in whichever silo holds this grain's one activation. A reminder tick starts an audit and returns at
/// once (an audit of a large log outlasts a grain call's timeout); the audit itself runs off the grain's scheduler.
/// </summary>
[GrainType("consistency-auditor")]
public sealed class ConsistencyAuditorGrain(ConsistencyAuditor auditor, AuditOptions options, ILocalSiloDetails silo, ILogger<ConsistencyAuditorGrain> logger)
    : Grain, IConsistencyAuditorGrain, IRemindable
{
    public const string ReminderName = "consistency-audit";

    private Task<AuditReport>? running;

    public Task EnsureScheduled() => this.EnsureReminderAsync(ReminderName, options.Interval, options.Interval);

    public Task<AuditReport> AuditNow() => Start();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }
        _ = Start();
        if (status.Period != options.Interval)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Interval, options.Interval); // Audit:Interval was changed
        }
    }

    private Task<AuditReport> Start()
    {
        if (running is { IsCompleted: false })
        {
            return running;
        }
        var ranBy = $"silo {silo.SiloAddress}";
        return running = Task.Run(async () =>
        {
            try
            {
                var report = await auditor.RunAsync(ranBy);
                if (report.IsConsistent)
                {
                    logger.LogInformation("Consistency audit {RunId}: consistent ({Events} events in {Seconds:0.0} s)", report.RunId, report.EventsAudited, report.Duration.TotalSeconds);
                }
                else
                {
                    logger.LogWarning("Consistency audit {RunId} found {Findings} inconsistencies: {Checks}", report.RunId, report.FindingCount,
                        string.Join(", ", report.Checks.Where(check => check.Status != AuditCheckStatus.Consistent).Select(check => $"{check.Check} {check.Status} ({check.Findings}) {check.Note}")));
                }
                return report;
            }
            catch (Exception error)
            {
                logger.LogError(error, "Consistency audit failed; the next tick tries again");
                throw;
            }
        });
    }
}
