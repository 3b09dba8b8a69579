namespace FirstViscount;

/// <summary>
/// The silo that owns a grain could not be reached. When <see cref="RequestMayHaveStarted"/> is false the
/// runtime has already retried on the new owner; when true the outcome of the call is unknown.
/// </summary>
public sealed class SiloUnavailableException : FirstViscountException
{
    public SiloUnavailableException(string message, bool requestMayHaveStarted, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestMayHaveStarted = requestMayHaveStarted;
    }

    public bool RequestMayHaveStarted { get; }
}
