namespace FirstViscount;

/// <summary>
/// Base class of every grain. The runtime creates instances (constructor parameters come from the
/// silo's services, and <see cref="PersistentStateAttribute"/> parameters get their state); code
/// obtains references through <see cref="IGrainFactory"/>, never with <c>new</c>.
/// </summary>
public abstract class Grain
{
    protected Grain()
    {
        GrainContext = GrainContextScope.Current
            ?? throw new InvalidOperationException(
                $"{GetType().Name} was constructed outside the runtime. Grains are created by a silo; obtain a reference with IGrainFactory.GetGrain.");
    }

    public IGrainContext GrainContext { get; }

    public GrainId GrainId => GrainContext.GrainId;

    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    protected IServiceProvider ServiceProvider => GrainContext.Services;

    public string GetPrimaryKeyString() => GrainId.Key;

    public Guid GetPrimaryKey() => Guid.ParseExact(GrainId.Key, "N");

    public long GetPrimaryKeyLong() => long.Parse(GrainId.Key, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs before the first request of an activation. A throw fails the pending calls.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs when the activation ends gracefully. Not called when a silo dies.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation after the current request.</summary>
    protected void DeactivateOnIdle() =>
        GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called"));

    /// <summary>Registers a timer that obeys turn-based execution (see <see cref="IGrainContext.RegisterTimer"/>).</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave = false) =>
        GrainContext.RegisterTimer(callback, dueTime, period, interleave);
}
