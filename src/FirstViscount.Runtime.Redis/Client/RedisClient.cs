namespace FirstViscount.Redis.Client;

/// <summary>
/// The project's Redis client: one shared, pipelined connection for commands, re-established with
/// exponential backoff after it fails. Only the commands the project uses have typed helpers.
/// </summary>
public sealed class RedisClient(RedisConnectionOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim connectLock = new(1, 1);
    private RedisConnection? connection;
    private TimeSpan backoff = TimeSpan.Zero;
    private long nextAttemptAt;
    private Exception? lastConnectError;
    private bool disposed;

    public RedisConnectionOptions Options { get; } = options;

    public async Task<RespValue> ExecuteAsync(params RedisArgument[] command) =>
        await (await GetConnectionAsync()).ExecuteAsync(command, Options.CommandTimeout);

    /// <summary>Sends the commands in one write, nothing interleaved, and returns every reply.</summary>
    public async Task<RespValue[]> ExecuteBatchAsync(IReadOnlyList<RedisArgument[]> commands) =>
        await (await GetConnectionAsync()).ExecuteBatchAsync(commands, Options.CommandTimeout);

    /// <summary>Runs the commands atomically in MULTI/EXEC; null if the transaction was aborted (WATCH).</summary>
    public async Task<RespValue[]?> TransactionAsync(IReadOnlyList<RedisArgument[]> commands)
    {
        var replies = await ExecuteBatchAsync([["MULTI"], .. commands, ["EXEC"]]);
        var exec = replies[^1];
        return exec.IsNull ? null : exec.AsArray();
    }

    /// <summary>EVALSHA, falling back to EVAL when the server does not have the script (after a restart).</summary>
    public async Task<RespValue> EvaluateAsync(RedisScript script, RedisArgument[] keys, RedisArgument[] arguments)
    {
        try
        {
            return await ExecuteAsync(["EVALSHA", script.Sha1, keys.Length, .. keys, .. arguments]);
        }
        catch (RedisServerException error) when (error.Prefix == "NOSCRIPT")
        {
            return await ExecuteAsync(["EVAL", script.Lua, keys.Length, .. keys, .. arguments]);
        }
    }

    public async Task<string> PingAsync() => (await ExecuteAsync("PING")).AsString()!;

    public async Task<string?> GetAsync(string key) => (await ExecuteAsync("GET", key)).AsString();

    /// <summary>SET with an optional expiry; with <paramref name="onlyIfAbsent"/> (NX) returns false when the key exists.</summary>
    public async Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfAbsent = false)
    {
        List<RedisArgument> command = ["SET", key, value];
        if (expiry is { } ttl)
        {
            command.AddRange(["PX", (long)ttl.TotalMilliseconds]);
        }
        if (onlyIfAbsent)
        {
            command.Add("NX");
        }
        return !(await ExecuteAsync([.. command])).IsNull;
    }

    public async Task<long> DeleteAsync(params string[] keys) => (await ExecuteAsync(["DEL", .. keys.Select(k => (RedisArgument)k)])).AsInteger();

    public async Task<bool> ExpireAsync(string key, TimeSpan ttl) => (await ExecuteAsync("PEXPIRE", key, (long)ttl.TotalMilliseconds)).AsInteger() == 1;

    /// <summary>Milliseconds until the key expires; -1 without expiry, -2 when absent.</summary>
    public async Task<long> TimeToLiveAsync(string key) => (await ExecuteAsync("PTTL", key)).AsInteger();

    public async Task<long> PublishAsync(string channel, string message) => (await ExecuteAsync("PUBLISH", channel, message)).AsInteger();

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private async ValueTask<RedisConnection> GetConnectionAsync()
    {
        var current = connection;
        if (current is { IsHealthy: true })
        {
            return current;
        }
        await connectLock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (connection is { IsHealthy: true })
            {
                return connection;
            }
            if (Environment.TickCount64 < nextAttemptAt)
            {
                throw new RedisConnectionException($"Redis at {Options} is unreachable; the next reconnect attempt is in {nextAttemptAt - Environment.TickCount64} ms.", lastConnectError);
            }
            try
            {
                var fresh = await RedisConnection.ConnectAsync(Options, onPush: null, CancellationToken.None);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                connection = fresh;
                backoff = TimeSpan.Zero;
                return fresh;
            }
            catch (RedisConnectionException error)
            {
                lastConnectError = error;
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.MaxReconnectBackoff.Ticks));
                nextAttemptAt = Environment.TickCount64 + (long)backoff.TotalMilliseconds;
                throw;
            }
        }
        finally
        {
            connectLock.Release();
        }
    }
}
