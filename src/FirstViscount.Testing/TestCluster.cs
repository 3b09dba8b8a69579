using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Reminders;
using FirstViscount.State;
using FirstViscount.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Testing;

/// <summary>
/// Several silos and a client in one process, talking through an in-memory transport that serialises every
/// cross-silo call. Silos can be added, stopped gracefully, killed (no deactivation, no write-back) and
/// restarted, to test how grains behave as the cluster changes.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly int initialSilos;
    private readonly Action<SiloBuilder>[] siloConfigurators;
    private readonly Action<ClusterClientBuilder>[] clientConfigurators;
    private readonly Dictionary<string, InMemoryGrainStorage> memoryStorage;
    private readonly List<Silo> silos = [];
    private readonly InMemoryMembershipTable membership = new();
    private readonly InMemoryNetwork network = new();
    private readonly InMemoryReminderTable reminders = new();
    private ClusterClient? client;
    private int siloCounter;

    internal TestCluster(int initialSilos, Action<SiloBuilder>[] siloConfigurators, Action<ClusterClientBuilder>[] clientConfigurators, string[] memoryStorageNames)
    {
        this.initialSilos = initialSilos;
        this.siloConfigurators = siloConfigurators;
        this.clientConfigurators = clientConfigurators;
        memoryStorage = memoryStorageNames.ToDictionary(name => name, _ => new InMemoryGrainStorage());
    }

    /// <summary>The running silos, oldest first.</summary>
    public IReadOnlyList<Silo> Silos
    {
        get
        {
            lock (silos)
            {
                return [.. silos];
            }
        }
    }

    public ClusterClient Client => client ?? throw new InvalidOperationException("Call DeployAsync first.");

    public IGrainFactory GrainFactory => Client.GrainFactory;

    /// <summary>The shared in-memory storage named <paramref name="name"/>.</summary>
    public InMemoryGrainStorage MemoryStorage(string name = "Default") => memoryStorage[name];

    /// <summary>The reminders shared by the silos (unless a configurator registers another table).</summary>
    public IReminderTable Reminders => reminders;

    /// <summary>Completes when every silo's reminder deliveries started so far have finished.</summary>
    public Task ReminderDeliveries => Task.WhenAll(Silos.Select(s => s.ReminderDeliveries));

    /// <summary>
    /// Moves <paramref name="time"/> forward in steps (default 1 s), letting the reminders and idle collections
    /// each step starts finish before the next, as they would on a real clock. One jump of minutes would fire
    /// call timeouts on the fake clock while the work they guard still runs on real threads.
    /// </summary>
    public async Task AdvanceTimeAsync(FakeTimeProvider time, TimeSpan by, TimeSpan? step = null)
    {
        var increment = step ?? TimeSpan.FromSeconds(1);
        for (var moved = TimeSpan.Zero; moved < by; moved += increment)
        {
            time.Advance(increment < by - moved ? increment : by - moved);
            await ReminderDeliveries;
            await Task.WhenAll(Silos.Select(s => s.IdleCollection));
        }
    }

    /// <summary>The current membership view.</summary>
    public ClusterView View => membership.View;

    public async Task DeployAsync(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < initialSilos; i++)
        {
            await StartAdditionalSiloAsync(cancellationToken);
        }
        var clientBuilder = new ClusterClientBuilder();
        clientBuilder.UseInMemoryMembership(membership).UseInMemoryTransport(network);
        foreach (var configure in clientConfigurators)
        {
            configure(clientBuilder);
        }
        client = clientBuilder.Build();
        await client.ConnectAsync(cancellationToken);
    }

    public async Task<Silo> StartAdditionalSiloAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SiloBuilder();
        var name = $"silo-{Interlocked.Increment(ref siloCounter)}";
        builder.Configure(options => options.Endpoint = name);
        builder.UseInMemoryMembership(membership).UseInMemoryTransport(network);
        foreach (var (storageName, storage) in memoryStorage)
        {
            builder.AddMemoryGrainStorage(storageName, storage);
        }
        builder.Services.AddSingleton<IReminderTable>(reminders);
        foreach (var configure in siloConfigurators)
        {
            configure(builder);
        }
        var silo = builder.Build();
        await silo.StartAsync(cancellationToken);
        lock (silos)
        {
            silos.Add(silo);
        }
        return silo;
    }

    /// <summary>Stops <paramref name="silo"/> gracefully: its activations deactivate, then it leaves.</summary>
    public async Task StopSiloAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        Forget(silo);
        await silo.StopAsync(cancellationToken);
        await silo.DisposeAsync();
    }

    /// <summary>Kills <paramref name="silo"/>: no deactivation, no write-back; it drops out of membership as its lease would expire.</summary>
    public async Task KillSiloAsync(Silo silo)
    {
        Forget(silo);
        await silo.KillAsync();
        membership.Remove(silo.Address);
    }

    /// <summary>Stops <paramref name="silo"/> and starts a new silo (a new generation) in its place.</summary>
    public async Task<Silo> RestartSiloAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        await StopSiloAsync(silo, cancellationToken);
        return await StartAdditionalSiloAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        foreach (var silo in Silos)
        {
            Forget(silo);
            await silo.DisposeAsync();
        }
    }

    private void Forget(Silo silo)
    {
        lock (silos)
        {
            if (!silos.Remove(silo))
            {
                throw new ArgumentException($"{silo} is not a running silo of this cluster.", nameof(silo));
            }
        }
    }
}
