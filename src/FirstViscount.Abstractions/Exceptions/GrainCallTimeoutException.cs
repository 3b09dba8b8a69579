namespace FirstViscount;

/// <summary>A grain call did not answer within its timeout (default 30 s). Distinct from cancellation.</summary>
public sealed class GrainCallTimeoutException : FirstViscountException
{
    public GrainCallTimeoutException(string message) : base(message) { }

    public GrainCallTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}
