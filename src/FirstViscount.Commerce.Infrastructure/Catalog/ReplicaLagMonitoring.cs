using Microsoft.Extensions.Hosting;

namespace FirstViscount.Commerce.Catalog;

/// <summary>Measures the read replica's lag for as long as the silo runs.</summary>
internal sealed class ReplicaLagMonitoring(ReplicaLagMonitor monitor) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await monitor.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the silo stops
        }
    }
}
