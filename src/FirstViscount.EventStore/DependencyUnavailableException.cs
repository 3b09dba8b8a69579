namespace FirstViscount;

/// <summary>
/// A store or service the platform depends on (PostgreSQL, Redis) did not answer. Nothing is known to have
/// changed; an idempotent operation may be retried, and the gateway answers 503 with Retry-After.
/// </summary>
[GenerateSerializer, Alias("fv.dependency-unavailable")]
public sealed class DependencyUnavailableException(string message, Exception? innerException) : FirstViscountException(message, innerException);
