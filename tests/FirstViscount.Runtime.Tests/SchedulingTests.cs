using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class SchedulingTests
{
    [Fact]
    public async Task Non_reentrant_calls_never_interleave_even_across_awaits()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IConcurrencyProbeGrain>(ClusterFixture.Key("no-interleave"));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => grain.Enter(yieldCount: 5)));

        Assert.Equal(1, await grain.MaxObservedConcurrency());
        Assert.Equal(0, await grain.ParallelExecutions());
    }

    [Fact]
    public async Task Non_reentrant_calls_from_grains_on_the_same_silo_never_interleave()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1);
        var grain = cluster.Silos[0].GrainFactory.GetGrain<IConcurrencyProbeGrain>(ClusterFixture.Key("local-no-interleave"));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => grain.Enter(yieldCount: 3))));

        Assert.Equal(1, await grain.MaxObservedConcurrency());
        Assert.Equal(0, await grain.ParallelExecutions());
    }

    [Fact]
    public async Task Reentrant_grains_interleave_at_awaits_but_never_run_in_parallel()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IReentrantProbeGrain>(ClusterFixture.Key("reentrant"));

        // Each call waits until all four are inside: only possible if they interleave.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => grain.MeetAtBarrier("b", parties: 4))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, await grain.ParallelExecutions());
    }

    [Fact]
    public async Task Read_only_calls_interleave_with_each_other_but_a_write_waits_for_them()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IConcurrencyProbeGrain>(ClusterFixture.Key("read-only"));
        var gate = ClusterFixture.Key("gate");

        var firstRead = grain.ReadWhileGated(gate);
        await TestGates.SignalledAsync(gate + "/1");
        var secondRead = grain.ReadWhileGated(gate);
        await TestGates.SignalledAsync(gate + "/2"); // two readers inside at once
        var write = grain.WriteMarker();
        await Task.Delay(50);
        Assert.False(write.IsCompleted, "a write must wait until the reads finish");

        TestGates.Open(gate);
        await Task.WhenAll(firstRead, secondRead, write);
        Assert.Equal(2, await grain.MaxObservedConcurrency());
        Assert.Equal(1, await grain.WritesSeen());
    }

    [Fact]
    public async Task Always_interleave_methods_run_while_another_call_is_in_progress()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IConcurrencyProbeGrain>(ClusterFixture.Key("interleave"));
        var gate = ClusterFixture.Key("gate");

        var held = grain.HoldUntil(gate);
        await TestGates.SignalledAsync(gate + "/inside");

        Assert.Equal(1, await grain.InterleavedPeek().WaitAsync(TimeSpan.FromSeconds(10)));
        TestGates.Open(gate);
        await held;
    }
}
