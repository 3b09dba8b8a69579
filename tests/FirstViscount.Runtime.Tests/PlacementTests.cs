using FirstViscount.Membership;
using FirstViscount.Placement;
using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class PlacementTests
{
    [Fact]
    public async Task Each_grain_is_activated_on_the_silo_rendezvous_hashing_picks()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 3);
        var grains = Enumerable.Range(0, 60).Select(i => cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key($"place-{i}"))).ToList();

        await Task.WhenAll(grains.Select(g => g.Get()));

        foreach (var grain in grains)
        {
            var owner = RendezvousPlacement.SelectOwner(ClusterFixture.IdOf(grain), cluster.View);
            Assert.Equal(owner, ClusterFixture.HostOf(cluster, grain).Address);
        }
    }

    [Fact]
    public async Task When_a_silo_joins_the_grains_it_now_owns_move_to_it_with_their_state()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 2);
        var grains = Enumerable.Range(0, 120).Select(i => cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key($"move-{i}"))).ToList();
        await Task.WhenAll(grains.Select(g => g.Increment()));

        var joined = await cluster.StartAdditionalSiloAsync();
        var moving = grains.Where(g => RendezvousPlacement.SelectOwner(ClusterFixture.IdOf(g), cluster.View) == joined.Address).ToList();
        Assert.InRange(moving.Count, 15, 80);

        await ClusterFixture.EventuallyAsync(
            () => moving.All(g => cluster.Silos.Where(s => s != joined).All(s => !s.HostsActivationOf(ClusterFixture.IdOf(g)))),
            "the old owners deactivated the moved grains");
        Assert.All(await Task.WhenAll(moving.Select(g => g.Increment())), value => Assert.Equal(2, value));
        Assert.All(moving, g => Assert.True(joined.HostsActivationOf(ClusterFixture.IdOf(g))));
    }

    [Fact]
    public void Rendezvous_placement_only_moves_grains_to_a_joining_silo()
    {
        var two = new ClusterView(1, [new SiloAddress("a", 1), new SiloAddress("b", 1)]);
        var three = new ClusterView(2, [.. two.ActiveSilos, new SiloAddress("c", 1)]);

        var moved = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var id = new GrainId("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var before = RendezvousPlacement.SelectOwner(id, two);
            var after = RendezvousPlacement.SelectOwner(id, three);
            if (before != after)
            {
                Assert.Equal("c", after!.Endpoint);
                moved++;
            }
        }
        Assert.InRange(moved, 800, 1_200); // about a third
    }

    [Fact]
    public void Stable_hashes_are_fixed_values_so_every_process_and_version_places_alike()
    {
        // Computed by an independent implementation of FNV-1a + SplitMix64. If this changes, grains would
        // move between silos of different versions during a rolling upgrade.
        Assert.Equal(0x41CC8ECF6EF1216CUL, StableHashing.Hash("order/42"));
        Assert.NotEqual(new GrainId("order", "1").StableHash, new GrainId("order", "2").StableHash);
        Assert.Equal(new GrainId("order", "1").StableHash, new GrainId("order", "1").StableHash);
    }
}
