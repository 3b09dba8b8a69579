using FirstViscount.Analytics.ClickHouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FirstViscount.Audit.Scheduling;

public static class AuditSiloBuilderExtensions
{
    /// <summary>
    /// The consistency auditor in a silo with PostgreSQL (the silo's <see cref="NpgsqlDataSource"/>; ClickHouse when a
    /// <see cref="ClickHouseClient"/> is registered): each silo makes sure the cluster's reminder exists, and the one
    /// silo that holds the auditor grain audits on every tick.
    /// </summary>
    public static ISiloBuilder AddConsistencyAuditor(this ISiloBuilder silo, AuditOptions options)
    {
        options.Validate();
        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(services => new ConsistencyAuditor(services.GetRequiredService<NpgsqlDataSource>(), services.GetService<ClickHouseClient>(),
            options, services.GetService<TimeProvider>()));
        silo.Services.AddSingleton<IConfigurationValidator>(services => new IntervalValidator(options, services.GetRequiredService<IOptions<ReminderOptions>>()));
        silo.Services.AddHostedService<AuditSchedule>();
        return silo;
    }

    private sealed class IntervalValidator(AuditOptions options, IOptions<ReminderOptions> reminders) : IConfigurationValidator
    {
        public void ValidateConfiguration()
        {
            if (options.Interval < reminders.Value.MinimumReminderPeriod)
            {
                throw new OrleansConfigurationException(
                    $"Setting Audit:Interval is {options.Interval}, but Orleans reminders tick at most every {reminders.Value.MinimumReminderPeriod}: raise it.");
            }
        }
    }

    /// <summary>Asks the auditor grain to keep its reminder once the silo runs (again later if the cluster is not ready yet).</summary>
    private sealed class AuditSchedule(IGrainFactory grains, ILogger<AuditSchedule> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await grains.GetGrain<IConsistencyAuditorGrain>(0).EnsureScheduled();
                    return;
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Could not schedule the consistency audit yet (attempt {Attempt}): {Error}", attempt, error.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
