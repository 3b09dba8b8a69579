namespace FirstViscount.Membership;

/// <summary>One silo's or client's membership over an <see cref="InMemoryMembershipTable"/>.</summary>
internal sealed class InMemoryMembership(InMemoryMembershipTable table) : IClusterMembership, IDisposable
{
    private SiloAddress? self;
    private volatile bool serving;
    private bool subscribed;

    public ClusterView CurrentView => table.View;

    public event Action<ClusterView>? ViewChanged;

    public event Action? MembershipLost
    {
        add { }
        remove { }
    }

    public bool IsServing => serving && self is not null && table.View.Contains(self);

    public Task JoinAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        this.self = self;
        Subscribe();
        serving = true;
        table.Add(self);
        return Task.CompletedTask;
    }

    public Task LeaveAsync(CancellationToken cancellationToken)
    {
        serving = false;
        if (self is not null)
        {
            table.Remove(self);
        }
        return Task.CompletedTask;
    }

    public Task ObserveAsync(CancellationToken cancellationToken)
    {
        Subscribe();
        return Task.CompletedTask;
    }

    public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops serving without leaving: the table entry stays until someone removes it (a dead process).</summary>
    public void Dispose()
    {
        serving = false;
        if (subscribed)
        {
            table.Changed -= OnChanged;
        }
    }

    private void Subscribe()
    {
        if (!subscribed)
        {
            subscribed = true;
            table.Changed += OnChanged;
        }
    }

    private void OnChanged(ClusterView view) => ViewChanged?.Invoke(view);
}
