using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
        silo.Services.AddClusterSchedule<IConsistencyAuditorGrain>();
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
}
