using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Retention;
using FirstViscount.Hosting;
using FirstViscount.Postgres.Streams;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FirstViscount.Analytics.Sink;

/// <summary>Options of the silo's ClickHouse sink (configuration section Analytics).</summary>
public sealed class AnalyticsStreamsOptions
{
    /// <summary>ClickHouse keeps this long (two years); older months are dropped daily.</summary>
    public TimeSpan Retention { get; set; } = ClickHouseRetention.DefaultPeriod;

    /// <summary>How often the roll-up of closed hours runs (an Orleans reminder: at least a minute).</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public static class AnalyticsStreams
{
    /// <summary>The stream provider the sink consumes: the event log, queue per partition.</summary>
    public const string ProviderName = EventLogQueues.DefaultProvider;

    /// <summary>
    /// The ClickHouse sink in a silo with PostgreSQL, a registered <see cref="ClickHouseClient"/> and the event-log
    /// streams (<see cref="EventLogStreamsSiloBuilderExtensions.AddEventLogStreams"/> named <see cref="ProviderName"/>):
    /// its consumer (<see cref="ClickHouseSinkGrain"/>, one per queue) and the housekeeping job.
    /// </summary>
    public static ISiloBuilder AddClickHouseSink(this ISiloBuilder silo, AnalyticsStreamsOptions options)
    {
        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(services => new SalesRollup(AnalyticsSink.DefaultName, services.GetRequiredService<ClickHouseClient>(),
            services.GetRequiredService<NpgsqlDataSource>(), services.GetService<TimeProvider>() ?? TimeProvider.System));
        silo.Services.AddSingleton(services => new ClickHouseDelivery(services.GetRequiredService<ClickHouseClient>(), services.GetRequiredService<SalesRollup>(),
            services.GetService<TimeProvider>()));
        silo.Services.AddClusterSchedule<IAnalyticsHousekeepingGrain>();
        silo.Services.AddHostedService<ClickHouseSchemaSetup>();
        return silo;
    }
}
