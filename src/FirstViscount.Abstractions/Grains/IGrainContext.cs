namespace FirstViscount;

/// <summary>What the runtime provides to one activation of a grain.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }

    IGrainFactory GrainFactory { get; }

    /// <summary>The silo's services (for grains that resolve dependencies lazily).</summary>
    IServiceProvider Services { get; }

    TimeProvider TimeProvider { get; }

    /// <summary>Deactivate once the current request has completed.</summary>
    void Deactivate(DeactivationReason reason);

    /// <summary>
    /// A timer whose callback runs as a turn of the activation: never interleaved with a request
    /// (unless <paramref name="interleave"/>), and never overlapping its own previous tick.
    /// </summary>
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave);
}
