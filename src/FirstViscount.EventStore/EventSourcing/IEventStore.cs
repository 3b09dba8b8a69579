namespace FirstViscount.EventSourcing;

/// <summary>
/// Streams of events with optimistic concurrency (<see cref="ExpectedVersion"/>) and a global log that readers
/// can tail without ever skipping an event that commits late.
/// </summary>
public interface IEventStore
{
    /// <summary>Appends atomically; throws <see cref="WrongExpectedVersionException"/> when the stream is not as expected.</summary>
    Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken);

    /// <summary>The stream's events with version greater than <paramref name="afterVersion"/>, in order.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long afterVersion, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxCount"/> events after <paramref name="after"/>, of finished transactions only.</summary>
    Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken);

    Task SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken);

    Task<Snapshot?> LoadSnapshotAsync(string streamId, CancellationToken cancellationToken);

    /// <summary>What an event-sourced grain needs to rebuild its state: the latest snapshot and the events after it.</summary>
    async Task<StreamLoad> LoadAsync(string streamId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadSnapshotAsync(streamId, cancellationToken);
        return new StreamLoad(snapshot, await ReadStreamAsync(streamId, snapshot?.Version ?? 0, cancellationToken));
    }
}
