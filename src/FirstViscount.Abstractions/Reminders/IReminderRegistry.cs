namespace FirstViscount.Reminders;

/// <summary>
/// Durable reminders: kept in storage, delivered by whichever silo owns the grain when they fall due, so they
/// survive the death of the silo that registered them. Inject into grains that implement <see cref="IRemindable"/>.
/// </summary>
public interface IReminderRegistry
{
    /// <summary>Sets reminder <paramref name="name"/> of <paramref name="grain"/> to fall due at <paramref name="dueAt"/>, then every <paramref name="period"/> if given.</summary>
    Task RegisterOrUpdateAsync(GrainId grain, string name, DateTimeOffset dueAt, TimeSpan? period, CancellationToken cancellationToken = default);

    Task UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken = default);
}

/// <summary>One stored reminder.</summary>
public sealed record ReminderEntry(GrainId Grain, string Name, DateTimeOffset DueAt, TimeSpan? Period);

/// <summary>Where reminders are kept (in memory, PostgreSQL).</summary>
public interface IReminderTable : IReminderRegistry
{
    Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken);

    /// <summary>After delivery: moves a periodic reminder to its next due time, or deletes a one-shot one, unless it was changed meanwhile.</summary>
    Task CompleteAsync(ReminderEntry delivered, DateTimeOffset now, CancellationToken cancellationToken);
}
