namespace FirstViscount;

/// <summary>A storage provider could not complete an operation (database down, timeout). The state is unchanged or unknown.</summary>
public sealed class GrainStorageException : FirstViscountException
{
    public GrainStorageException(string message, Exception? innerException) : base(message, innerException) { }
}
