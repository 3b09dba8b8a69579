using FirstViscount.Runtime.Tests.Grains;
using FirstViscount.Testing;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class LifecycleTests
{
    [Fact]
    public async Task An_activation_idle_longer_than_the_default_age_is_deactivated()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1, time: time);
        var key = ClusterFixture.Key("idle");
        await cluster.GrainFactory.GetGrain<ILifecycleGrain>(key).Touch();
        var silo = cluster.Silos[0];

        time.Advance(TimeSpan.FromMinutes(14));
        await silo.IdleCollection;
        Assert.Equal(1, silo.ActivationCount);

        time.Advance(TimeSpan.FromMinutes(2));
        await silo.IdleCollection;
        Assert.Equal(0, silo.ActivationCount);
        Assert.Equal(["activated", "deactivated:IdleTimeout"], LifecycleGrain.Journal[key]);
    }

    [Fact]
    public async Task A_class_collection_age_overrides_the_default()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1, time: time);
        var shortLived = cluster.GrainFactory.GetGrain<IShortLivedGrain>(ClusterFixture.Key("short"));
        var normal = cluster.GrainFactory.GetGrain<ILifecycleGrain>(ClusterFixture.Key("normal"));
        await shortLived.Touch();
        await normal.Touch();

        time.Advance(TimeSpan.FromMinutes(3));
        await cluster.Silos[0].IdleCollection;

        Assert.False(cluster.Silos[0].HostsActivationOf(ClusterFixture.IdOf(shortLived)));
        Assert.True(cluster.Silos[0].HostsActivationOf(ClusterFixture.IdOf(normal)));
    }

    [Fact]
    public async Task Ten_thousand_activations_are_created_and_then_all_collected()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(silos: 2, time: time);
        var prefix = ClusterFixture.Key("many");

        await Task.WhenAll(Enumerable.Range(0, 10_000).Select(i => cluster.GrainFactory.GetGrain<IShortLivedGrain>($"{prefix}-{i}").Touch()));
        Assert.Equal(10_000, cluster.Silos.Sum(s => s.ActivationCount));
        Assert.All(cluster.Silos, s => Assert.True(s.ActivationCount > 3_000, "placement spreads grains over silos"));

        time.Advance(TimeSpan.FromMinutes(3));
        await Task.WhenAll(cluster.Silos.Select(s => s.IdleCollection));

        Assert.Equal(0, cluster.Silos.Sum(s => s.ActivationCount));
    }

    [Fact]
    public async Task A_graceful_stop_deactivates_every_activation()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 2);
        var key = ClusterFixture.Key("graceful");
        var grain = cluster.GrainFactory.GetGrain<ILifecycleGrain>(key);
        await grain.Touch();

        await cluster.StopSiloAsync(ClusterFixture.HostOf(cluster, grain));

        Assert.Equal(["activated", "deactivated:ShuttingDown"], LifecycleGrain.Journal[key]);
    }

    [Fact]
    public async Task A_killed_silo_does_not_run_deactivation()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 2);
        var key = ClusterFixture.Key("killed");
        var grain = cluster.GrainFactory.GetGrain<ILifecycleGrain>(key);
        await grain.Touch();

        await cluster.KillSiloAsync(ClusterFixture.HostOf(cluster, grain));
        await grain.Touch();

        Assert.Equal(["activated", "activated"], LifecycleGrain.Journal[key]);
    }
}
