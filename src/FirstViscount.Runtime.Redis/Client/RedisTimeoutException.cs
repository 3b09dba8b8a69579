namespace FirstViscount.Redis.Client;

/// <summary>A command did not get its reply within the command timeout.</summary>
public sealed class RedisTimeoutException(string message) : FirstViscountException(message);
