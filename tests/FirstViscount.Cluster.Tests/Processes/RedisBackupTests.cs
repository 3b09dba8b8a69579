using System.Globalization;
using StackExchange.Redis;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>deploy/backup.sh's Redis copy on a private Redis that deploy/services.sh started: encrypted, and restored whole.</summary>
[Trait("Category", "Ops")]
public sealed class RedisBackupTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("fv-redis-").FullName;
    private readonly int port = 26_500 + Random.Shared.Next(0, 1_000) * 2;

    private Dictionary<string, string> Settings => new()
    {
        ["FV_DATA_DIR"] = root,
        ["FV_REDIS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["FV_REDIS_TLS_PORT"] = (port + 1).ToString(CultureInfo.InvariantCulture),
    };

    public Task InitializeAsync() => DeployScripts.RunAsync(DeployScripts.Path("services.sh"), ["up"], Settings);

    [Fact]
    public async Task A_restored_copy_brings_back_exactly_what_redis_held_when_it_was_taken()
    {
        var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        await redis.GetDatabase().StringSetAsync("cart:kept", "two lamps");
        await DeployScripts.RunAsync(DeployScripts.Path("backup.sh"), ["redis"], Settings);
        await redis.GetDatabase().StringSetAsync("cart:kept", "changed after the copy");
        await redis.GetDatabase().StringSetAsync("cart:later", "written after the copy");
        var copy = Directory.GetFiles(Path.Combine(root, "backups", "redis")).Single();
        await redis.DisposeAsync();

        await DeployScripts.RunAsync(DeployScripts.Path("backup.sh"), ["restore-redis"], Settings);

        await using var restored = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        Assert.Equal("two lamps", (string?)await restored.GetDatabase().StringGetAsync("cart:kept"));
        Assert.False(await restored.GetDatabase().KeyExistsAsync("cart:later"));
        Assert.DoesNotContain("two lamps", await File.ReadAllTextAsync(copy)); // encrypted, not a readable dump
    }

    public async Task DisposeAsync()
    {
        await DeployScripts.RunAsync(DeployScripts.Path("services.sh"), ["down"], Settings); // stops only what it started for this folder: the Redis
        Directory.Delete(root, recursive: true);
    }
}
