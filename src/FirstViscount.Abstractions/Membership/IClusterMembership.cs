namespace FirstViscount.Membership;

/// <summary>
/// A silo's (or client's) window on cluster membership: the current view, its changes, and for a silo its
/// own standing. A silo may serve grains and write state only while <see cref="IsServing"/> holds.
/// </summary>
public interface IClusterMembership
{
    ClusterView CurrentView { get; }

    /// <summary>Raised with each newer view.</summary>
    event Action<ClusterView>? ViewChanged;

    /// <summary>
    /// Raised when this silo lost its standing (lease expired while paused or cut off, or the membership store
    /// forgot it). The silo must drop its activations without writing and rejoin as a new generation.
    /// </summary>
    event Action? MembershipLost;

    /// <summary>True while this silo is a member in good standing (for a lease-based provider: its lease is unexpired).</summary>
    bool IsServing { get; }

    /// <summary>Joins as <paramref name="self"/>; returns when the silo is in the view.</summary>
    Task JoinAsync(SiloAddress self, CancellationToken cancellationToken);

    /// <summary>Leaves at once (graceful shutdown).</summary>
    Task LeaveAsync(CancellationToken cancellationToken);

    /// <summary>Starts following the view without joining (cluster clients).</summary>
    Task ObserveAsync(CancellationToken cancellationToken);

    /// <summary>Re-reads the view now (after a call was rejected by a silo with a newer view).</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
