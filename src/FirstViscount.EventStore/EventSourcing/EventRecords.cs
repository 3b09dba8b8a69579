namespace FirstViscount.EventSourcing;

/// <summary>Who and what caused an event, for the audit trail.</summary>
[GenerateSerializer, Alias("fv.event-metadata")]
public sealed record EventMetadata([property: Id(0)] string? CorrelationId = null, [property: Id(1)] string? CausationId = null, [property: Id(2)] string? Actor = null);

/// <summary>An event to append: its id (for idempotence and deduplication downstream), type, schema version and JSON payload.</summary>
public sealed record EventData(Guid EventId, string Type, int SchemaVersion, byte[] Payload, EventMetadata Metadata);

/// <summary>An event as stored (and as Orleans streams of the event log deliver it).</summary>
[GenerateSerializer, Immutable, Alias("fv.recorded-event")]
public sealed record RecordedEvent(
    [property: Id(0)] string StreamId, [property: Id(1)] long Version, [property: Id(2)] long Position, [property: Id(3)] Guid EventId, [property: Id(4)] string Type,
    [property: Id(5)] int SchemaVersion, [property: Id(6)] byte[] Payload, [property: Id(7)] EventMetadata Metadata, [property: Id(8)] DateTimeOffset RecordedAt);

/// <summary>The result of an append: the stream's new version and the global position of its last event.</summary>
public readonly record struct AppendResult(long NextExpectedVersion, long LastPosition);

/// <summary>A place in the global log (transaction, position); <see cref="Start"/> is before everything.</summary>
[GenerateSerializer, Alias("fv.global-checkpoint")]
public readonly record struct GlobalCheckpoint([property: Id(0)] ulong TransactionId, [property: Id(1)] long Position) : IComparable<GlobalCheckpoint>
{
    public int CompareTo(GlobalCheckpoint other) => TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Position.CompareTo(other.Position);

    public static GlobalCheckpoint Start { get; } = new(0, 0);
}

/// <summary>A page of the global log and where to continue.</summary>
public sealed record GlobalPage(IReadOnlyList<RecordedEvent> Events, GlobalCheckpoint Next);

/// <summary>A stored snapshot of a stream's folded state.</summary>
public sealed record Snapshot(string StreamId, long Version, byte[] State);

/// <summary>A stream's latest snapshot (if any) and its events after the snapshot, in order.</summary>
public sealed record StreamLoad(Snapshot? Snapshot, IReadOnlyList<RecordedEvent> Events);
