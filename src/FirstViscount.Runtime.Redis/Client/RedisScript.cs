using System.Security.Cryptography;
using System.Text;

namespace FirstViscount.Redis.Client;

/// <summary>A Lua script, sent once and then called by its SHA1 (EVALSHA).</summary>
public sealed class RedisScript(string lua)
{
    public string Lua { get; } = lua;

    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(lua)));
}
