using System.Text;
using Orleans.Storage;

namespace FirstViscount.Postgres;

/// <summary>
/// Grain state in PostgreSQL through Orleans's ADO.NET provider, one provider per shard. It adds what that
/// provider leaves out: the grain type in the key (the provider is given only the state name, so this passes
/// "{grain type}/{state name}"), and, with several databases, a shard chosen by a stable hash of the grain's key,
/// so that all state of one key (a customer, an order) lives in one database.
/// </summary>
public sealed class PostgresGrainStorage(IReadOnlyList<IGrainStorage> shards) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ShardOf(grainId).ReadStateAsync(Scoped(stateName, grainId), grainId, grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        ShardOf(grainId).ReadStateAsync(Scoped(stateName, grainId), grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ShardOf(grainId).WriteStateAsync(Scoped(stateName, grainId), grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        ShardOf(grainId).WriteStateAsync(Scoped(stateName, grainId), grainId, grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ShardOf(grainId).ClearStateAsync(Scoped(stateName, grainId), grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        ShardOf(grainId).ClearStateAsync(Scoped(stateName, grainId), grainId, grainState, cancellationToken);

    /// <summary>The shard that holds <paramref name="grainId"/>'s state: FNV-1a of its key, stable across processes and releases.</summary>
    public int ShardIndexOf(GrainId grainId)
    {
        if (shards.Count == 1)
        {
            return 0;
        }
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(grainId.Key.ToString()))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % (uint)shards.Count);
    }

    private IGrainStorage ShardOf(GrainId grainId) => shards[ShardIndexOf(grainId)];

    private static string Scoped(string stateName, GrainId grainId) => $"{grainId.Type}/{stateName}";
}
