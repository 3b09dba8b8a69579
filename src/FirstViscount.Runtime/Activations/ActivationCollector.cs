using FirstViscount.Hosting;
namespace FirstViscount.Activations;

/// <summary>
/// Deactivates activations idle longer than their collection age, checking every collection quantum on the
/// silo's <see cref="TimeProvider"/> (so a fake clock drives it in tests).
/// </summary>
internal sealed class ActivationCollector : IDisposable
{
    private readonly SiloRuntime runtime;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private Task lastCollection = Task.CompletedTask;

    public ActivationCollector(SiloRuntime runtime)
    {
        this.runtime = runtime;
        var quantum = runtime.Options.CollectionQuantum;
        timer = runtime.Time.CreateTimer(static state => ((ActivationCollector)state!).Collect(), this, quantum, quantum);
    }

    /// <summary>Completes when every deactivation started by collection rounds so far has finished.</summary>
    public Task LastCollection => Volatile.Read(ref lastCollection);

    public Task Collect()
    {
        var deactivations = new List<Task>();
        foreach (var activation in runtime.Directory.Snapshot())
        {
            var age = activation.GrainClass.CollectionAge ?? runtime.Options.DefaultCollectionAge;
            if (activation.IsIdleFor(age))
            {
                deactivations.Add(activation.DeactivateAsync(
                    new DeactivationReason(DeactivationReasonCode.IdleTimeout, $"idle for more than {age}")));
            }
        }
        var round = Task.WhenAll(deactivations);
        lock (gate)
        {
            // A later round skips activations already deactivating, so it must not hide an earlier round.
            lastCollection = lastCollection.IsCompleted ? round : Task.WhenAll(lastCollection, round);
        }
        return round;
    }

    public void Dispose() => timer.Dispose();
}
