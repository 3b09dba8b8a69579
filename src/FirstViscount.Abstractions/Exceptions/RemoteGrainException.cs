namespace FirstViscount;

/// <summary>
/// An exception thrown by a grain on another silo whose type cannot be recreated here.
/// <see cref="OriginalTypeName"/> and the message are those of the original exception.
/// </summary>
public sealed class RemoteGrainException : FirstViscountException
{
    public RemoteGrainException(string originalTypeName, string message, string? remoteStackTrace = null)
        : base(message)
    {
        OriginalTypeName = originalTypeName;
        RemoteStackTrace = remoteStackTrace;
    }

    public string OriginalTypeName { get; }

    public string? RemoteStackTrace { get; }

    public override string ToString() => $"{OriginalTypeName}: {Message}{Environment.NewLine}{RemoteStackTrace}";
}
