using FirstViscount.Hosting;
using System.Collections.Concurrent;
using FirstViscount.Catalog;

namespace FirstViscount.Activations;

/// <summary>The activations living on this silo, by grain id.</summary>
internal sealed class ActivationDirectory
{
    private readonly ConcurrentDictionary<GrainId, Activation> activations = new();

    public int Count => activations.Count;

    public bool TryGet(GrainId grainId, out Activation activation) => activations.TryGetValue(grainId, out activation!);

    public Activation GetOrCreate(GrainId grainId, GrainClassInfo grainClass, SiloRuntime runtime) =>
        activations.GetOrAdd(grainId, static (id, state) => new Activation(id, state.grainClass, state.runtime), (grainClass, runtime));

    /// <summary>Removes <paramref name="activation"/>, and only it (a newer one for the same grain stays).</summary>
    public void Remove(Activation activation) =>
        activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.GrainId, activation));

    public IReadOnlyList<Activation> Snapshot() => [.. activations.Values];
}
