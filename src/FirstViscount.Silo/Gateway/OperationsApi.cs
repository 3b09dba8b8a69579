using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Configuration;
using Microsoft.Extensions.Options;

namespace FirstViscount.SiloHost.Gateway;

public sealed record SiloDto(string SiloId, string Address, string Status, int? Activations, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt);
public sealed record ClusterDto(string ClusterId, IReadOnlyList<SiloDto> Silos);

/// <summary>Operations (API.md): the cluster's silos from Orleans's management grain, for admins.</summary>
internal static class OperationsApi
{
    public static void MapOperationsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/admin/cluster", ClusterAsync).RequireAuthorization(Principals.AdminPolicy)
            .WithTags("Operations").WithName("GetCluster").WithSummary("The cluster's silos");

    private static async Task<Ok<ClusterDto>> ClusterAsync(IGrainFactory grains, IOptions<ClusterOptions> cluster)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var live = hosts.Where(host => host.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping).ToArray();
        var statistics = live.Any(host => host.Status == SiloStatus.Active)
            ? await management.GetRuntimeStatistics([.. live.Where(host => host.Status == SiloStatus.Active).Select(host => host.SiloAddress)])
            : [];
        var activations = live.Where(host => host.Status == SiloStatus.Active).Zip(statistics)
            .ToDictionary(pair => pair.First.SiloAddress, pair => pair.Second.ActivationCount);
        return TypedResults.Ok(new ClusterDto(cluster.Value.ClusterId, [.. live.OrderBy(host => host.StartTime).Select(host => new SiloDto(
            host.SiloAddress.ToParsableString(), host.SiloAddress.Endpoint.ToString(), host.Status.ToString(),
            activations.TryGetValue(host.SiloAddress, out var count) ? count : null,
            new DateTimeOffset(host.StartTime, TimeSpan.Zero), new DateTimeOffset(host.IAmAliveTime, TimeSpan.Zero)))]));
    }
}
