using System.Text;
using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class PersistentStateTests
{
    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_the_losing_activation_deactivates_then_rereads()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var key = ClusterFixture.Key("etag");
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(key);
        Assert.Equal(1, await counter.Increment());

        // Another writer (say, a second activation after a membership change) wins the race.
        var storage = cluster.MemoryStorage();
        var stateKey = new GrainStateKey("firstviscount", ClusterFixture.IdOf(counter).Type, key, "counter");
        var stored = await storage.ReadAsync(stateKey, CancellationToken.None);
        await storage.WriteAsync(stateKey, Encoding.UTF8.GetBytes("{\"Value\":41}"), stored!.Etag, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Increment());

        await ClusterFixture.EventuallyAsync(() => !cluster.Silos.Any(s => s.HostsActivationOf(ClusterFixture.IdOf(counter))), "the loser deactivated");
        Assert.Equal(42, await counter.Increment());
    }

    [Fact]
    public async Task Written_state_survives_a_graceful_stop_of_its_silo()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key("survive-stop"));
        await counter.Increment();
        await counter.Increment();

        await cluster.StopSiloAsync(ClusterFixture.HostOf(cluster, counter));

        Assert.Equal(2, await counter.Get());
        Assert.Equal(3, await counter.Increment());
    }

    [Fact]
    public async Task Written_state_survives_a_kill_of_its_silo_and_the_grain_reactivates_on_a_survivor()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key("survive-kill"));
        await counter.Increment();
        var victim = ClusterFixture.HostOf(cluster, counter);

        await cluster.KillSiloAsync(victim);

        Assert.Equal(2, await counter.Increment());
        Assert.NotEqual(victim, ClusterFixture.HostOf(cluster, counter));
    }

    [Fact]
    public async Task Clearing_state_resets_it_and_keeps_the_etag_moving()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key("clear-grain"));
        await counter.Increment();
        var before = await counter.Etag();

        await counter.Clear();

        Assert.Equal(0, await counter.Get());
        Assert.NotEqual(before, await counter.Etag());
        Assert.Equal(1, await counter.Increment());
    }
}
