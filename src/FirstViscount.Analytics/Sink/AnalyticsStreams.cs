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

    /// <summary>The event-log streams' read size and idle poll.</summary>
    public EventLogStreamOptions Streams { get; set; } = new();
}

public static class AnalyticsStreams
{
    /// <summary>The stream provider the sink consumes: the event log, queue per partition.</summary>
    public const string ProviderName = "event-log";

    /// <summary>
    /// The ClickHouse sink in a silo with PostgreSQL and a registered <see cref="ClickHouseClient"/>: the event-log
    /// streams, their consumer (<see cref="ClickHouseSinkGrain"/>, one per queue, on whichever silos Orleans balances
    /// the queues to), and the housekeeping job.
    /// </summary>
    public static ISiloBuilder AddClickHouseSink(this ISiloBuilder silo, AnalyticsStreamsOptions options)
    {
        silo.AddEventLogStreams(ProviderName, streams => (streams.BatchSize, streams.PollInterval) = (options.Streams.BatchSize, options.Streams.PollInterval));
        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(services => new SalesRollup(AnalyticsSink.DefaultName, services.GetRequiredService<ClickHouseClient>(),
            services.GetRequiredService<NpgsqlDataSource>(), services.GetService<TimeProvider>() ?? TimeProvider.System));
        silo.Services.AddSingleton(services => new ClickHouseDelivery(services.GetRequiredService<ClickHouseClient>(), services.GetRequiredService<SalesRollup>(),
            services.GetService<TimeProvider>()));
        silo.Services.AddClusterSchedule<IAnalyticsHousekeepingGrain>();
        return silo;
    }
}
