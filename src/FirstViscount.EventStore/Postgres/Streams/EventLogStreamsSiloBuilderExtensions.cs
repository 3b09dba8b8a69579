using Orleans.Configuration;

namespace FirstViscount.Postgres.Streams;

public static class EventLogStreamsSiloBuilderExtensions
{
    /// <summary>
    /// Adds a persistent stream provider named <paramref name="name"/> whose queues are the 16 partitions of the
    /// PostgreSQL event log (the silo's <c>NpgsqlDataSource</c>). Orleans balances the queues over the silos and moves
    /// them when silos die or join; each queue resumes from its checkpoint. Consumers subscribe implicitly to
    /// <see cref="EventLogQueues.Namespace"/> (a grain per queue) and receive whole batches; delivery is at least once
    /// (after a crash, batches since the checkpoint come again), retried without a time limit, never skipped.
    /// </summary>
    public static ISiloBuilder AddEventLogStreams(this ISiloBuilder silo, string name, Action<EventLogStreamOptions>? configure = null)
    {
        var options = new EventLogStreamOptions();
        configure?.Invoke(options);
        options.Validate(name);
        return silo.AddPersistentStreams(name, (services, provider) => EventLogAdapterFactory.Create(services, provider, options), streams =>
        {
            streams.Configure<StreamPubSubOptions>(pubSub => pubSub.Configure(o => o.PubSubType = StreamPubSubType.ImplicitOnly));
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = options.PollInterval;
                // A consumer that fails (ClickHouse down) is retried until it succeeds: the queue waits, nothing is skipped.
                o.MaxEventDeliveryTime = Timeout.InfiniteTimeSpan;
            }));
        });
    }
}
