using FirstViscount.Runtime.Tests.Grains;
using FirstViscount.Testing;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class ReminderTests
{
    private static int ReceivedCount(string key, string name) =>
        ReminderProbeGrain.Received.TryGetValue(key, out var received) ? received.Count(r => r == name) : 0;

    private static Task AdvanceAsync(TestCluster cluster, FakeTimeProvider time, TimeSpan by) => cluster.AdvanceTimeAsync(time, by);

    [Fact]
    public async Task A_reminder_is_delivered_when_due_and_not_before()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(time: time);
        var key = ClusterFixture.Key("due");
        await cluster.GrainFactory.GetGrain<IReminderProbeGrain>(key).Schedule("expire", TimeSpan.FromMinutes(15), period: null);

        await AdvanceAsync(cluster, time, TimeSpan.FromMinutes(14));
        Assert.Equal(0, ReceivedCount(key, "expire"));

        await AdvanceAsync(cluster, time, TimeSpan.FromMinutes(1));
        Assert.Equal(1, ReceivedCount(key, "expire"));
        await AdvanceAsync(cluster, time, TimeSpan.FromMinutes(30));
        Assert.Equal(1, ReceivedCount(key, "expire")); // one-shot
    }

    [Fact]
    public async Task A_periodic_reminder_repeats_until_cancelled()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(time: time);
        var key = ClusterFixture.Key("periodic");
        var grain = cluster.GrainFactory.GetGrain<IReminderProbeGrain>(key);
        await grain.Schedule("tick", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        for (var i = 1; i <= 3; i++)
        {
            await AdvanceAsync(cluster, time, TimeSpan.FromSeconds(10));
        }
        var ticks = ReceivedCount(key, "tick");
        Assert.Equal(3, ticks);

        await grain.Cancel("tick");
        await AdvanceAsync(cluster, time, TimeSpan.FromMinutes(5));
        Assert.Equal(ticks, ReceivedCount(key, "tick"));
    }

    [Fact]
    public async Task A_reminder_survives_the_death_of_the_silo_that_registered_it()
    {
        var time = new FakeTimeProvider();
        await using var cluster = await ClusterFixture.DeployAsync(time: time);
        var key = ClusterFixture.Key("survive");
        var grain = cluster.GrainFactory.GetGrain<IReminderProbeGrain>(key);
        await grain.Schedule("resume", TimeSpan.FromMinutes(1), period: null);

        await cluster.KillSiloAsync(ClusterFixture.HostOf(cluster, grain));
        await AdvanceAsync(cluster, time, TimeSpan.FromMinutes(2));

        Assert.Equal(1, ReceivedCount(key, "resume"));
    }
}
