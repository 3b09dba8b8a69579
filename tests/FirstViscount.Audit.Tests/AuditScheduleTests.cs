using FirstViscount.Audit.Scheduling;
using FirstViscount.Testing;
using FirstViscount.Tests;

namespace FirstViscount.Audit.Tests;

/// <summary>The periodic audit: an Orleans reminder ticks the cluster's one auditor grain, so one silo audits at a time.</summary>
[Trait("Category", "Ops")]
public sealed class AuditScheduleTests(AuditedShop shop) : IClassFixture<AuditedShop>
{
    [Fact]
    public async Task Every_silo_asks_for_the_schedule_and_one_silo_audits_on_each_tick()
    {
        await using var copy = await shop.CopyAsync();
        var cluster = await new CommerceTestCluster(silos: 2).UsePostgresAndRedis(copy.ConnectionString, TestServers.Redis)
            .ConfigureSilo(silo => silo.AddConsistencyAuditor(new AuditOptions { Interval = TimeSpan.FromSeconds(1) }))
            .DeployAsync();
        try
        {
            var runs = new List<(string RanBy, bool Consistent)>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (runs.Count < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {runs.Count} audits ran in a minute");
                await Task.Delay(250);
                await using var command = copy.Postgres.CreateCommand("SELECT ran_by, findings = 0 FROM audit_runs ORDER BY started_at");
                await using var reader = await command.ExecuteReaderAsync();
                runs.Clear();
                while (await reader.ReadAsync())
                {
                    runs.Add((reader.GetString(0), reader.GetBoolean(1)));
                }
            }

            Assert.Single(runs.Select(run => run.RanBy).Distinct());
            Assert.StartsWith("silo ", runs[0].RanBy);
            Assert.All(runs, run => Assert.True(run.Consistent));
            var onDemand = await cluster.Client.GetGrain<IConsistencyAuditorGrain>(0).AuditNow();
            Assert.True(onDemand.IsConsistent);
            Assert.Equal(runs[0].RanBy, onDemand.RanBy);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
