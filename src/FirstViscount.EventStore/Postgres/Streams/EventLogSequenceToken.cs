using FirstViscount.EventSourcing;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// Where an event is in its queue: the (transaction, position) of the batch it was read in, which grows in the order a
/// partition is read (commit order, not position order), and the event's index in that batch.
/// </summary>
[GenerateSerializer, Alias("fv.event-log-token")]
public sealed class EventLogSequenceToken : StreamSequenceToken
{
    public EventLogSequenceToken(GlobalCheckpoint batchEnd, int eventIndex = 0)
    {
        BatchEnd = batchEnd;
        EventIndex = eventIndex;
        SequenceNumber = batchEnd.Position;
    }

    /// <summary>The last event of the batch: where the queue's checkpoint moves once the batch is delivered.</summary>
    [Id(0)]
    public GlobalCheckpoint BatchEnd { get; private set; }

    [Id(1)]
    public override long SequenceNumber { get; protected set; }

    [Id(2)]
    public override int EventIndex { get; protected set; }

    public override bool Equals(StreamSequenceToken? other) => other is EventLogSequenceToken token && token.BatchEnd == BatchEnd && token.EventIndex == EventIndex;

    public override bool Equals(object? obj) => obj is StreamSequenceToken token && Equals(token);

    public override int GetHashCode() => HashCode.Combine(BatchEnd, EventIndex);

    public override int CompareTo(StreamSequenceToken? other) => other switch
    {
        null => 1,
        EventLogSequenceToken token => BatchEnd.CompareTo(token.BatchEnd) is var byBatch and not 0 ? byBatch : EventIndex.CompareTo(token.EventIndex),
        _ => throw new ArgumentOutOfRangeException(nameof(other), $"An event-log token cannot be compared with a {other.GetType().Name}."),
    };

    public override string ToString() => $"[event log: transaction {BatchEnd.TransactionId}, position {BatchEnd.Position}, event {EventIndex}]";
}
