using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Retention;
using FirstViscount.Hosting;
using FirstViscount.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// The analytics jobs that need one runner per cluster: every minute (an Orleans reminder) the hourly roll-up of closed
/// hours, and once a day the retention drop of ClickHouse months older than the retention period.
/// </summary>
[GrainType("analytics-housekeeping")]
public sealed class AnalyticsHousekeepingGrain(SalesRollup rollup, ClickHouseClient clickHouse, NpgsqlDataSource postgres, AnalyticsStreamsOptions options,
    TimeProvider clock, ILogger<AnalyticsHousekeepingGrain> logger) : Grain, IAnalyticsHousekeepingGrain, IRemindable
{
    private const string ReminderName = "analytics-housekeeping";
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromDays(1);

    public Task EnsureScheduled() => this.EnsureReminderAsync(ReminderName, TimeSpan.Zero, options.HousekeepingInterval);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }
        try
        {
            await rollup.RecomputeSettledAsync();
            if (await RetentionDueAsync())
            {
                var dropped = await ClickHouseRetention.RunAsync(clickHouse, postgres, clock.GetUtcNow(), options.Retention);
                if (dropped.Count > 0)
                {
                    logger.LogInformation("Analytics retention dropped {Partitions}", string.Join(", ", dropped));
                }
            }
        }
        catch (Exception error) when (error is ClickHouseException or NpgsqlException)
        {
            logger.LogWarning("Analytics housekeeping waits for the next tick: {Error}", error.Message);
        }
    }

    private async Task<bool> RetentionDueAsync()
    {
        await using var connection = await postgres.OpenConnectionAsync();
        var last = (await RetentionLog.LatestAsync(connection)).FirstOrDefault(run => run.Job == RetentionLog.ClickHousePartitions);
        return last is null || clock.GetUtcNow() - last.RanAt >= RetentionInterval;
    }
}

[Alias("fv.analytics-housekeeping")]
public interface IAnalyticsHousekeepingGrain : IScheduledGrain;
