namespace FirstViscount;

/// <summary>
/// Carries the activation under construction to <see cref="Grain"/>'s constructor, so that a grain's
/// constructor can already use its id and factory. Used by the runtime only.
/// </summary>
public static class GrainContextScope
{
    [ThreadStatic]
    private static IGrainContext? current;

    internal static IGrainContext? Current => current;

    /// <summary>Makes <paramref name="context"/> current on this thread until the scope is disposed.</summary>
    public static Scope Enter(IGrainContext context)
    {
        var previous = current;
        current = context;
        return new Scope(previous);
    }

    public readonly struct Scope(IGrainContext? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
