using FirstViscount.Hosting;

namespace FirstViscount.SiloHost;

/// <summary>Starts the silo with the web host and stops it gracefully (deactivating its grains) on shutdown.</summary>
internal sealed class SiloHostedService(Silo silo) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => silo.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => silo.StopAsync(cancellationToken);
}
