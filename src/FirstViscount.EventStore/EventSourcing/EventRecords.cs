namespace FirstViscount.EventSourcing;

/// <summary>Who and what caused an event, for the audit trail.</summary>
public sealed record EventMetadata(string? CorrelationId = null, string? CausationId = null, string? Actor = null);

/// <summary>An event to append: its id (for idempotence and deduplication downstream), type, schema version and JSON payload.</summary>
public sealed record EventData(Guid EventId, string Type, int SchemaVersion, byte[] Payload, EventMetadata Metadata);

/// <summary>An event as stored.</summary>
public sealed record RecordedEvent(
    string StreamId, long Version, long Position, Guid EventId, string Type, int SchemaVersion,
    byte[] Payload, EventMetadata Metadata, DateTimeOffset RecordedAt);

/// <summary>The result of an append: the stream's new version and the global position of its last event.</summary>
public readonly record struct AppendResult(long NextExpectedVersion, long LastPosition);

/// <summary>A place in the global log (transaction, position); <see cref="Start"/> is before everything.</summary>
public readonly record struct GlobalCheckpoint(ulong TransactionId, long Position)
{
    public static GlobalCheckpoint Start { get; } = new(0, 0);
}

/// <summary>A page of the global log and where to continue.</summary>
public sealed record GlobalPage(IReadOnlyList<RecordedEvent> Events, GlobalCheckpoint Next);

/// <summary>A stored snapshot of a stream's folded state.</summary>
public sealed record Snapshot(string StreamId, long Version, byte[] State);

/// <summary>A stream's latest snapshot (if any) and its events after the snapshot, in order.</summary>
public sealed record StreamLoad(Snapshot? Snapshot, IReadOnlyList<RecordedEvent> Events);
