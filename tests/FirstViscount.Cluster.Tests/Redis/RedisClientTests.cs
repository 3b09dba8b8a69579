using System.Net;
using System.Net.Sockets;
using System.Text;
using FirstViscount.Redis.Client;

namespace FirstViscount.Cluster.Tests.Redis;

[Trait("Category", "Cluster")]
public sealed class RedisClientTests
{
    private static RedisClient Client() => new(RedisConnectionOptions.Parse(TestServers.Redis));

    private static string Key(string test) => $"test:{test}:{Guid.NewGuid():N}";

    [Fact]
    public async Task Set_get_delete_and_expiry_behave_as_redis_documents()
    {
        await using var redis = Client();
        var key = Key("basic");

        Assert.Equal("PONG", await redis.PingAsync());
        Assert.Null(await redis.GetAsync(key));
        Assert.True(await redis.SetAsync(key, "grüße"));
        Assert.Equal("grüße", await redis.GetAsync(key));
        Assert.False(await redis.SetAsync(key, "other", onlyIfAbsent: true));
        Assert.True(await redis.ExpireAsync(key, TimeSpan.FromMinutes(5)));
        Assert.InRange(await redis.TimeToLiveAsync(key), 1, 300_000);
        Assert.Equal(1, await redis.DeleteAsync(key));
        Assert.Equal(-2, await redis.TimeToLiveAsync(key));
        Assert.True(await redis.SetAsync(key, "v", TimeSpan.FromSeconds(30), onlyIfAbsent: true));
        Assert.InRange(await redis.TimeToLiveAsync(key), 1, 30_000);
    }

    [Fact]
    public async Task Thousands_of_concurrent_commands_on_one_connection_each_get_their_own_reply()
    {
        await using var redis = Client();
        var prefix = Key("pipeline");

        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => redis.SetAsync($"{prefix}:{i}", $"value-{i}")));
        var values = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => redis.GetAsync($"{prefix}:{i}")));
        var counter = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => redis.ExecuteAsync("INCR", prefix + ":counter")));

        Assert.All(Enumerable.Range(0, 2_000), i => Assert.Equal($"value-{i}", values[i]));
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (long)i), counter.Select(c => c.AsInteger()).Order());
    }

    [Fact]
    public async Task Multi_exec_applies_all_commands_atomically()
    {
        await using var redis = Client();
        var key = Key("multi");

        var replies = await redis.TransactionAsync([["INCRBY", key, 5], ["INCRBY", key, 7], ["GET", key]]);

        Assert.Equal(12, replies![2].AsInteger());
    }

    [Fact]
    public async Task A_script_runs_by_sha_and_is_resent_when_the_server_forgot_it()
    {
        await using var redis = Client();
        var script = new RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        var key = Key("script");

        Assert.Equal(3, (await redis.EvaluateAsync(script, [key], [3])).AsInteger());
        Assert.Equal(7, (await redis.EvaluateAsync(script, [key], [4])).AsInteger());
        await using var server = await RedisServerProcess.StartAsync();
        await using var fresh = new RedisClient(RedisConnectionOptions.Parse(server.Configuration));
        Assert.Equal(1, (await fresh.EvaluateAsync(script, [key], [1])).AsInteger()); // NOSCRIPT, then EVAL
    }

    [Fact]
    public async Task A_server_error_is_reported_with_redis_message()
    {
        await using var redis = Client();
        var key = Key("wrongtype");
        await redis.SetAsync(key, "text");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => redis.ExecuteAsync("INCR", key));

        Assert.Equal("ERR", error.Prefix);
        Assert.Equal("PONG", await redis.PingAsync());
    }

    [Fact]
    public async Task A_command_without_a_reply_in_time_times_out_and_later_replies_stay_matched()
    {
        var options = RedisConnectionOptions.Parse(TestServers.Redis);
        options.CommandTimeout = TimeSpan.FromMilliseconds(200);
        await using var redis = new RedisClient(options);

        await Assert.ThrowsAsync<RedisTimeoutException>(() => redis.ExecuteAsync("BLPOP", Key("empty-list"), 1));

        options.CommandTimeout = TimeSpan.FromSeconds(5);
        Assert.Equal("PONG", await redis.PingAsync());
    }

    [Fact]
    public async Task The_client_reconnects_after_the_server_restarts()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await using var redis = new RedisClient(RedisConnectionOptions.Parse(server.Configuration));
        Assert.Equal("PONG", await redis.PingAsync());

        await server.KillAsync();
        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());
        await server.StartAgainAsync();

        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                Assert.Equal("PONG", await redis.PingAsync());
                break;
            }
            catch (RedisConnectionException) when (Environment.TickCount64 < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Auth_is_sent_on_connect_and_a_missing_password_is_refused()
    {
        await using var server = await RedisServerProcess.StartAsync("--requirepass", "s3cret");
        var options = RedisConnectionOptions.Parse($"{server.Configuration},password=s3cret");
        await using var authed = new RedisClient(options);
        await using var anonymous = new RedisClient(RedisConnectionOptions.Parse(server.Configuration));

        Assert.Equal("PONG", await authed.PingAsync());
        var error = await Assert.ThrowsAsync<RedisServerException>(() => anonymous.PingAsync());
        Assert.Equal("NOAUTH", error.Prefix);
    }

    [Fact]
    public async Task Published_messages_reach_subscribers_also_after_the_server_restarts()
    {
        await using var server = await RedisServerProcess.StartAsync();
        var options = RedisConnectionOptions.Parse(server.Configuration);
        await using var publisher = new RedisClient(options);
        await using var subscriber = new RedisSubscriber(options);
        var received = new System.Collections.Concurrent.BlockingCollection<string>();
        await subscriber.SubscribeAsync("news", received.Add);
        await subscriber.Connected;

        await PublishUntilReceived(publisher, "first", received);
        await server.KillAsync();
        await server.StartAgainAsync();
        await PublishUntilReceived(publisher, "second", received);
    }

    [Fact]
    public async Task A_peer_that_answers_garbage_gives_a_clear_error_not_a_hang()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            await peer.GetStream().WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));
            await Task.Delay(5_000);
        });
        await using var redis = new RedisClient(RedisConnectionOptions.Parse($"127.0.0.1:{port}"));

        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync().WaitAsync(TimeSpan.FromSeconds(4)));
    }

    private static async Task PublishUntilReceived(RedisClient publisher, string message, System.Collections.Concurrent.BlockingCollection<string> received)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                await publisher.PublishAsync("news", message);
            }
            catch (RedisConnectionException)
            {
                // still reconnecting
            }
            if (received.TryTake(out var got, 100) && got == message)
            {
                return;
            }
        }
        Assert.Fail($"'{message}' was not received.");
    }
}
