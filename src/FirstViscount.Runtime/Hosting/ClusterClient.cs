using FirstViscount.Catalog;
using FirstViscount.Membership;
using FirstViscount.Messaging;
using FirstViscount.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Hosting;

/// <summary>Calls grains from outside the silos (gateway, tools, tests). Every call goes through the transport.</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly IClusterMembership membership;
    private readonly IMessageTransport transport;
    private readonly OutboundCalls outbound;

    internal ClusterClient(ServiceProvider services, SiloOptions options)
    {
        this.services = services;
        membership = services.GetRequiredService<IClusterMembership>();
        transport = services.GetRequiredService<IMessageTransport>();
        var catalog = new GrainTypeCatalog();
        var router = new GrainCallRouter(null, null, membership, catalog, options.CallTimeout);
        var json = GrainJson.Create(() => router);
        GrainFactory = router.GrainFactory = new GrainFactory(catalog, router);
        outbound = new OutboundCalls(transport, membership, router, services.GetRequiredService<TimeProvider>()) { Json = json };
        router.Outbound = outbound;
    }

    public IGrainFactory GrainFactory { get; }

    /// <summary>The client's services (membership, transport, clock).</summary>
    public IServiceProvider Services => services;

    public Task ConnectAsync(CancellationToken cancellationToken = default) => membership.ObserveAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transport.DisposeAsync();
        outbound.AbortAll();
        await services.DisposeAsync();
    }
}

/// <summary>Builds a <see cref="ClusterClient"/>.</summary>
public sealed class ClusterClientBuilder : RuntimeBuilder
{
    public ClusterClient Build()
    {
        var options = BuildOptions();
        RuntimeDefaults.AddTo(Services);
        return new ClusterClient(Services.BuildServiceProvider(validateScopes: true), options);
    }
}
