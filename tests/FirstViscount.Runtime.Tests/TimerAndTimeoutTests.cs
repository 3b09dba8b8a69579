using FirstViscount.Runtime.Tests.Grains;
using FirstViscount.Testing;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class TimerAndTimeoutTests
{
    [Fact]
    public async Task A_timer_tick_waits_for_the_request_in_progress()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(time: time);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>(ClusterFixture.Key("timer-turns"));
        var gate = ClusterFixture.Key("gate");
        await grain.StartTimer(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var held = grain.HoldUntil(gate);
        await TestGates.SignalledAsync(gate + "/inside");
        time.Advance(TimeSpan.FromSeconds(1)); // due while the call holds the activation
        TestGates.Open(gate);
        await held;

        var report = await grain.Report();
        Assert.Equal(1, report.Ticks);
        Assert.Equal(0, report.TicksDuringACall);
    }

    [Fact]
    public async Task A_periodic_timer_keeps_ticking_and_stops_with_its_activation()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1, time: time);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>(ClusterFixture.Key("timer-periodic"));
        await grain.StartTimer(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        for (var i = 0; i < 3; i++)
        {
            var ticksBefore = (await grain.Report()).Ticks;
            time.Advance(TimeSpan.FromSeconds(1));
            await ClusterFixture.EventuallyAsync(async () => (await grain.Report()).Ticks == ticksBefore + 1, "the timer ticked");
        }
        Assert.Equal(3, (await grain.Report()).Ticks);
    }

    [Fact]
    public async Task A_call_that_does_not_answer_in_time_fails_with_a_timeout()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(time: time);
        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("timeout"));

        var gate = ClusterFixture.Key("gate");
        var call = grain.Hang(gate);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Contains("Hang", error.Message);
        TestGates.Open(gate);
    }

    [Fact]
    public async Task The_call_timeout_is_configurable()
    {
        var time = new FakeTimeProvider();
        var builder = new TestClusterBuilder(1).UseTimeProvider(time)
            .ConfigureClient(client => client.Configure(options => options.CallTimeout = TimeSpan.FromSeconds(2)));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var gate = ClusterFixture.Key("gate");
        var call = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("short-timeout")).Hang(gate);
        time.Advance(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        TestGates.Open(gate);
    }

    [Fact]
    public async Task Cancelling_a_call_is_an_error_distinct_from_a_timeout_and_reaches_the_callee()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("cancel"));
        using var cancellation = new CancellationTokenSource();

        var call = grain.WaitForCancellation(cancellation.Token);
        cancellation.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<GrainCallTimeoutException>(error);
        // The callee observed the token too: the activation is free again.
        await grain.ThrowInvalidOperation("still alive").ContinueWith(t => Assert.IsType<InvalidOperationException>(t.Exception!.InnerException));
    }

    [Fact]
    public async Task A_cancellation_token_flows_to_a_grain_on_the_same_silo()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1);
        var grain = cluster.Silos[0].GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("local-cancel"));
        using var cancellation = new CancellationTokenSource();

        var call = grain.WaitForCancellation(cancellation.Token);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
