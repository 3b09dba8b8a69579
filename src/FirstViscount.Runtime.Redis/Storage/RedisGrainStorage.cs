using System.Globalization;
using FirstViscount.Redis.Client;

namespace FirstViscount.Redis.Storage;

/// <summary>
/// Grain state in Redis for session-consistent data (carts, preferences): one hash per state with its version,
/// payload and a tombstone flag; writes are conditional on the version (one Lua script), and each write renews
/// the time to live, so a state expires after <c>timeToLive</c> without change.
/// </summary>
public sealed class RedisGrainStorage(string name, RedisClient redis, TimeSpan timeToLive) : IGrainStorage
{
    private static readonly RedisScript ConditionalWrite = new("""
        local current = redis.call('HGET', KEYS[1], 'v')
        if (ARGV[1] == '' and current) or (ARGV[1] ~= '' and current ~= ARGV[1]) then
          return -1
        end
        local version = (tonumber(current) or 0) + 1
        redis.call('HSET', KEYS[1], 'v', version, 'p', ARGV[2], 't', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return version
        """);

    public async Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        var reply = (await Run(() => redis.ExecuteAsync("HMGET", Key(key), "v", "p", "t"))).AsArray();
        if (reply[0].IsNull)
        {
            return null;
        }
        return new GrainStateRecord(reply[2].AsString() == "1" ? null : reply[1].Bytes, reply[0].AsString()!);
    }

    public Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Replace(key, payload.ToArray(), tombstone: false, expectedEtag);

    public Task<string> ClearAsync(GrainStateKey key, string? expectedEtag, CancellationToken cancellationToken) =>
        Replace(key, [], tombstone: true, expectedEtag);

    private async Task<string> Replace(GrainStateKey key, byte[] payload, bool tombstone, string? expectedEtag)
    {
        var version = (await Run(() => redis.EvaluateAsync(ConditionalWrite, [Key(key)],
            [expectedEtag ?? "", payload, tombstone ? "1" : "0", (long)timeToLive.TotalMilliseconds]))).AsInteger();
        return version < 0 ? throw InconsistentStateException.For(key, expectedEtag) : version.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<RespValue> Run(Func<Task<RespValue>> command)
    {
        try
        {
            return await command();
        }
        catch (FirstViscountException error) when (error is RedisConnectionException or RedisTimeoutException or RedisServerException)
        {
            throw new GrainStorageException($"Grain storage '{name}' failed on Redis: {error.Message}", error);
        }
    }

    private static string Key(GrainStateKey key) => $"fv:{key.ServiceId}:state:{key.GrainType}:{key.GrainKey}:{key.StateName}";
}
