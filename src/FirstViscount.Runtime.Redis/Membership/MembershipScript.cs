using FirstViscount.Redis.Client;

namespace FirstViscount.Redis.Membership;

/// <summary>
/// The one Lua script behind Redis membership, so every change is atomic and uses Redis's clock (not the
/// silos'): join/renew write an entry with expiresAt = now + lease; every call drops expired entries; any
/// change bumps the version and is announced on the channel. A renew of an entry that is gone (lease
/// expired, or Redis restarted empty) answers "gone": the silo must rejoin as a new generation.
/// The version starts at Redis's current time in ms, so a Redis restarted empty still hands out higher
/// versions than before and no silo ignores the new views.
/// </summary>
internal static class MembershipScript
{
    public static readonly RedisScript Script = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local mode = ARGV[1]
        local silo = ARGV[2]
        local changed = false
        local gone = 0
        if redis.call('EXISTS', KEYS[2]) == 0 then
          redis.call('SET', KEYS[2], now)
        end
        if mode == 'leave' then
          if redis.call('HDEL', KEYS[1], silo) == 1 then changed = true end
        elseif mode == 'join' or mode == 'renew' then
          local existed = redis.call('HEXISTS', KEYS[1], silo) == 1
          if mode == 'renew' and not existed then
            gone = 1
          else
            redis.call('HSET', KEYS[1], silo, tostring(now + tonumber(ARGV[3])))
            if not existed then changed = true end
          end
        end
        local entries = redis.call('HGETALL', KEYS[1])
        local active = {}
        for i = 1, #entries, 2 do
          if tonumber(entries[i + 1]) <= now then
            redis.call('HDEL', KEYS[1], entries[i])
            changed = true
          else
            table.insert(active, entries[i])
            table.insert(active, entries[i + 1])
          end
        end
        local version = tonumber(redis.call('GET', KEYS[2]))
        if changed then
          version = redis.call('INCR', KEYS[2])
          redis.call('PUBLISH', KEYS[3], tostring(version))
        end
        return {gone, version, now, active}
        """);
}

/// <summary>What the script answered: whether this silo's entry was gone, and the view.</summary>
internal sealed record MembershipReply(bool Gone, long Version, long RedisNowMs, IReadOnlyList<(string Silo, long ExpiresAtMs)> Active)
{
    public static MembershipReply From(RespValue reply)
    {
        var items = reply.AsArray();
        var flat = items[3].AsArray();
        var active = new List<(string, long)>();
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            active.Add((flat[i].AsString()!, flat[i + 1].AsInteger()));
        }
        return new MembershipReply(items[0].AsInteger() == 1, items[1].AsInteger(), items[2].AsInteger(), active);
    }
}
