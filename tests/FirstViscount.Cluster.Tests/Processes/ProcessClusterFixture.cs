using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>Several silo processes on Redis membership and PostgreSQL, and an Orleans client in the test process.</summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private readonly IHost clientHost;

    private ProcessCluster(string clusterId, List<SiloProcess> silos, IHost clientHost)
    {
        ClusterId = clusterId;
        Silos = silos;
        this.clientHost = clientHost;
    }

    public string ClusterId { get; }

    public List<SiloProcess> Silos { get; }

    public IClusterClient Client => clientHost.Services.GetRequiredService<IClusterClient>();

    public static async Task<ProcessCluster> StartAsync(int silos, IReadOnlyDictionary<string, string>? settings = null, string? redis = null)
    {
        var clusterId = $"proc-{Guid.NewGuid():N}";
        var processes = new List<SiloProcess>();
        try
        {
            foreach (var task in Enumerable.Range(0, silos).Select(_ => SiloProcess.StartAsync(clusterId, settings)).ToList())
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
        var cluster = new ProcessCluster(clusterId, processes, await StartClientAsync(clusterId, redis ?? TestServers.Redis));
        await cluster.WaitForActiveSilosAsync(silos, TimeSpan.FromSeconds(30));
        return cluster;
    }

    /// <summary>Waits until the cluster's membership shows exactly <paramref name="count"/> active silos.</summary>
    public async Task<TimeSpan> WaitForActiveSilosAsync(int count, TimeSpan limit)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                // Bounded: a call through a gateway that is frozen or gone would otherwise wait for the response timeout.
                if ((await Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(3))).Count == count)
                {
                    return DateTime.UtcNow - started;
                }
            }
            catch (Exception error) when (DateTime.UtcNow - started < limit)
            {
                _ = error; // the client's gateway may be the silo that just went, or membership is being rebuilt
            }
            if (DateTime.UtcNow - started > limit)
            {
                throw new TimeoutException($"The cluster did not come to {count} active silos within {limit}.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Where <paramref name="grain"/> is active, as the silo's endpoint (host:port), or null.</summary>
    public async Task<string?> LocationOfAsync(IAddressable grain) =>
        (await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain))?.Endpoint.ToString();

    public async ValueTask DisposeAsync()
    {
        await clientHost.StopAsync(TimeSpan.FromSeconds(5));
        clientHost.Dispose();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task<IHost> StartClientAsync(string clusterId, string redis)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .UseRedisClustering(redis)
            .Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = (clusterId, "firstviscount-test"))
            .Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1))
            // The test's client only asks where grains are and which silos are up: it should not wait 30 s for a dead gateway.
            .Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(5)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
