using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// Reads one queue (a partition of the log) for Orleans's pulling agent: from its checkpoint, in commit order, only
/// events of finished transactions, so an event that commits late is read when it commits, never skipped. Once the
/// cache has delivered a batch to every consumer, Orleans hands it back here and the checkpoint moves past it.
/// </summary>
internal sealed class EventLogReceiver(PostgresEventStore store, EventLogCheckpoints checkpoints, int partition, EventLogStreamOptions options, ILogger logger)
    : IQueueAdapterReceiver
{
    /// <summary>
    /// A queue reads at most this many batches ahead of its consumers' deliveries. Orleans's cache would hold ten, which
    /// under a backlog keeps 16 × 10 batches alive across garbage collections for no gain. Two, not one: the cache hands
    /// a batch back only once its consumers' cursors have moved on to the next.
    /// </summary>
    private const int MaxBatchesAhead = 2;

    private readonly StreamId stream = EventLogQueues.StreamOf(partition);

    // The batches read and not yet checkpointed, in read order; the checkpoint moves past a prefix that is all delivered.
    private readonly LinkedList<(EventSourcing.GlobalCheckpoint End, bool Delivered)> unconfirmed = new();
    private EventSourcing.GlobalCheckpoint readUpTo;

    public async Task Initialize(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        readUpTo = await checkpoints.LoadAsync(partition, deadline.Token);
        logger.LogInformation("Event-log queue {Partition} resumes after transaction {Transaction}, position {Position}", partition, readUpTo.TransactionId, readUpTo.Position);
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        lock (unconfirmed)
        {
            if (unconfirmed.Count >= MaxBatchesAhead)
            {
                return []; // the consumers are behind: read again once a batch is handed back (the agent's next poll)
            }
        }
        var page = await store.ReadPartitionAsync(partition, readUpTo, options.BatchSize, CancellationToken.None);
        if (page.Events.Count == 0)
        {
            return [];
        }
        readUpTo = page.Next;
        lock (unconfirmed)
        {
            unconfirmed.AddLast((page.Next, false));
        }
        return [new EventLogBatch(stream, [.. page.Events], new EventLogSequenceToken(page.Next))];
    }

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        EventSourcing.GlobalCheckpoint? confirmed = null;
        lock (unconfirmed)
        {
            var delivered = messages.Cast<EventLogBatch>().Select(batch => batch.Token.BatchEnd).ToHashSet();
            for (var node = unconfirmed.First; node is not null; node = node.Next)
            {
                if (delivered.Contains(node.Value.End))
                {
                    node.Value = (node.Value.End, true);
                }
            }
            // A batch Orleans gave up on is never handed back: the checkpoint stays before it, to deliver it again after a restart.
            while (unconfirmed.First is { Value.Delivered: true } first)
            {
                confirmed = first.Value.End;
                unconfirmed.RemoveFirst();
            }
        }
        if (confirmed is { } checkpoint)
        {
            await checkpoints.SaveAsync(partition, checkpoint);
        }
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
