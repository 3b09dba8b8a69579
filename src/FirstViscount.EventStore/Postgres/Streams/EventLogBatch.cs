using FirstViscount.EventSourcing;

namespace FirstViscount.Postgres.Streams;

/// <summary>One read of a queue: consecutive events of one partition, delivered to a consumer in one call.</summary>
[GenerateSerializer, Immutable, Alias("fv.event-log-batch")]
public sealed class EventLogBatch(StreamId streamId, List<RecordedEvent> events, EventLogSequenceToken token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public List<RecordedEvent> Events { get; } = events;

    [Id(2)]
    public EventLogSequenceToken Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>
    /// The batch's events one by one for a consumer of <see cref="RecordedEvent"/>s; for a consumer of
    /// <see cref="IReadOnlyList{T}"/> of them, the whole batch as one item, so a delivery costs Orleans one item
    /// instead of a tuple and a token per event.
    /// </summary>
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        typeof(T) == typeof(IReadOnlyList<RecordedEvent>)
            ? [Tuple.Create((T)(object)Events, (StreamSequenceToken)Token)]
            : Events.OfType<T>().Select((e, i) => Tuple.Create(e, (StreamSequenceToken)new EventLogSequenceToken(Token.BatchEnd, i)));

    public bool ImportRequestContext() => false;

    public override string ToString() => $"[event-log batch of {Events.Count} on {StreamId}, up to {Token}]";
}
