using System.Collections.Concurrent;
using FirstViscount.Hosting;
using FirstViscount.Invocation;
using FirstViscount.Membership;
using FirstViscount.Placement;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Reminders;

/// <summary>
/// Delivers due reminders of the grains this silo owns, polling the reminder table on the silo's clock.
/// A reminder is completed (rescheduled or deleted) only after the grain handled it: at-least-once delivery.
/// </summary>
internal sealed partial class ReminderService : IDisposable
{
    private readonly SiloRuntime runtime;
    private readonly IReminderTable table;
    private readonly IClusterMembership membership;
    private readonly Func<SiloAddress> self;
    private readonly ITimer timer;
    private readonly ConcurrentDictionary<(GrainId, string), Task> inFlight = new();
    private Task lastPoll = Task.CompletedTask;
    private int polling;
    private int pollRequested;

    public ReminderService(SiloRuntime runtime, IReminderTable table, IClusterMembership membership, Func<SiloAddress> self)
    {
        this.runtime = runtime;
        this.table = table;
        this.membership = membership;
        this.self = self;
        var interval = runtime.Options.ReminderPollInterval;
        timer = runtime.Time.CreateTimer(static state => ((ReminderService)state!).Poll(), this, interval, interval);
    }

    /// <summary>Completes when every delivery started so far has finished.</summary>
    public Task Deliveries => Task.WhenAll([Volatile.Read(ref lastPoll), .. inFlight.Values]);

    public void Dispose() => timer.Dispose();

    /// <summary>A tick that arrives while a poll runs is not lost: the running poll goes round once more.</summary>
    private void Poll()
    {
        Volatile.Write(ref pollRequested, 1);
        if (Interlocked.Exchange(ref polling, 1) == 0)
        {
            Volatile.Write(ref lastPoll, PollWhileRequestedAsync());
        }
    }

    private async Task PollWhileRequestedAsync()
    {
        try
        {
            while (Interlocked.Exchange(ref pollRequested, 0) == 1)
            {
                await PollAsync();
            }
        }
        finally
        {
            Volatile.Write(ref polling, 0);
        }
        if (Volatile.Read(ref pollRequested) == 1)
        {
            Poll(); // requested between the last check and the release
        }
    }

    private async Task PollAsync()
    {
        try
        {
            if (!membership.IsServing)
            {
                return;
            }
            var now = runtime.Time.GetUtcNow();
            var view = membership.CurrentView;
            foreach (var entry in await table.ReadDueAsync(now, 1000, CancellationToken.None))
            {
                var key = (entry.Grain, entry.Name);
                // Claim the key before starting: a local delivery can finish (and release it) synchronously.
                if (RendezvousPlacement.SelectOwner(entry.Grain, view) == self() && inFlight.TryAdd(key, Task.CompletedTask))
                {
                    var delivery = DeliverAsync(entry, key);
                    inFlight.TryUpdate(key, delivery, Task.CompletedTask);
                }
            }
        }
        catch (Exception error)
        {
            LogPollFailed(runtime.Logger, error);
        }
    }

    private async Task DeliverAsync(ReminderEntry entry, (GrainId, string) key)
    {
        try
        {
            var grain = (IRemindable)GrainCodeRegistry.GetProxyFactory(typeof(IRemindable))(entry.Grain, runtime.Router);
            await grain.ReceiveReminder(entry.Name, CancellationToken.None);
            await table.CompleteAsync(entry, runtime.Time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception error)
        {
            LogDeliveryFailed(runtime.Logger, entry.Name, entry.Grain, error); // stays due: retried at the next poll
        }
        finally
        {
            inFlight.TryRemove(key, out _);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Reading due reminders failed")]
    private static partial void LogPollFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Reminder {Name} of {Grain} failed; it will be delivered again")]
    private static partial void LogDeliveryFailed(ILogger logger, string name, GrainId grain, Exception error);
}
