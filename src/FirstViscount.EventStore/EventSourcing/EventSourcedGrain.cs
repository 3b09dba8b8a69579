using System.Text.Json;

namespace FirstViscount.EventSourcing;

/// <summary>
/// An Orleans grain whose state is the fold of its event stream (plus the latest snapshot), loaded before
/// <c>OnActivateAsync</c> returns. <see cref="RaiseAsync(IReadOnlyList{object}, EventMetadata?, CancellationToken)"/> appends at the version the grain
/// last saw and only then applies the events, so a method returns success only after its events are committed; a
/// concurrent writer (a second activation after a membership change) makes the append fail with
/// <see cref="WrongExpectedVersionException"/>, and the activation deactivates rather than continue on stale state.
/// </summary>
public abstract class EventSourcedGrain<TState> : Grain where TState : class, new()
{
    private readonly IEventStore store;
    private long versionAtSnapshot;
    private long nextSnapshotAfter;
    private Task snapshotWrite = Task.CompletedTask;

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
    protected virtual string StreamId => $"{this.GetGrainId().Type}-{this.GetPrimaryKeyString()}";

    /// <summary>
    /// A snapshot is written every this many events (default 1000) to bound replay time; for a large state,
    /// less often (one event per 200 bytes of the last snapshot), so that snapshotting costs stay proportionate.
    /// </summary>
    protected virtual int SnapshotInterval => 1000;

    /// <summary>Folds one event into the state. Must be deterministic and free of side effects.</summary>
    protected abstract void Apply(TState state, object @event);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var load = await store.LoadAsync(StreamId, cancellationToken);
        if (load.Snapshot is { } snapshot)
        {
            State = JsonSerializer.Deserialize<TState>(snapshot.State, Serializer.Json) ?? new TState();
            Version = versionAtSnapshot = snapshot.Version;
        }
        foreach (var recorded in load.Events)
        {
            Apply(State, Serializer.Deserialize(recorded));
            Version = recorded.Version;
        }
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>Appends the events (atomically, at the current version), then applies them.</summary>
    protected async Task RaiseAsync(IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        await AppendAsync(events, metadata, cancellationToken);
        foreach (var @event in events)
        {
            Apply(State, @event);
        }
    }

    protected Task RaiseAsync(object @event, EventMetadata? metadata = null, CancellationToken cancellationToken = default) =>
        RaiseAsync([@event], metadata, cancellationToken);

    /// <summary>
    /// Appends events already applied to <see cref="State"/> (a grain that decides many commands in place).
    /// If this throws, the state is ahead of the stream: the grain must stop using it and deactivate.
    /// </summary>
    protected Task AppendAppliedAsync(IReadOnlyList<object> events, EventMetadata? metadata = null, CancellationToken cancellationToken = default) =>
        AppendAsync(events, metadata, cancellationToken);

    /// <summary>The stream's events as stored (for audit trails).</summary>
    protected Task<IReadOnlyList<RecordedEvent>> ReadHistoryAsync(CancellationToken cancellationToken = default) =>
        store.ReadStreamAsync(StreamId, 0, cancellationToken);

    /// <summary>Completes when the latest snapshot write has finished (for tests).</summary>
    protected Task SnapshotWritten => snapshotWrite;

    private async Task AppendAsync(IReadOnlyList<object> events, EventMetadata? metadata, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        var data = events.Select(e => Serializer.Serialize(e, metadata ?? new EventMetadata(Actor: this.GetGrainId().ToString()))).ToList();
        try
        {
            var result = await store.AppendAsync(StreamId, ExpectedVersion.At(Version), data, cancellationToken);
            Version = result.NextExpectedVersion;
        }
        catch (WrongExpectedVersionException)
        {
            DeactivateOnIdle(); // another activation appended first: this one's state is stale
            throw;
        }
        if (Version - versionAtSnapshot >= Math.Max(SnapshotInterval, nextSnapshotAfter) && snapshotWrite.IsCompleted)
        {
            var state = JsonSerializer.SerializeToUtf8Bytes(State, Serializer.Json);
            versionAtSnapshot = Version;
            nextSnapshotAfter = state.Length / 200;
            // Only an optimisation: written in the background, and a failure just means a longer replay.
            snapshotWrite = store.SaveSnapshotAsync(new Snapshot(StreamId, Version, state), CancellationToken.None)
                .ContinueWith(static write => _ = write.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
