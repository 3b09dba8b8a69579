using FirstViscount.Commerce.Hosting;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FirstViscount.EventStore.Tests.Storage;

/// <summary>
/// One silo configured as production configures it, so that its storage providers (the default one and
/// "carts") can be put through the contract exactly as grains would use them.
/// </summary>
public abstract class StorageSilo(Action<CommerceSiloOptions> commerce) : IAsyncLifetime
{
    private InProcessTestCluster? cluster;

    public IGrainStorage Storage(string name = "Default") => Services.GetRequiredKeyedService<IGrainStorage>(name);

    public IServiceProvider Services => cluster!.GetSiloServiceProvider();

    public async Task InitializeAsync() => cluster = await new CommerceTestCluster(silos: 1).ConfigureCommerce(commerce).DeployAsync();

    public async Task DisposeAsync() => await cluster!.DisposeAsync();
}

public sealed class InMemoryStorageSilo() : StorageSilo(_ => { });

public sealed class PostgresStorageSilo() : StorageSilo(commerce =>
{
    commerce.PostgresConnectionStrings = [TestServers.Postgres];
    commerce.RedisConfiguration = TestServers.Redis;
    commerce.PayerKey = Commerce.Payments.PayerProtector.NewKey();
    commerce.CarrierKey = TestServers.CarrierKey;
});

public sealed class ShardedPostgresStorageSilo() : StorageSilo(commerce =>
{
    commerce.PostgresConnectionStrings = [.. ShardedPostgresStorageSilo.Databases.Select(TestServers.PostgresDatabase)];
    commerce.RedisConfiguration = TestServers.Redis;
    commerce.PayerKey = Commerce.Payments.PayerProtector.NewKey();
    commerce.CarrierKey = TestServers.CarrierKey;
})
{
    public static readonly string[] Databases = ["fv_shard_a", "fv_shard_b"];

    static ShardedPostgresStorageSilo()
    {
        foreach (var database in Databases)
        {
            TestServers.EnsureDatabaseAsync(database).GetAwaiter().GetResult();
        }
    }
}
