using FirstViscount.Postgres;
using FirstViscount.Redis.Client;
using FirstViscount.Redis.Storage;
using FirstViscount.State;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Storage;

[Trait("Category", "Cluster")]
public sealed class InMemoryGrainStorageContract : GrainStorageContract
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new InMemoryGrainStorage());
}

[Trait("Category", "Cluster")]
public sealed class PostgresGrainStorageContract : GrainStorageContract
{
    private static readonly Lazy<Task<PostgresGrainStorage>> Storage = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return new PostgresGrainStorage("contract", [dataSource]);
    });

    protected override async Task<IGrainStorage> CreateStorageAsync() => await Storage.Value;
}

[Trait("Category", "Cluster")]
public sealed class PostgresGrainStorageWithoutGroupCommitContract : GrainStorageContract
{
    private static readonly Lazy<Task<PostgresGrainStorage>> Storage = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return new PostgresGrainStorage("contract-direct", [dataSource], groupCommit: false);
    });

    protected override async Task<IGrainStorage> CreateStorageAsync() => await Storage.Value;
}

[Trait("Category", "Cluster")]
public sealed class ShardedPostgresGrainStorageContract : GrainStorageContract
{
    internal static readonly Lazy<Task<PostgresGrainStorage>> Storage = new(async () =>
    {
        string[] databases = ["fv_shard_a", "fv_shard_b"];
        var shards = new List<NpgsqlDataSource>();
        foreach (var database in databases)
        {
            await TestServers.EnsureDatabaseAsync(database);
            var dataSource = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));
            await PostgresMigrator.MigrateAsync(dataSource);
            shards.Add(dataSource);
        }
        return new PostgresGrainStorage("sharded", shards);
    });

    protected override async Task<IGrainStorage> CreateStorageAsync() => await Storage.Value;

    [Fact]
    public async Task Keys_spread_over_both_shards_and_each_key_lives_in_exactly_one()
    {
        var storage = await Storage.Value;
        var keys = Enumerable.Range(0, 40).Select(i => new GrainStateKey("contract", "sharded-grain", $"customer-{Guid.NewGuid():N}", "state")).ToList();
        foreach (var key in keys)
        {
            await storage.WriteAsync(key, "{}"u8.ToArray(), null, CancellationToken.None);
        }

        var perShard = new List<int>();
        foreach (var shard in storage.Shards)
        {
            await using var command = shard.CreateCommand("SELECT count(*) FROM grain_state WHERE grain_key = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.GrainKey).ToArray() });
            perShard.Add(Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(40, perShard.Sum());
        Assert.All(perShard, count => Assert.InRange(count, 5, 35));
    }
}

[Trait("Category", "Cluster")]
public sealed class RedisGrainStorageContract : GrainStorageContract
{
    protected override Task<IGrainStorage> CreateStorageAsync() =>
        Task.FromResult<IGrainStorage>(new RedisGrainStorage("contract", new RedisClient(RedisConnectionOptions.Parse(TestServers.Redis)), TimeSpan.FromMinutes(5)));

    [Fact]
    public async Task A_state_expires_after_its_time_to_live_without_change_and_each_write_renews_it()
    {
        await using var redis = new RedisClient(RedisConnectionOptions.Parse(TestServers.Redis));
        var renewing = new RedisGrainStorage("ttl", redis, TimeSpan.FromSeconds(30));
        var expiring = new RedisGrainStorage("ttl", redis, TimeSpan.FromMilliseconds(300));
        var key = new GrainStateKey("contract", "cart", $"ttl-{Guid.NewGuid():N}", "cart");
        async Task<long> MillisecondsLeftAsync() =>
            (await redis.ExecuteAsync("PTTL", $"fv:{key.ServiceId}:state:{key.GrainType}:{key.GrainKey}:{key.StateName}")).AsInteger();

        var etag = await renewing.WriteAsync(key, "{}"u8.ToArray(), null, CancellationToken.None);
        await Task.Delay(300);
        var beforeRenewal = await MillisecondsLeftAsync();
        etag = await renewing.WriteAsync(key, "{}"u8.ToArray(), etag, CancellationToken.None);
        var afterRenewal = await MillisecondsLeftAsync();
        await expiring.WriteAsync(key, "{}"u8.ToArray(), etag, CancellationToken.None);
        await Task.Delay(1_000);

        Assert.InRange(beforeRenewal, 1, 29_700);
        Assert.True(afterRenewal > beforeRenewal, $"the write did not renew the time to live ({beforeRenewal} ms, then {afterRenewal} ms)");
        Assert.Null(await renewing.ReadAsync(key, CancellationToken.None)); // unchanged for longer than its time to live
    }
}

[Trait("Category", "Cluster")]
public sealed class PostgresMigratorTests
{
    [Fact]
    public async Task Concurrent_migrations_apply_each_file_exactly_once()
    {
        var database = $"fv_migrate_{Guid.NewGuid():N}"[..30];
        await TestServers.EnsureDatabaseAsync(database);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));

            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMigrator.MigrateAsync(dataSource)));

            Assert.Equal(PostgresMigrator.Migrations.Select(m => m.Version), results.SelectMany(r => r).Order());
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
            Assert.Equal((long)PostgresMigrator.Migrations.Count, await count.ExecuteScalarAsync());
        }
        finally
        {
            await TestServers.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task An_unreachable_database_fails_with_a_clear_storage_error_instead_of_hanging()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Port = 1, Timeout = 2 }.ConnectionString;
        var storage = new PostgresGrainStorage("down", [NpgsqlDataSource.Create(unreachable)]);

        var error = await Assert.ThrowsAsync<GrainStorageException>(
            () => storage.ReadAsync(new GrainStateKey("s", "t", "k", "n"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("'down'", error.Message);
        Assert.NotNull(error.InnerException);
    }
}
