using FirstViscount.Membership;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Cluster.Tests.Membership;

internal static class ServiceProviderExtensions
{
    public static ClusterView GetMembershipView(this IServiceProvider services) => services.GetRequiredService<IClusterMembership>().CurrentView;
}
