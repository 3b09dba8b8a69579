using FirstViscount.Cluster.Tests.Grains;
using FirstViscount.Invocation;
using FirstViscount.Postgres;
using FirstViscount.Testing;

namespace FirstViscount.Cluster.Tests;

[Trait("Category", "Cluster")]
public sealed class TestClusterWithPostgresTests
{
    [Fact]
    public async Task Grain_state_in_postgres_survives_the_kill_of_its_silo()
    {
        var builder = new TestClusterBuilder(3).ConfigureSilos(silo => silo.AddPostgresGrainStorageAsDefault(options => options.ConnectionStrings.Add(TestServers.Postgres)));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var accounts = Enumerable.Range(0, 30).Select(i => cluster.GrainFactory.GetGrain<IAccountGrain>($"pg-kill-{Guid.NewGuid():N}")).ToList();
        await Task.WhenAll(accounts.Select(a => a.Deposit(10)));
        await Task.WhenAll(accounts.Select(a => a.Deposit(5)));

        var victim = cluster.Silos[1];
        var hostedOnVictim = accounts.Where(a => victim.HostsActivationOf(((GrainReference)(object)a).GrainId)).ToList();
        Assert.NotEmpty(hostedOnVictim);
        await cluster.KillSiloAsync(victim);

        Assert.All(await Task.WhenAll(accounts.Select(a => a.Balance())), balance => Assert.Equal(15, balance));
        Assert.All(await Task.WhenAll(accounts.Select(a => a.Deposit(1))), balance => Assert.Equal(16, balance));
    }
}
