using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// The event log as an Orleans queue adapter. Read-only: the append to the event store is the publish, so there is
/// nothing to produce through Orleans (an event is in the stream exactly when its transaction has committed).
/// </summary>
internal sealed class EventLogQueueAdapter(string name, PostgresEventStore store, EventLogCheckpoints checkpoints, EventLogStreamOptions options, ILoggerFactory loggers)
    : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new EventLogReceiver(store, checkpoints, EventLogQueues.PartitionOf(queueId), options, loggers.CreateLogger<EventLogReceiver>());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"The event-log stream provider '{name}' is read-only: append to the event store, and the event is in the stream once committed.");
}
