using FirstViscount.Commerce.Hosting;
using FirstViscount.Commerce.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Benchmarks;

/// <summary>One Orleans silo (localhost clustering) with the domain durable in the bench PostgreSQL and Redis, under a service id of its own.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost host;

    private BenchSilo(IHost host, string clusterId, string serviceId)
    {
        this.host = host;
        ClusterId = clusterId;
        ServiceId = serviceId;
    }

    public string ClusterId { get; }

    public string ServiceId { get; }

    public IGrainFactory GrainFactory => host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => host.Services;

    public static async Task<BenchSilo> StartAsync(Action<ISiloBuilder>? configure = null, int siloPort = 0, int gatewayPort = 0, string? postgres = null)
    {
        var (clusterId, serviceId) = ($"bench-{Guid.NewGuid():N}", $"bench-{Guid.NewGuid():N}");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort == 0 ? FreePort() : siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
            silo.UseFirstViscountClusterTimings();
            silo.AddFirstViscountCommerce(commerce =>
            {
                commerce.PostgresConnectionStrings = [postgres ?? BenchDatabase.ConnectionString];
                commerce.RedisConfiguration = BenchDatabase.Redis;
                commerce.PayerKey = PayerProtector.NewKey();
                commerce.CarrierKey = Commerce.Delivery.CarrierSecretProtector.NewKey();
            });
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, clusterId, serviceId);
    }

    /// <summary>A port below Linux's ephemeral range (32768-60999), where binds can fail under load.</summary>
    public static int FreePort() => 17_000 + Random.Shared.Next(0, 1_500) * 4;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
