using FirstViscount.Commerce.Catalog;
using FirstViscount.Postgres;
using FirstViscount.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// Catalog search on the streaming replica deploy/services.sh up --replica starts: from the replica while it keeps
/// up, from the primary as soon as its lag could hide a price change for more than a second.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class ReadReplicaTests
{
    private static readonly Lazy<Task<NpgsqlDataSource>> Primary = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return dataSource;
    });

    private static readonly NpgsqlDataSource Replica = NpgsqlDataSource.Create(TestServers.PostgresReplica);

    private static ReplicaLagMonitor Monitor(NpgsqlDataSource primary, NpgsqlDataSource replica) =>
        new(primary, replica, new ReplicaOptions { LagWarning = TimeSpan.FromSeconds(2) }, TimeProvider.System, NullLogger<ReplicaLagMonitor>.Instance);

    [Fact]
    public async Task Searches_read_from_a_replica_that_keeps_up_and_from_the_primary_while_it_falls_behind()
    {
        var primary = await Primary.Value;
        var monitor = Monitor(primary, Replica);
        var catalog = new PostgresCatalog(primary, TestRedis.Connection, TimeProvider.System, monitor);
        var sku = $"replica-{Guid.NewGuid():N}"[..24];
        await catalog.UpsertProductAsync(Product(sku, 10m));
        await PollUntilAsync(monitor, () => monitor.ServesReads);
        Assert.Null(monitor.Warning);
        Assert.Equal(10m, await PriceOnReplicaAsync(sku)); // the replica has the product; searches now read it there

        await ExecuteAsync(Replica, "SELECT pg_wal_replay_pause()");
        try
        {
            await catalog.UpsertProductAsync(Product(sku, 12m));
            await PollUntilAsync(monitor, () => monitor.Lag > TimeSpan.FromSeconds(2.5));

            Assert.False(monitor.ServesReads);
            Assert.Contains("behind the primary", monitor.Warning);
            Assert.Equal(10m, await PriceOnReplicaAsync(sku)); // stale there...
            Assert.Equal(12m, await SearchedPriceAsync(catalog, sku)); // ...so the search went to the primary
        }
        finally
        {
            await ExecuteAsync(Replica, "SELECT pg_wal_replay_resume()");
        }

        await PollUntilAsync(monitor, () => monitor.ServesReads);
        Assert.Null(monitor.Warning);
        Assert.Equal(12m, await PriceOnReplicaAsync(sku));
        Assert.Equal(12m, await SearchedPriceAsync(catalog, sku));
    }

    [Fact]
    public async Task A_replica_that_does_not_answer_is_reported_and_searches_read_from_the_primary()
    {
        var primary = await Primary.Value;
        await using var unreachable = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestServers.PostgresReplica) { Port = 1, Timeout = 1 }.ConnectionString);
        var monitor = Monitor(primary, unreachable);
        var catalog = new PostgresCatalog(primary, TestRedis.Connection, TimeProvider.System, monitor);
        var sku = $"noreplica-{Guid.NewGuid():N}"[..24];
        await catalog.UpsertProductAsync(Product(sku, 7m));

        await monitor.PollAsync(CancellationToken.None);

        Assert.Null(monitor.Lag);
        Assert.False(monitor.ServesReads);
        Assert.Contains("cannot be measured", monitor.Warning);
        Assert.Equal(7m, await SearchedPriceAsync(catalog, sku));
    }

    private static Product Product(string sku, decimal price) =>
        new(sku, $"{sku} lamp", "", "Acme", null, new Dictionary<string, string>(), price, "EUR");

    private static async Task PollUntilAsync(ReplicaLagMonitor monitor, Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        do
        {
            await monitor.PollAsync(limit.Token);
            await Task.Delay(100, limit.Token);
        }
        while (!condition());
    }

    private static async Task<decimal?> SearchedPriceAsync(PostgresCatalog catalog, string sku) =>
        (await catalog.SearchAsync(new ProductQuery(sku))).Items.SingleOrDefault(item => item.Sku == sku)?.Price;

    private static async Task<decimal?> PriceOnReplicaAsync(string sku)
    {
        await using var command = Replica.CreateCommand("SELECT price FROM products WHERE sku = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        return await command.ExecuteScalarAsync() as decimal?;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteScalarAsync();
    }
}
