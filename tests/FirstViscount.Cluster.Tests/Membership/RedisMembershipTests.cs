using FirstViscount.Cluster.Tests.Grains;
using FirstViscount.Cluster.Tests.Redis;
using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Redis;
using FirstViscount.Redis.Membership;
using Microsoft.Extensions.DependencyInjection;
using FirstViscount.Testing;

namespace FirstViscount.Cluster.Tests.Membership;

[Trait("Category", "Cluster")]
public sealed class RedisMembershipTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private static async Task<TestCluster> DeployAsync(int silos, string redis)
    {
        var clusterId = $"test-{Guid.NewGuid():N}";
        void Membership(RuntimeBuilder builder) => builder
            .Configure(options => options.ClusterId = clusterId)
            .UseRedisMembership(options =>
            {
                options.Configuration = redis;
                options.LeaseDuration = Lease;
                options.RenewInterval = TimeSpan.FromMilliseconds(500);
                options.FencingMargin = TimeSpan.FromMilliseconds(500);
            });
        var cluster = new TestClusterBuilder(silos).ConfigureSilos(Membership).ConfigureClient(Membership).Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task<TimeSpan> TimeUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow - started < limit, $"condition not met within {limit}");
            await Task.Delay(25);
        }
        return DateTime.UtcNow - started;
    }

    [Fact]
    public async Task Silos_that_join_see_each_other_and_serve_calls()
    {
        await using var cluster = await DeployAsync(3, TestServers.Redis);

        await TimeUntilAsync(() => cluster.Silos.All(s => s.IsServing), TimeSpan.FromSeconds(5));
        var accounts = Enumerable.Range(0, 30).Select(i => cluster.GrainFactory.GetGrain<IAccountGrain>($"join-{Guid.NewGuid():N}")).ToList();
        Assert.All(await Task.WhenAll(accounts.Select(a => a.Deposit(3))), b => Assert.Equal(3, b));
        Assert.All(cluster.Silos, s => Assert.True(s.ActivationCount > 0, "every silo hosts some grains"));
    }

    [Fact]
    public async Task Lease_expiries_follow_the_renewals_while_the_view_stays_the_same()
    {
        await using var cluster = await DeployAsync(2, TestServers.Redis);
        var membership = (RedisMembership)cluster.Silos[0].Services.GetRequiredService<IClusterMembership>();
        await TimeUntilAsync(() => membership.Leases.Count == 2, TimeSpan.FromSeconds(5));
        var (version, before) = (membership.CurrentView.Version, membership.Leases.Values.Min());

        await Task.Delay(Lease); // several renewals, and longer than a lease lasts

        Assert.Equal(version, membership.CurrentView.Version);
        Assert.True(membership.Leases.Values.Min() > before, "the leases were not extended");
        Assert.All(membership.Leases.Values, expires => Assert.True(expires > DateTimeOffset.UtcNow, $"a lease shows as expired at {expires:O}"));
    }

    [Fact]
    public async Task A_graceful_leave_is_seen_at_once_not_after_the_lease()
    {
        await using var cluster = await DeployAsync(2, TestServers.Redis);
        var survivor = cluster.Silos[0];
        var leaving = cluster.Silos[1];
        await TimeUntilAsync(() => survivor.Services.GetMembershipView().ActiveSilos.Length == 2, TimeSpan.FromSeconds(5));

        await cluster.StopSiloAsync(leaving);

        var took = await TimeUntilAsync(() => !survivor.Services.GetMembershipView().Contains(leaving.Address), Lease);
        Assert.True(took < TimeSpan.FromSeconds(1.5), $"leave took {took}");
    }

    [Fact]
    public async Task A_killed_silo_leaves_by_lease_expiry_and_its_grains_serve_again_elsewhere()
    {
        await using var cluster = await DeployAsync(2, TestServers.Redis);
        var accounts = Enumerable.Range(0, 20).Select(i => cluster.GrainFactory.GetGrain<IAccountGrain>($"expiry-{Guid.NewGuid():N}")).ToList();
        await Task.WhenAll(accounts.Select(a => a.Deposit(7)));
        var survivor = cluster.Silos[0];
        var victim = cluster.Silos[1];

        await cluster.KillSiloAsync(victim);
        Assert.True(survivor.Services.GetMembershipView().Contains(victim.Address), "a killed silo stays a member until its lease ends");
        var took = await TimeUntilAsync(() => !survivor.Services.GetMembershipView().Contains(victim.Address), Lease + TimeSpan.FromSeconds(3));

        Assert.True(took > Lease - TimeSpan.FromSeconds(1.5), $"declared dead after {took}, before its lease could end");
        Assert.All(await Task.WhenAll(accounts.Select(a => a.Balance())), b => Assert.Equal(7, b));
    }

    [Fact]
    public async Task Redis_restarted_empty_does_not_wedge_the_cluster_silos_rejoin_as_new_generations()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var cluster = await DeployAsync(2, redis.Configuration);
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>($"restart-{Guid.NewGuid():N}");
        await account.Deposit(1);
        var before = cluster.Silos.Select(s => s.Address).ToList();

        await redis.KillAsync();
        await redis.StartAgainAsync();

        await TimeUntilAsync(() => cluster.Silos.All(s => s.IsServing && !before.Contains(s.Address)
            && s.Services.GetMembershipView().ActiveSilos.Length == 2), TimeSpan.FromSeconds(15));
        Assert.Equal(2, await account.Deposit(1));
    }
}
