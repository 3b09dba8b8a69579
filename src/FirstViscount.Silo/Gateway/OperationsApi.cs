using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Redis.Membership;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record SiloDto(string SiloId, string Address, string Status, int? Activations, DateTimeOffset? LeaseExpiresAt);
public sealed record ClusterDto(string ClusterId, IReadOnlyList<SiloDto> Silos);

/// <summary>Operations (API.md): the cluster as this silo sees it, for admins.</summary>
internal static class OperationsApi
{
    public static void MapOperationsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/admin/cluster", Ok<ClusterDto> (Silo silo) =>
        {
            var membership = silo.Services.GetRequiredService<IClusterMembership>();
            var leases = (membership as RedisMembership)?.Leases;
            return TypedResults.Ok(new ClusterDto(silo.Options.ClusterId, [.. membership.CurrentView.ActiveSilos.Select(address => new SiloDto(
                address.ToString(), address.Endpoint, "Active",
                address == silo.Address ? silo.ActivationCount : null,
                leases is not null && leases.TryGetValue(address, out var expires) ? expires : null))]));
        }).RequireAuthorization(Principals.AdminPolicy);
}
