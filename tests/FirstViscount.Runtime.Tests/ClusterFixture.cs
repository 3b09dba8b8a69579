using FirstViscount.Invocation;
using FirstViscount.Testing;

namespace FirstViscount.Runtime.Tests;

/// <summary>Helpers shared by the runtime tests.</summary>
internal static class ClusterFixture
{
    public static async Task<TestCluster> DeployAsync(int silos = 3, FakeTimeProvider? time = null)
    {
        var builder = new TestClusterBuilder(silos);
        if (time is not null)
        {
            builder.UseTimeProvider(time);
        }
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A key unique to the calling test.</summary>
    public static string Key(string test) => $"{test}-{Guid.NewGuid():N}";

    public static GrainId IdOf(object grain) => ((GrainReference)grain).GrainId;

    public static Hosting.Silo HostOf(TestCluster cluster, object grain) =>
        cluster.Silos.Single(s => s.HostsActivationOf(IdOf(grain)));

    /// <summary>Waits (bounded) for a condition that asynchronous runtime work makes true.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string what, int timeoutMs = 10_000) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, timeoutMs);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
            await Task.Delay(10);
        }
    }
}
