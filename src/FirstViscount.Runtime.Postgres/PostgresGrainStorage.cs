using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Postgres;

/// <summary>
/// Grain state in PostgreSQL. The first write inserts (ON CONFLICT DO NOTHING), later writes update
/// WHERE version = expected; zero rows touched means another writer won, which raises
/// <see cref="InconsistentStateException"/>. A PostgreSQL that is down or slow surfaces as
/// <see cref="GrainStorageException"/> after the connection or command timeout, never as a hang.
/// </summary>
public sealed class PostgresGrainStorage(string name, IReadOnlyList<NpgsqlDataSource> shards) : IGrainStorage
{
    private const string Key = "service_id = $1 AND grain_type = $2 AND grain_key = $3 AND state_name = $4";

    public IReadOnlyList<NpgsqlDataSource> Shards { get; } = shards;

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
        var expected = ParseEtag(key, expectedEtag);
        var version = await Run(key, async command =>
        {
            command.CommandText = expected is null
                ? "INSERT INTO grain_state (service_id, grain_type, grain_key, state_name, version, payload) VALUES ($1, $2, $3, $4, 1, $5::jsonb) ON CONFLICT DO NOTHING RETURNING version"
                : $"UPDATE grain_state SET version = version + 1, payload = $5::jsonb, modified_at = now() WHERE {Key} AND version = $6 RETURNING version";
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)payload ?? DBNull.Value });
            if (expected is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = expected.Value });
            }
            return await command.ExecuteScalarAsync(cancellationToken);
        });
        return version is long written ? Format(written) : throw InconsistentStateException.For(key, expectedEtag);
    }

    private async Task<T> Run<T>(GrainStateKey key, Func<NpgsqlCommand, Task<T>> body)
    {
        var shard = Shards.Count == 1 ? Shards[0] : Shards[(int)(StableHashing.Hash(key.GrainKey) % (ulong)Shards.Count)];
        try
        {
            await using var command = shard.CreateCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = key.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = key.GrainType });
            command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
            command.Parameters.Add(new NpgsqlParameter { Value = key.StateName });
            return await body(command);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException && error is not PostgresException { SqlState: "23505" })
        {
            throw new GrainStorageException($"Grain storage '{name}' failed on PostgreSQL for {key.GrainType}/{key.GrainKey}: {error.Message}", error);
        }
    }

    private static long? ParseEtag(GrainStateKey key, string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw InconsistentStateException.For(key, etag);

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}
