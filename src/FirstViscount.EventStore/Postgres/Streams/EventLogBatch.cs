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

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create(e, (StreamSequenceToken)new EventLogSequenceToken(Token.BatchEnd, i)));

    public bool ImportRequestContext() => false;

    public override string ToString() => $"[event-log batch of {Events.Count} on {StreamId}, up to {Token}]";
}
