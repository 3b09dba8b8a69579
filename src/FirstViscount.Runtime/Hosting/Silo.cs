using FirstViscount.Activations;
using FirstViscount.Catalog;
using FirstViscount.Membership;
using FirstViscount.Messaging;
using FirstViscount.Placement;
using FirstViscount.Reminders;
using FirstViscount.Serialization;
using FirstViscount.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Hosting;

/// <summary>
/// A cluster process: hosts activations of the grains it owns, serves calls from other silos and clients,
/// and follows membership, deactivating grains that move elsewhere when the cluster changes.
/// </summary>
public sealed partial class Silo : IAsyncDisposable, IWriteFence
{
    private static long lastGeneration;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Silo, bool> Running = new();

    static Silo() =>
        Telemetry.RuntimeTelemetry.Meter.CreateObservableGauge("firstviscount.activations",
            () => Running.Keys.Select(s => new System.Diagnostics.Metrics.Measurement<int>(s.ActivationCount, new KeyValuePair<string, object?>("silo", s.Address.ToString()))),
            description: "Activations per silo in this process");

    private readonly ServiceProvider services;
    private readonly SiloRuntime runtime;
    private readonly IClusterMembership membership;
    private readonly IMessageTransport transport;
    private readonly OutboundCalls outbound;
    private readonly InboundCalls inbound;
    private ActivationCollector? collector;
    private ReminderService? reminders;
    private readonly GrainCallRouter router;
    private readonly SemaphoreSlim rejoining = new(1, 1);
    private volatile SiloAddress address;
    private volatile bool stopping;
    private volatile bool killed;

    internal Silo(ServiceProvider services, SiloOptions options)
    {
        this.services = services;
        Options = options;
        membership = services.GetRequiredService<IClusterMembership>();
        transport = services.GetRequiredService<IMessageTransport>();
        var time = services.GetRequiredService<TimeProvider>();
        address = new SiloAddress(options.Endpoint, NextGeneration());
        var catalog = new GrainTypeCatalog();
        runtime = new SiloRuntime
        {
            Options = options,
            Time = time,
            Services = services,
            Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("FirstViscount.Silo"),
            Catalog = catalog,
            Fence = this,
        };
        router = new GrainCallRouter(runtime, address, membership, catalog, options.CallTimeout);
        var json = GrainJson.Create(() => router);
        runtime.Router = router;
        runtime.Json = json;
        runtime.GrainFactory = router.GrainFactory = new GrainFactory(catalog, router);
        outbound = new OutboundCalls(transport, membership, router, time) { Json = json };
        router.Outbound = outbound;
        inbound = new InboundCalls(router) { Json = json };
    }

    /// <summary>This silo's identity; a new generation after the silo lost its membership and rejoined.</summary>
    public SiloAddress Address => address;

    public SiloOptions Options { get; }

    public IGrainFactory GrainFactory => runtime.GrainFactory;

    public IServiceProvider Services => services;

    public int ActivationCount => runtime.Directory.Count;

    /// <summary>Whether an activation of <paramref name="grainId"/> lives on this silo now.</summary>
    public bool HostsActivationOf(GrainId grainId) => runtime.Directory.TryGet(grainId, out _);

    /// <summary>True while the silo is a member in good standing and may serve grains and write state.</summary>
    public bool IsServing => !killed && !stopping && membership.IsServing;

    /// <summary>Completes when the reminder deliveries started so far have finished.</summary>
    public Task ReminderDeliveries => reminders?.Deliveries ?? Task.CompletedTask;

