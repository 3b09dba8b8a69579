using FirstViscount.Cluster.Tests;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Commerce.Tests;

/// <summary>A 3-silo TestCluster with the domain on real PostgreSQL (state, events, reminders), one service id per test.</summary>
internal static class CommerceCluster
{
    public static async Task<TestCluster> DeployAsync(FakeTimeProvider? time = null, int silos = 3)
    {
        var serviceId = $"commerce-test-{Guid.NewGuid():N}";
        var builder = new TestClusterBuilder(silos).ConfigureSilos(silo =>
        {
            silo.Configure(options => options.ServiceId = serviceId);
            silo.AddPostgresGrainStorageAsDefault(options => options.ConnectionStrings.Add(TestServers.Postgres));
            silo.UsePostgresRemindersAndEvents(TestServers.Postgres);
            silo.Services.AddSingleton(CommerceEvents.CreateSerializer());
        });
        if (time is not null)
        {
            builder.UseTimeProvider(time);
        }
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static string Key(string test) => $"{test}-{Guid.NewGuid():N}";

    public static IEventStore EventStore(TestCluster cluster) => cluster.Silos[0].Services.GetRequiredService<IEventStore>();
}
