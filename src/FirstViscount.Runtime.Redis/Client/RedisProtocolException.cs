namespace FirstViscount.Redis.Client;

/// <summary>A reply that is not valid RESP, or not the reply a command expects.</summary>
public sealed class RedisProtocolException(string message) : FirstViscountException(message);
