namespace FirstViscount.Membership;

/// <summary>The membership of an in-process cluster: one shared, versioned list of active silos.</summary>
public sealed class InMemoryMembershipTable
{
    private readonly Lock gate = new();
    private ClusterView view = ClusterView.Empty;

    public ClusterView View => Volatile.Read(ref view);

    public event Action<ClusterView>? Changed;

    public void Add(SiloAddress silo) => Update(silos => silos.Contains(silo) ? silos : silos.Add(silo));

    public void Remove(SiloAddress silo) => Update(silos => silos.Remove(silo));

    private void Update(Func<System.Collections.Immutable.ImmutableArray<SiloAddress>, System.Collections.Immutable.ImmutableArray<SiloAddress>> change)
    {
        ClusterView next;
        lock (gate)
        {
            var silos = change(view.ActiveSilos);
            if (silos == view.ActiveSilos)
            {
                return;
            }
            next = new ClusterView(view.Version + 1, silos);
            Volatile.Write(ref view, next);
        }
        Changed?.Invoke(next);
    }
}
