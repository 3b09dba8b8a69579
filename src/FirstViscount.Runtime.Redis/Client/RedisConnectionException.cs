namespace FirstViscount.Redis.Client;

/// <summary>The connection to Redis failed, was lost, or could not be established.</summary>
public sealed class RedisConnectionException(string message, Exception? innerException = null) : FirstViscountException(message, innerException);
