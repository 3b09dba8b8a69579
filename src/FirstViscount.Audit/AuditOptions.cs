using FirstViscount.Analytics.Retention;
using FirstViscount.Analytics.Sink;

namespace FirstViscount.Audit;

/// <summary>What the auditor compares and how often it runs (configuration section Audit).</summary>
public sealed class AuditOptions
{
    /// <summary>How often one silo of the cluster audits (an Orleans reminder: not more often than ReminderOptions.MinimumReminderPeriod, a minute).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Orders, payments and events younger than this are left to their sagas and the sink: a checkout with every retry
    /// spent takes under nine minutes (DESIGN.md's saga timings), so a quarter of an hour has settled.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The stream provider whose queues' checkpoints ClickHouse is compared up to (the silos' ClickHouse sink).</summary>
    public string StreamProvider { get; set; } = AnalyticsStreams.ProviderName;

    /// <summary>How long ClickHouse keeps analytics: older months are not compared.</summary>
    public TimeSpan AnalyticsRetention { get; set; } = ClickHouseRetention.DefaultPeriod;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Audit:Interval must be positive, not {Interval}.");
        }
        if (SettleTime < TimeSpan.Zero || AnalyticsRetention <= TimeSpan.Zero)
        {
            throw new ArgumentException("Audit:SettleTime must not be negative and Audit:AnalyticsRetention must be positive.");
        }
    }
}
