namespace FirstViscount.Redis.Client;

/// <summary>Redis answered a command with an error reply (the message is Redis's).</summary>
public sealed class RedisServerException(string message) : FirstViscountException(message)
{
    /// <summary>The error prefix, e.g. ERR, WRONGTYPE, NOSCRIPT.</summary>
    public string Prefix => Message.Split(' ', 2)[0];
}
