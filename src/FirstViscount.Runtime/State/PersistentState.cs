using System.Text.Json;

namespace FirstViscount.State;

/// <summary>One named state of one activation, kept by an <see cref="IGrainStorage"/> with ETags.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IPersistentStateLoader
{
    private readonly GrainStateKey key;
    private readonly IGrainStorage storage;
    private readonly JsonSerializerOptions json;
    private readonly IWriteFence fence;

    public PersistentState(GrainStateKey key, IGrainStorage storage, JsonSerializerOptions json, IWriteFence fence)
    {
        this.key = key;
        this.storage = storage;
        this.json = json;
        this.fence = fence;
        State = Activator.CreateInstance<TState>();
    }

    public TState State { get; set; }

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(key, cancellationToken);
        Etag = record?.Etag;
        RecordExists = record?.Payload is not null;
        State = record?.Payload is { } payload
            ? JsonSerializer.Deserialize<TState>(payload, json) ?? Activator.CreateInstance<TState>()
            : Activator.CreateInstance<TState>();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        fence.EnsureCanWrite();
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, json);
        Etag = await storage.WriteAsync(key, payload, Etag, cancellationToken);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        fence.EnsureCanWrite();
        Etag = await storage.ClearAsync(key, Etag, cancellationToken);
        RecordExists = false;
        State = Activator.CreateInstance<TState>();
    }
}
