using FirstViscount.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FirstViscount.SiloHost;

/// <summary>Ready while the silo is a member in good standing of its cluster.</summary>
internal sealed class SiloReadinessCheck(Silo silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.IsServing
            ? HealthCheckResult.Healthy($"silo {silo.Address} is serving")
            : HealthCheckResult.Unhealthy($"silo {silo.Address} is not serving"));
}
