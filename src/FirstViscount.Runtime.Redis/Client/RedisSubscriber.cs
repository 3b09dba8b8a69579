using System.Collections.Concurrent;

namespace FirstViscount.Redis.Client;

/// <summary>
/// Pub/sub on its own connection (a subscribed connection can carry nothing else). Keeps the subscriptions
/// alive: after the connection drops it reconnects with backoff and subscribes again.
/// </summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisConnectionOptions options;
    private readonly ConcurrentDictionary<string, Action<string>> handlers = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private readonly TaskCompletionSource firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RedisConnection? connection;

    public RedisSubscriber(RedisConnectionOptions options)
    {
        this.options = options;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Raised after each (re)subscription, so listeners can catch up on what they missed.</summary>
    public event Action? Resubscribed;

    public async Task SubscribeAsync(string channel, Action<string> handler)
    {
        handlers[channel] = handler;
        if (connection is { IsHealthy: true } current)
        {
            await current.ExecuteAsync(["SUBSCRIBE", channel], options.CommandTimeout);
        }
    }

    /// <summary>Completes once the first subscription connection is up.</summary>
    public Task Connected => firstConnection.Task;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
        await loop;
    }

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                connection = await RedisConnection.ConnectAsync(options, OnMessage, stopping.Token);
                foreach (var channel in handlers.Keys)
                {
                    await connection.ExecuteAsync(["SUBSCRIBE", channel], options.CommandTimeout);
                }
                backoff = TimeSpan.FromMilliseconds(50);
                firstConnection.TrySetResult();
                Resubscribed?.Invoke();
                await connection.Completion.WaitAsync(stopping.Token);
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // Reconnect below.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(backoff, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxReconnectBackoff.Ticks));
        }
    }

    private void OnMessage(RespValue message)
    {
        var items = message.AsArray();
        if (items.Length == 3 && items[1].AsString() is { } channel && handlers.TryGetValue(channel, out var handler))
        {
            handler(items[2].AsString() ?? "");
        }
    }
}
