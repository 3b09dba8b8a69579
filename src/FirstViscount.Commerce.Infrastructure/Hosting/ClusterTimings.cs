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
            // A silo restarted on its old endpoint declares its previous incarnation dead when it reads the table. If
            // that write loses a race (every silo restarting at once), Orleans tries again only at the next table
            // refresh, and probes cannot do it: the endpoint answers, so votes against the old entry are suppressed.
            // Until then, joining silos wait to reach the old entry and placement may pick it. Orleans refreshes every
            // 60 s; one read of a few Redis hash fields every 2 s bounds that window.
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            configuration?.GetSection("Membership").Bind(membership);
        });
        if (configuration is not null)
        {
            silo.Configure<SiloMessagingOptions>(messaging => configuration.GetSection("Messaging").Bind(messaging));
        }
        return silo;
    }
}
