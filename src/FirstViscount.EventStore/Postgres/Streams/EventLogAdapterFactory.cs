using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// Builds the event-log provider's parts for Orleans: the read-only adapter over the silo's PostgreSQL, the queue
/// mapper (queue n = partition n), a cache of ten batches per queue, and the failure handler.
/// </summary>
internal sealed class EventLogAdapterFactory(string name, EventLogStreamOptions options, PostgresEventStore store, ILoggerFactory loggers) : IQueueAdapterFactory
{
    // Ten batches: Orleans's simple cache then keeps one batch per bucket, so each is handed back (and checkpointed)
    // as soon as every consumer has it, and a queue stops reading when ten wait for a consumer.
    private const int CachedBatches = 10;

    private readonly EventLogQueues queues = new(name);
    private readonly SimpleQueueAdapterCache cache = new(new SimpleQueueCacheOptions { CacheSize = CachedBatches }, name, loggers);

    /// <summary>The silo's event store (the domain's durable stores register it) is the log the queues read.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name, EventLogStreamOptions options) =>
        new EventLogAdapterFactory(name, options, services.GetRequiredService<PostgresEventStore>(), services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() =>
        Task.FromResult<IQueueAdapter>(new EventLogQueueAdapter(name, store, new EventLogCheckpoints(store.DataSource, name), options, loggers));

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => queues;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new EventLogFailureHandler(loggers.CreateLogger<EventLogFailureHandler>()));
}
