using System.Text.Json;

namespace FirstViscount.EventSourcing;

/// <summary>
/// A grain whose state is the fold of its event stream (plus the latest snapshot). <c>RaiseAsync</c>
/// appends at the version the grain last saw and only then applies the events, so a method returns success
/// only after its events are durable; a concurrent writer makes the append fail and the activation deactivate.
/// </summary>
public abstract class EventSourcedGrain<TState> : Grain where TState : class, new()
{
    private readonly IEventStore store;
    private long versionAtSnapshot;

    protected EventSourcedGrain(IEventStore store, EventSerializer serializer)
    {
        this.store = store;
        Serializer = serializer;
    }

    /// <summary>Turns events into stored records and back.</summary>
    protected EventSerializer Serializer { get; }

    protected TState State { get; private set; } = new();

    /// <summary>The stream version the state reflects (0: no events yet).</summary>
    protected long Version { get; private set; }

    /// <summary>The grain's stream, "{grain type}-{key}" unless overridden.</summary>
    protected virtual string StreamId => $"{GrainId.Type}-{GrainId.Key}";

    /// <summary>A snapshot is written every this many events (default 1000) to bound replay time.</summary>
    protected virtual int SnapshotInterval => 1000;

    /// <summary>Folds one event into the state. Must be deterministic and free of side effects.</summary>
    protected abstract void Apply(TState state, object @event);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadSnapshotAsync(StreamId, cancellationToken) is { } snapshot)
        {
            State = JsonSerializer.Deserialize<TState>(snapshot.State, Serializer.Json) ?? new TState();
            Version = versionAtSnapshot = snapshot.Version;
        }
        foreach (var recorded in await store.ReadStreamAsync(StreamId, Version, cancellationToken))
        {
            Apply(State, Serializer.Deserialize(recorded));
            Version = recorded.Version;
        }
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Appends the events (atomically, at the current version), then applies them.</summary>
    protected async Task RaiseAsync(IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }
        var data = events.Select(e => Serializer.Serialize(e, metadata ?? new EventMetadata(Actor: GrainId.ToString()))).ToList();
        var result = await store.AppendAsync(StreamId, ExpectedVersion.At(Version), data, cancellationToken);
        foreach (var @event in events)
        {
            Apply(State, @event);
        }
        Version = result.NextExpectedVersion;
        if (Version - versionAtSnapshot >= SnapshotInterval)
        {
            await store.SaveSnapshotAsync(new Snapshot(StreamId, Version, JsonSerializer.SerializeToUtf8Bytes(State, Serializer.Json)), cancellationToken);
            versionAtSnapshot = Version;
        }
    }

    protected Task RaiseAsync(object @event, EventMetadata? metadata = null, CancellationToken cancellationToken = default) =>
        RaiseAsync([@event], metadata, cancellationToken);

    /// <summary>The stream's events as stored (for audit trails).</summary>
    protected Task<IReadOnlyList<RecordedEvent>> ReadHistoryAsync(CancellationToken cancellationToken = default) =>
        store.ReadStreamAsync(StreamId, 0, cancellationToken);
}
