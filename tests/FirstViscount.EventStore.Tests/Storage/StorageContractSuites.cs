using System.Globalization;
using FirstViscount.Commerce;
using FirstViscount.Postgres;
using Microsoft.Extensions.DependencyInjection;
using FirstViscount.Tests;
using Npgsql;
using StackExchange.Redis;

namespace FirstViscount.EventStore.Tests.Storage;

[Trait("Category", "Cluster")]
public sealed class InMemoryGrainStorageContract(InMemoryStorageSilo silo) : GrainStorageContract(silo), IClassFixture<InMemoryStorageSilo>;

[Trait("Category", "Cluster")]
public sealed class RedisCartStorageContract(PostgresStorageSilo silo) : GrainStorageContract(silo, CommerceStorage.Carts), IClassFixture<PostgresStorageSilo>
{
    [Fact]
    public async Task A_cart_lives_seven_days_after_its_last_change_and_every_write_renews_that()
    {
        var grain = NewGrain("ttl", "cart");
        var redis = silo.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = $"{silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId}/state/{grain}/cart";
        var state = State("cart");

        await Storage.WriteStateAsync("cart", grain, state);
        await redis.KeyExpireAsync(key, TimeSpan.FromSeconds(30)); // as if most of the week had passed
        var beforeChange = await redis.KeyTimeToLiveAsync(key);
        await Storage.WriteStateAsync("cart", grain, state);
        var afterChange = await redis.KeyTimeToLiveAsync(key);

        Assert.InRange(beforeChange!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.InRange(afterChange!.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
    }
}

[Trait("Category", "Cluster")]
public sealed class PostgresGrainStorageContract(PostgresStorageSilo silo) : GrainStorageContract(silo), IClassFixture<PostgresStorageSilo>
{
    [Fact]
    public async Task A_state_stored_under_a_class_name_since_renamed_still_reads_by_its_alias()
    {
        var grain = NewGrain("renamed");
        var serviceId = silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId;
        // The Orleans serializer's bytes for `new Parcel("fragile", 3)`, written when the class was still named Parcel.
        var storedBeforeRename = Convert.FromBase64String("MAGmrdneHWZ2LnRlc3QucGFyY2Vs6EAPZnJhZ2lsZQEN4A==");
        await using (var insert = silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "INSERT INTO orleans_grain_state (service_id, state_name, key_string, key_n0, key_n1, version, payload) VALUES ($1, $2, $3, 0, 0, 1, $4)"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            insert.Parameters.Add(new NpgsqlParameter { Value = $"{grain.Type}/parcel" });
            insert.Parameters.Add(new NpgsqlParameter { Value = grain.Key.ToString() });
            insert.Parameters.Add(new NpgsqlParameter { Value = storedBeforeRename });
            await insert.ExecuteNonQueryAsync();
        }

        var read = new GrainState<object>();
        await Storage.ReadStateAsync("parcel", grain, read);

        Assert.Equal(new RenamedParcel("fragile", 3), read.State);
        Assert.Equal("1", read.ETag);
    }
}

[Trait("Category", "Cluster")]
public sealed class ShardedPostgresGrainStorageContract(ShardedPostgresStorageSilo silo) : GrainStorageContract(silo), IClassFixture<ShardedPostgresStorageSilo>
{
    [Fact]
    public async Task Keys_spread_over_both_databases_and_each_key_lives_in_exactly_one()
    {
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("customer-thing", $"customer-{Guid.NewGuid():N}")).ToList();
        foreach (var grain in grains)
        {
            await Storage.WriteStateAsync("parcel", grain, State("x"));
        }

        var perShard = new List<int>();
        foreach (var database in ShardedPostgresStorageSilo.Databases)
        {
            await using var dataSource = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleans_grain_state WHERE key_string = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = grains.Select(g => g.Key.ToString()).ToArray() });
            perShard.Add(Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
        Assert.Equal(40, perShard.Sum());
        Assert.All(perShard, count => Assert.InRange(count, 5, 35));
        var storage = Assert.IsType<PostgresGrainStorage>(Storage);
        Assert.Equal(storage.ShardIndexOf(grains[0]), storage.ShardIndexOf(GrainId.Create("another-type", grains[0].Key.ToString()))); // by key alone
    }
}
