using System.Collections.Concurrent;
using FirstViscount.Reminders;

namespace FirstViscount.Runtime.Tests.Grains;

public interface IReminderProbeGrain : IGrainWithStringKey, IRemindable
{
    Task Schedule(string name, TimeSpan dueIn, TimeSpan? period);

    Task Cancel(string name);
}

public class ReminderProbeGrain(IReminderRegistry reminders) : Grain, IReminderProbeGrain
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Received = new();

    public Task Schedule(string name, TimeSpan dueIn, TimeSpan? period) =>
        reminders.RegisterOrUpdateAsync(GrainId, name, GrainContext.TimeProvider.GetUtcNow() + dueIn, period);

    public Task Cancel(string name) => reminders.UnregisterAsync(GrainId, name);

    public Task ReceiveReminder(string reminderName, CancellationToken cancellationToken)
    {
        Received.GetOrAdd(GetPrimaryKeyString(), _ => new()).Enqueue(reminderName);
        return Task.CompletedTask;
    }
}
