namespace FirstViscount.EventSourcing;

/// <summary>An event store in process memory, for the runtime's own tests and the embedded single-silo default.</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<RecordedEvent>> streams = [];
    private readonly List<RecordedEvent> log = [];
    private readonly Dictionary<string, Snapshot> snapshots = [];

    public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var stream = streams.TryGetValue(streamId, out var existing) ? existing : [];
            if (expected.Exact is { } version && version != stream.Count)
            {
                throw new WrongExpectedVersionException(streamId, expected);
            }
            foreach (var e in events)
            {
                var recorded = new RecordedEvent(streamId, stream.Count + 1, log.Count + 1, e.EventId, e.Type, e.SchemaVersion, e.Payload, e.Metadata, DateTimeOffset.UtcNow);
                stream.Add(recorded);
                log.Add(recorded);
            }
            streams[streamId] = stream;
            return Task.FromResult(new AppendResult(stream.Count, log.Count));
        }
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long afterVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<RecordedEvent> events = streams.TryGetValue(streamId, out var stream) ? [.. stream.Skip((int)afterVersion)] : [];
            return Task.FromResult(events);
        }
    }

    public Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var page = log.Skip((int)after.Position).Take(maxCount).ToList();
            return Task.FromResult(new GlobalPage(page, page.Count == 0 ? after : new GlobalCheckpoint(0, page[^1].Position)));
        }
    }

    public Task SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!snapshots.TryGetValue(snapshot.StreamId, out var current) || current.Version < snapshot.Version)
            {
                snapshots[snapshot.StreamId] = snapshot;
            }
            return Task.CompletedTask;
        }
    }

    public Task<Snapshot?> LoadSnapshotAsync(string streamId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(snapshots.GetValueOrDefault(streamId));
        }
    }
}
