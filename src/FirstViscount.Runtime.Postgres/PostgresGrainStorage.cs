using System.Globalization;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>
/// Grain state in PostgreSQL. The first write inserts (ON CONFLICT DO NOTHING), later writes update
/// WHERE version = expected; zero rows touched means another writer won, which raises
/// <see cref="InconsistentStateException"/>. A PostgreSQL that is down or slow surfaces as
/// <see cref="GrainStorageException"/> after the connection or command timeout, never as a hang.
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage, IAsyncDisposable
{
    private const string Key = "service_id = $1 AND grain_type = $2 AND grain_key = $3 AND state_name = $4";

    private readonly string name;
    private readonly GroupCommitWriter[]? writers;

    /// <param name="name">The storage's name, for error messages.</param>
    /// <param name="shards">One data source per shard; a key's shard is chosen by a stable hash of the grain key.</param>
    /// <param name="groupCommit">Batch concurrent writes of a shard into one transaction (acknowledged after its commit).</param>
    public PostgresGrainStorage(string name, IReadOnlyList<NpgsqlDataSource> shards, bool groupCommit = true)
    {
        this.name = name;
        Shards = shards;
        writers = groupCommit ? [.. shards.Select(shard => new GroupCommitWriter(shard))] : null;
    }

    public IReadOnlyList<NpgsqlDataSource> Shards { get; }

    public async Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        return await Run(key, async command =>
        {
            command.CommandText = $"SELECT version, payload::text FROM grain_state WHERE {Key}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            var payload = reader.IsDBNull(1) ? null : System.Text.Encoding.UTF8.GetBytes(reader.GetString(1));
            return new GrainStateRecord(payload, Format(reader.GetInt64(0)));
        });
    }

    public Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Replace(key, System.Text.Encoding.UTF8.GetString(payload.Span), expectedEtag, cancellationToken);

    public Task<string> ClearAsync(GrainStateKey key, string? expectedEtag, CancellationToken cancellationToken) =>
        Replace(key, null, expectedEtag, cancellationToken);

    private async Task<string> Replace(GrainStateKey key, string? payload, string? expectedEtag, CancellationToken cancellationToken)
    {
        var command = StateWrite.Command(key, payload, ParseEtag(key, expectedEtag));
        var shard = ShardOf(key);
        long? version;
        try
        {
            version = writers is null
                ? (await StateWrite.ExecuteAsync(Shards[shard], [command], cancellationToken))[0]
                : await writers[shard].WriteAsync(command).WaitAsync(cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            throw Unavailable(key, error);
        }
        return version is { } written ? Format(written) : throw InconsistentStateException.For(key, expectedEtag);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in writers ?? [])
        {
            await writer.DisposeAsync();
        }
    }

    private async Task<T> Run<T>(GrainStateKey key, Func<NpgsqlCommand, Task<T>> body)
    {
        try
        {
            await using var command = Shards[ShardOf(key)].CreateCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = key.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = key.GrainType });
            command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
            command.Parameters.Add(new NpgsqlParameter { Value = key.StateName });
            return await body(command);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            throw Unavailable(key, error);
        }
    }

    private int ShardOf(GrainStateKey key) => Shards.Count == 1 ? 0 : (int)(StableHashing.Hash(key.GrainKey) % (ulong)Shards.Count);

    private GrainStorageException Unavailable(GrainStateKey key, Exception error) =>
        new($"Grain storage '{name}' failed on PostgreSQL for {key.GrainType}/{key.GrainKey}: {error.Message}", error);

    private static long? ParseEtag(GrainStateKey key, string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw InconsistentStateException.For(key, etag);

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}
