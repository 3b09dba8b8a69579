using Xunit.Abstractions;

namespace FirstViscount.Cluster.Tests.Processes;

[Trait("Category", "Chaos")]
[Trait("Speed", "Slow")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_one_silo_of_three_is_killed_under_write_load_nothing_acknowledged_is_lost_its_grains_answer_within_5_s_and_no_call_elsewhere_hangs()
    {
        await using var cluster = await ProcessCluster.StartAsync(3);

        var result = await FailoverScenario.RunAsync(cluster, cluster.Silos[2]);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.Lost);
        Assert.True(result.ServedAgainAfter <= TimeSpan.FromSeconds(5), $"the dead silo's grains answered again only after {result.ServedAgainAfter}");
        Assert.Equal(0, result.HungOnSurvivors);
    }
}
