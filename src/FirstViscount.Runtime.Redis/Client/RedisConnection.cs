using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace FirstViscount.Redis.Client;

/// <summary>
/// One TCP (optionally TLS) connection to Redis. Commands are pipelined: many callers write in turn and
/// replies are matched to them in order. When the connection fails, every pending command fails at once.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Stream stream;
    private readonly PipeReader input;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> outgoing = new(4096);
    private readonly ConcurrentQueue<TaskCompletionSource<RespValue>> pending = new();
    private readonly Action<RespValue>? onPush;
    private readonly CancellationTokenSource closing = new();
    private volatile Exception? failure;

    private RedisConnection(Stream stream, Action<RespValue>? onPush)
    {
        this.stream = stream;
        this.onPush = onPush;
        input = PipeReader.Create(stream);
        Completion = Task.Run(ReadLoopAsync);
    }

    public bool IsHealthy => failure is null;

    /// <summary>Completes when the connection has closed.</summary>
    public Task Completion { get; }

    /// <summary>Connects (and authenticates); <c>onPush</c> receives pub/sub messages on a subscriber connection.</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisConnectionOptions options, Action<RespValue>? onPush, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Host }, timeout.Token);
                stream = tls;
            }
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            socket.Dispose();
            throw new RedisConnectionException($"Cannot connect to Redis at {options}: {(error is OperationCanceledException ? "timed out" : error.Message)}", error);
        }

        var connection = new RedisConnection(stream, onPush);
        if (options.Password is not null)
        {
            RedisArgument[] auth = options.User is null ? ["AUTH", options.Password] : ["AUTH", options.User, options.Password];
            await connection.ExecuteAsync(auth, options.ConnectTimeout);
        }
        return connection;
    }

    public async Task<RespValue> ExecuteAsync(RedisArgument[] command, TimeSpan timeout) =>
        (await ExecuteBatchAsync([command], timeout))[0];

    /// <summary>Writes the commands back to back (nothing else interleaves) and returns their replies in order.</summary>
    public async Task<RespValue[]> ExecuteBatchAsync(IReadOnlyList<RedisArgument[]> commands, TimeSpan timeout)
    {
        var replies = new Task<RespValue>[commands.Count];
        await writeLock.WaitAsync();
        try
        {
            ThrowIfFailed();
            foreach (var command in commands)
            {
                RespWriter.WriteCommand(outgoing, command);
            }
            for (var i = 0; i < commands.Count; i++)
            {
                var reply = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending.Enqueue(reply);
                replies[i] = reply.Task;
            }
            await stream.WriteAsync(outgoing.WrittenMemory);
            await stream.FlushAsync();
            if (failure is not null)
            {
                Fail(failure); // failed while we queued: fail our entries too
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            Fail(new RedisConnectionException($"Writing to Redis failed: {error.Message}", error));
            throw failure!;
        }
        finally
        {
            outgoing.ResetWrittenCount();
            writeLock.Release();
        }
        try
        {
            return await Task.WhenAll(replies).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // The replies still arrive in order and are matched to their (abandoned) entries.
            throw new RedisTimeoutException($"Redis did not answer {commands[0].FirstOrDefault()} within {timeout.TotalMilliseconds:0} ms.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException("The Redis connection was closed."));
        await closing.CancelAsync();
        await stream.DisposeAsync();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
            // Already reported to the pending commands.
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(closing.Token);
                var buffer = result.Buffer;
                var reader = new SequenceReader<byte>(buffer);
                while (RespParser.TryParse(ref reader, out var value))
                {
                    Dispatch(value);
                }
                input.AdvanceTo(reader.Position, buffer.End);
                if (result.IsCompleted)
                {
                    throw new RedisConnectionException("Redis closed the connection.");
                }
            }
        }
        catch (Exception error)
        {
            Fail(error as RedisConnectionException ?? new RedisConnectionException($"The Redis connection failed: {error.Message}", error));
            if (error is RedisProtocolException)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private void Dispatch(RespValue value)
    {
        if (onPush is not null && value.Type == RespType.Array && value.Items is [{ } kind, ..] && kind.AsString() is "message")
        {
            onPush(value);
            return;
        }
        if (!pending.TryDequeue(out var waiter))
        {
            throw new RedisProtocolException($"Redis sent a reply nobody asked for: {value}.");
        }
        if (value.Type == RespType.Error)
        {
            waiter.TrySetException(new RedisServerException(value.AsString()!));
        }
        else
        {
            waiter.TrySetResult(value);
        }
    }

    private void Fail(Exception error)
    {
        failure ??= error;
        while (pending.TryDequeue(out var waiter))
        {
            waiter.TrySetException(failure);
        }
    }

    private void ThrowIfFailed()
    {
        if (failure is not null)
        {
            throw failure;
        }
    }
}
