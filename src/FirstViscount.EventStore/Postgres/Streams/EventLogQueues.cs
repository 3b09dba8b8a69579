using FirstViscount.Postgres.EventStore;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// The event log's queues and streams: queue <c>n</c> is partition <c>n</c> of the log, and carries one stream,
/// <see cref="Namespace"/>/<c>n</c>. A consumer grain with a string key and
/// <c>[ImplicitStreamSubscription(EventLogQueues.Namespace)]</c> is therefore one grain per queue.
/// </summary>
public sealed class EventLogQueues(string providerName) : IConsistentRingStreamQueueMapper
{
    /// <summary>The stream namespace of every event-log stream.</summary>
    public const string Namespace = "event-log";

    /// <summary>The name of the silos' event-log stream provider, which their consumers read.</summary>
    public const string DefaultProvider = "event-log";

    public static int Count => PostgresEventStore.LogPartitions;

    // Spread evenly over Orleans's hash ring, so that its consistent-ring balancer gives each silo a fair share of the queues.
    private readonly QueueId[] queues = [.. Enumerable.Range(0, Count).Select(n => QueueId.GetQueueId(providerName, (uint)n, (uint)n * (uint)((1L << 32) / Count)))];

    public static StreamId StreamOf(int partition) => StreamId.Create(Namespace, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static int PartitionOf(QueueId queue) => (int)queue.GetNumericId();

    public IEnumerable<QueueId> GetAllQueues() => queues;

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => queues.Where(queue => range.InRange(queue.GetUniformHashCode()));

    public QueueId GetQueueForStream(StreamId streamId) =>
        streamId.GetNamespace() == Namespace && int.TryParse(streamId.GetKeyAsString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var partition)
            && partition < Count
            ? queues[partition]
            : throw new ArgumentException($"{streamId} is not a stream of the event log: its streams are {Namespace}/0..{Count - 1}.", nameof(streamId));
}
