using FirstViscount.Catalog;
using FirstViscount.Hosting;
using FirstViscount.Invocation;
using FirstViscount.Membership;
using FirstViscount.Placement;

namespace FirstViscount.Messaging;

/// <summary>
/// Sends each call where its grain lives: to an activation on this silo when it has one or owns the grain,
/// otherwise to the owner chosen by rendezvous placement, through the transport. Clients have no local side.
/// </summary>
internal sealed class GrainCallRouter : IGrainCallInvoker
{
    private readonly SiloRuntime? silo;
    private volatile SiloAddress? self;
    private readonly IClusterMembership membership;
    private readonly GrainTypeCatalog catalog;
    private readonly TimeSpan callTimeout;

    public GrainCallRouter(SiloRuntime? silo, SiloAddress? self, IClusterMembership membership, GrainTypeCatalog catalog, TimeSpan callTimeout)
    {
        this.silo = silo;
        this.self = self;
        this.membership = membership;
        this.catalog = catalog;
        this.callTimeout = callTimeout;
    }

    public OutboundCalls Outbound { get; set; } = null!;

    /// <summary>This silo's current generation (it changes when the silo rejoins).</summary>
    public SiloAddress? Self
    {
        get => self;
        set => self = value;
    }

    public IGrainFactory GrainFactory { get; set; } = null!;

    public Task Invoke(GrainReference target, GrainRequest request) => Route(target.GrainId, request);

    private static Task Observed(Task call, GrainRequest request, GrainId target, bool remote) =>
        Telemetry.RuntimeTelemetry.Observe(call, request, target, remote);

    /// <summary>For requests queued on an activation that ended before they started.</summary>
    public Task InvokeAfterActivationEnded(GrainId grainId, GrainRequest request) => Route(grainId, request);

    public bool IsLocal(SiloAddress silo) => silo == self;

    /// <summary>Runs the request on this silo's activation of the grain, creating it if needed.</summary>
    public Task InvokeLocal(GrainId grainId, GrainRequest request, TimeSpan timeout)
    {
        if (silo is null || !membership.IsServing)
        {
            return Task.FromException(new SiloUnavailableException($"This silo is not serving; {request} was not started.", requestMayHaveStarted: false));
        }
        var grainClass = catalog.ForGrainType(grainId.Type);
        if (grainClass is null)
        {
            return Task.FromException(new FirstViscountException($"This silo has no grain class for grain type '{grainId.Type}'."));
        }
        return silo.Directory.GetOrCreate(grainId, grainClass, silo).Invoke(request, timeout);
    }

    /// <summary>Whether this silo should serve <paramref name="grainId"/> now; if not, why.</summary>
    public bool CanServe(GrainId grainId, out string why)
    {
        if (silo is null || !membership.IsServing)
        {
            why = "the silo is not serving";
            return false;
        }
        if (silo.Directory.TryGet(grainId, out _))
        {
            why = "";
            return true;
        }
        var owner = RendezvousPlacement.SelectOwner(grainId, membership.CurrentView);
        why = owner == self ? "" : $"{self} does not own {grainId} in view {membership.CurrentView.Version} (owner {owner})";
        return owner == self;
    }

    public GrainRequest CreateRequest(string interfaceName, string methodKey)
    {
        var factory = GrainCodeRegistry.FindRequest(interfaceName, methodKey);
        if (factory is null)
        {
            catalog.Refresh();
            factory = GrainCodeRegistry.FindRequest(interfaceName, methodKey)
                ?? throw new FirstViscountException($"This silo does not know the method {interfaceName}.{methodKey}.");
        }
        return factory();
    }

    private Task Route(GrainId grainId, GrainRequest request)
    {
        if (silo is not null && silo.Directory.TryGet(grainId, out var activation))
        {
            return Observed(activation.Invoke(request, callTimeout), request, grainId, remote: false);
        }
        var owner = RendezvousPlacement.SelectOwner(grainId, membership.CurrentView);
        if (owner is null)
        {
            return Task.FromException(new SiloUnavailableException($"No silo is active to serve {grainId}; {request} was not sent.", requestMayHaveStarted: false));
        }
        return owner == self
            ? Observed(InvokeLocal(grainId, request, callTimeout), request, grainId, remote: false)
            : Observed(Outbound.Send(owner, grainId, request, callTimeout), request, grainId, remote: true);
    }
}
