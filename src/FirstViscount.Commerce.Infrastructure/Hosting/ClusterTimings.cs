using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace FirstViscount.Commerce.Hosting;

/// <summary>
/// Membership timings (DESIGN.md, invariant 3): a dead silo is noticed in about a second instead of Orleans's
/// default 11-15 s, by probing every second and declaring a silo dead after two missed probes on one vote.
/// </summary>
public static class ClusterTimings
{
    /// <summary>Applies the project's membership timings, then whatever the Membership and Messaging sections of <paramref name="configuration"/> set (named as the options are).</summary>
    public static ISiloBuilder UseFirstViscountClusterTimings(this ISiloBuilder silo, IConfiguration? configuration = null)
    {
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromSeconds(1);
            membership.NumMissedProbesLimit = 2;
            membership.NumVotesForDeathDeclaration = 1;
            configuration?.GetSection("Membership").Bind(membership);
        });
        if (configuration is not null)
        {
            silo.Configure<SiloMessagingOptions>(messaging => configuration.GetSection("Messaging").Bind(messaging));
        }
        return silo;
    }
}
