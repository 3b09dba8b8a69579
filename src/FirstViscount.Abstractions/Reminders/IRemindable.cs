namespace FirstViscount.Reminders;

/// <summary>A grain that receives durable reminders. Delivery is at least once: handle a repeat idempotently.</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, CancellationToken cancellationToken);
}
