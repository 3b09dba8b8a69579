using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Redis;
using FirstViscount.Transport.Tcp;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>Several silo processes sharing Redis and PostgreSQL, and a client in the test process.</summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private ProcessCluster(string clusterId, List<SiloProcess> silos, ClusterClient client, IClusterMembership clientMembership)
    {
        ClusterId = clusterId;
        Silos = silos;
        Client = client;
        ClientMembership = clientMembership;
    }

    public string ClusterId { get; }

    public List<SiloProcess> Silos { get; }

    public ClusterClient Client { get; }

    public IClusterMembership ClientMembership { get; }

    public static async Task<ProcessCluster> StartAsync(int silos, TimeSpan lease)
    {
        var clusterId = $"proc-{Guid.NewGuid():N}";
        var processes = new List<SiloProcess>();
        try
        {
            foreach (var task in Enumerable.Range(0, silos).Select(_ => SiloProcess.StartAsync(clusterId, lease)).ToList())
            {
                processes.Add(await task);
            }
        }
        catch
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
            throw;
        }
        var builder = new ClusterClientBuilder();
        builder.Configure(options => options.ClusterId = clusterId)
            .UseRedisMembership(options =>
            {
                options.Configuration = TestServers.Redis;
                options.LeaseDuration = lease;
                options.RenewInterval = lease / 5;
                options.FencingMargin = lease / 10;
            })
            .UseTcpTransport(options => options.Port = 0);
        var client = builder.Build();
        await client.ConnectAsync();
        var membership = client.Services.GetRequiredService<IClusterMembership>();
        var cluster = new ProcessCluster(clusterId, processes, client, membership);
        await cluster.WaitForViewAsync(view => view.ActiveSilos.Length == silos, TimeSpan.FromSeconds(20));
        return cluster;
    }

    public async Task WaitForViewAsync(Func<ClusterView, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition(ClientMembership.CurrentView))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The client's view {ClientMembership.CurrentView} did not change as expected within {limit}.");
            }
            await ClientMembership.RefreshAsync(CancellationToken.None);
            await Task.Delay(100);
        }
    }

    public SiloAddress AddressOf(SiloProcess silo) =>
        ClientMembership.CurrentView.ActiveSilos.Single(s => s.Endpoint == silo.Endpoint);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}
