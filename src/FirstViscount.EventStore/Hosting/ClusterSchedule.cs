using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Hosting;

/// <summary>A cluster-wide job: a grain (key 0) that keeps an Orleans reminder, so that one silo runs it on every tick.</summary>
public interface IScheduledGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the job's reminder unless it exists (registering again would postpone the next tick).</summary>
    Task EnsureScheduled();
}

public static class ClusterSchedule
{
    /// <summary>Each silo, once it runs, asks <typeparamref name="TGrain"/> to keep its reminder (again later if the cluster is not ready yet).</summary>
    public static IServiceCollection AddClusterSchedule<TGrain>(this IServiceCollection services) where TGrain : IScheduledGrain =>
        services.AddHostedService<Scheduler<TGrain>>();

    private sealed class Scheduler<TGrain>(IGrainFactory grains, ILogger<Scheduler<TGrain>> logger) : BackgroundService where TGrain : IScheduledGrain
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await grains.GetGrain<TGrain>(0).EnsureScheduled();
                    return;
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Could not schedule {Job} yet (attempt {Attempt}): {Error}", typeof(TGrain).Name, attempt, error.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}

public static class ScheduledGrainExtensions
{
    /// <summary>
    /// Registers the reminder <paramref name="name"/> unless it exists: every silo asks at start, and registering again
    /// would move the next tick, so silos that restart often would keep postponing the job.
    /// </summary>
    public static async Task EnsureReminderAsync(this Grain grain, string name, TimeSpan dueTime, TimeSpan period)
    {
        if (await grain.GetReminder(name) is null)
        {
            await grain.RegisterOrUpdateReminder(name, dueTime, period);
        }
    }
}