    /// <summary>The deactivations started by the latest idle-collection round.</summary>
    public Task IdleCollection => collector?.LastCollection ?? Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        runtime.Catalog.Refresh();
        foreach (var task in services.GetServices<ISiloStartupTask>())
        {
            await task.RunAsync(cancellationToken);
        }
        await transport.ListenAsync(Address, inbound, cancellationToken);
        membership.ViewChanged += OnViewChanged;
        membership.MembershipLost += OnMembershipLost;
        await membership.JoinAsync(Address, cancellationToken);
        collector = new ActivationCollector(runtime);
        Running[this] = true;
        reminders = new ReminderService(runtime, services.GetRequiredService<IReminderTable>(), membership, () => Address);
        LogStarted(runtime.Logger, Address, membership.GetType().Name, transport.GetType().Name,
            string.Join(", ", services.GetKeyedServices<IGrainStorage>(KeyedService.AnyKey).Select(s => s.GetType().Name).Distinct()));
    }

    /// <summary>Graceful stop: every activation deactivates (OnDeactivateAsync runs), then the silo leaves at once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (stopping || killed)
        {
            return;
        }
        stopping = true;
        Running.TryRemove(this, out _);
        collector?.Dispose();
        reminders?.Dispose();
        var shuttingDown = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "the silo is stopping");
        var deactivations = Task.WhenAll(runtime.Directory.Snapshot().Select(a => a.DeactivateAsync(shuttingDown)));
        try
        {
            // A request that never finishes must not hold the silo up forever.
            await deactivations.WaitAsync(Options.DeactivationTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            foreach (var straggler in runtime.Directory.Snapshot())
            {
                LogAbandoned(runtime.Logger, straggler.GrainId);
                straggler.Abort();
                runtime.Directory.Remove(straggler);
            }
        }
        membership.ViewChanged -= OnViewChanged;
        membership.MembershipLost -= OnMembershipLost;
        await membership.LeaveAsync(cancellationToken);
        await transport.DisposeAsync();
        outbound.AbortAll();
        LogStopped(runtime.Logger, Address);
    }

    /// <summary>Abrupt end, as when the process dies: no deactivation, no write-back, connections cut.</summary>
    internal async Task KillAsync()
    {
        killed = true;
        Running.TryRemove(this, out _);
        collector?.Dispose();
        reminders?.Dispose();
        membership.ViewChanged -= OnViewChanged;
        membership.MembershipLost -= OnMembershipLost;
        transport.Abort();
        AbortActivations();
        outbound.AbortAll();
        (membership as IDisposable)?.Dispose();
        if (membership is IAsyncDisposable stoppable)
        {
            await stoppable.DisposeAsync(); // stops renewing: the lease runs out as if the process had died
        }
    }

    /// <summary>Idle collection now, without waiting for the next quantum.</summary>
    public Task CollectIdleActivationsAsync() => collector?.Collect() ?? Task.CompletedTask;

    public void EnsureCanWrite()
    {
        if (killed || !membership.IsServing)
        {
            throw new WriteFencedException($"Silo {Address} is no longer a member in good standing; it must not write grain state.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!killed)
        {
            await StopAsync();
        }
        await services.DisposeAsync();
    }

    public override string ToString() => Address.ToString();

    private void OnViewChanged(ClusterView view)
    {
        foreach (var activation in runtime.Directory.Snapshot())
        {
            if (RendezvousPlacement.SelectOwner(activation.GrainId, view) != Address)
            {
                activation.Deactivate(new DeactivationReason(DeactivationReasonCode.PlacementChanged, $"owned by another silo in view {view.Version}"));
            }
        }
    }

    /// <summary>
    /// Lost standing (paused or cut off past the lease, or the membership store forgot us): other silos may
    /// already serve our grains, so drop every activation without writing, then rejoin as a new generation.
    /// </summary>
    private async void OnMembershipLost()
    {
        if (!await rejoining.WaitAsync(0))
        {
            return;
        }
        try
        {
            AbortActivations();
            var lostAs = Address;
            while (!stopping && !killed)
            {
                var next = new SiloAddress(Options.Endpoint, NextGeneration());
                try
                {
                    address = next;
                    router.Self = next;
                    await membership.JoinAsync(next, CancellationToken.None);
                    LogRejoined(runtime.Logger, lostAs, next);
                    return;
                }
                catch (FirstViscountException error)
                {
                    LogRejoinFailed(runtime.Logger, next, error.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
        }
        finally
        {
            rejoining.Release();
        }
    }

    private void AbortActivations()
    {
        foreach (var activation in runtime.Directory.Snapshot())
        {
            activation.Abort();
            runtime.Directory.Remove(activation);
        }
    }

    /// <summary>Generations are start times in ticks, strictly increasing within a process.</summary>
    private static long NextGeneration()
    {
        // Wall-clock ticks, not the silo's TimeProvider: generations must differ across processes and restarts.
        var now = DateTime.UtcNow.Ticks;
        while (true)
        {
            var last = Interlocked.Read(ref lastGeneration);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref lastGeneration, next, last) == last)
            {
                return next;
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Silo {Address} started: membership {Membership}, transport {Transport}, grain storage {Storage}")]
    private static partial void LogStarted(ILogger logger, SiloAddress address, string membership, string transport, string storage);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Abandoned {GrainId}: it did not deactivate within the deactivation timeout")]
    private static partial void LogAbandoned(ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Silo {Lost} lost its membership; rejoined as {Silo} with no activations")]
    private static partial void LogRejoined(ILogger logger, SiloAddress lost, SiloAddress silo);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Silo {Silo} could not rejoin yet: {Error}")]
    private static partial void LogRejoinFailed(ILogger logger, SiloAddress silo, string error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Silo {Address} stopped")]
    private static partial void LogStopped(ILogger logger, SiloAddress address);
}
