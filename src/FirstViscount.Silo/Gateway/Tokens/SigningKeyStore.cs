using Npgsql;

namespace FirstViscount.SiloHost.Gateway.Tokens;

/// <summary>One signing key: its id (the tokens' <c>kid</c>), its ECDSA P-256 private key as PKCS#8, and when it was made.</summary>
public sealed record StoredSigningKey(string Kid, byte[] PrivateKey, DateTimeOffset CreatedAt);

/// <summary>Where the silos keep the keys they sign and verify bearer tokens with.</summary>
public interface ISigningKeyStore
{
    /// <summary>The keys made at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<StoredSigningKey>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="key"/> unless a key newer than <paramref name="onlyIfNoneSince"/> exists (another silo made
    /// one meanwhile); returns whether it was added.
    /// </summary>
    Task<bool> AddAsync(StoredSigningKey key, DateTimeOffset onlyIfNoneSince, CancellationToken cancellationToken);
}

/// <summary>The keys in PostgreSQL (signing_keys), so a token one silo signs is verified by every silo.</summary>
internal sealed class PostgresSigningKeyStore(NpgsqlDataSource dataSource) : ISigningKeyStore
{
    public async Task<IReadOnlyList<StoredSigningKey>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT kid, private_key, created_at FROM signing_keys WHERE created_at >= $1 ORDER BY created_at DESC");
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredSigningKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new StoredSigningKey(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return keys;
    }

    public async Task<bool> AddAsync(StoredSigningKey key, DateTimeOffset onlyIfNoneSince, CancellationToken cancellationToken)
    {
        // One writer at a time, so two silos rotating together make one key, not two.
        await using var command = dataSource.CreateCommand("""
            WITH serialized AS (SELECT pg_advisory_xact_lock(hashtext('fv.signing-keys')))
            INSERT INTO signing_keys (kid, private_key, created_at)
            SELECT $1, $2, $3 FROM serialized WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE created_at > $4)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = key.Kid });
        command.Parameters.Add(new NpgsqlParameter { Value = key.PrivateKey });
        command.Parameters.Add(new NpgsqlParameter { Value = key.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = onlyIfNoneSince });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>The keys of a silo without PostgreSQL (the single-silo embedded default): in memory, lost at restart.</summary>
internal sealed class InMemorySigningKeyStore : ISigningKeyStore
{
    private readonly List<StoredSigningKey> keys = [];

    public Task<IReadOnlyList<StoredSigningKey>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (keys)
        {
            return Task.FromResult<IReadOnlyList<StoredSigningKey>>([.. keys.Where(k => k.CreatedAt >= since).OrderByDescending(k => k.CreatedAt)]);
        }
    }

    public Task<bool> AddAsync(StoredSigningKey key, DateTimeOffset onlyIfNoneSince, CancellationToken cancellationToken)
    {
        lock (keys)
        {
            if (keys.Any(k => k.CreatedAt > onlyIfNoneSince))
            {
                return Task.FromResult(false);
            }
            keys.Add(key);
            return Task.FromResult(true);
        }
    }
}
