using System.Collections.Immutable;

namespace FirstViscount.Membership;

/// <summary>A versioned snapshot of the active silos. Higher versions are newer.</summary>
public sealed class ClusterView
{
    public static readonly ClusterView Empty = new(0, []);

    public ClusterView(long version, ImmutableArray<SiloAddress> activeSilos)
    {
        Version = version;
        ActiveSilos = activeSilos;
    }

    public long Version { get; }

    public ImmutableArray<SiloAddress> ActiveSilos { get; }

    public bool Contains(SiloAddress silo) => ActiveSilos.Contains(silo);

    public override string ToString() => $"v{Version} [{string.Join(", ", ActiveSilos)}]";
}
