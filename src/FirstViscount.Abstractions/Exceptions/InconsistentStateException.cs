namespace FirstViscount;

/// <summary>
/// A state write stated an ETag that is no longer current: another activation wrote in between.
/// The activation that sees this deactivates; the next call re-reads the state.
/// </summary>
public class InconsistentStateException : FirstViscountException
{
    public InconsistentStateException(string message) : base(message) { }

    public InconsistentStateException(string message, Exception? innerException) : base(message, innerException) { }

    public static InconsistentStateException For(GrainStateKey key, string? expectedEtag) =>
        new($"Version conflict writing state '{key.StateName}' of {key.GrainType}/{key.GrainKey}: expected ETag {expectedEtag ?? "<none>"} is not current.");
}
