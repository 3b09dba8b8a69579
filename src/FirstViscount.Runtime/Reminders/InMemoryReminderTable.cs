namespace FirstViscount.Reminders;

/// <summary>Reminders in process memory (tests, embedded default); shared by the silos of an in-process cluster.</summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly Lock gate = new();
    private readonly Dictionary<(GrainId, string), ReminderEntry> entries = [];

    public Task RegisterOrUpdateAsync(GrainId grain, string name, DateTimeOffset dueAt, TimeSpan? period, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            entries[(grain, name)] = new ReminderEntry(grain, name, dueAt, period);
        }
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            entries.Remove((grain, name));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<ReminderEntry> due = [.. entries.Values.Where(e => e.DueAt <= now).OrderBy(e => e.DueAt).Take(maxCount)];
            return Task.FromResult(due);
        }
    }

    public Task CompleteAsync(ReminderEntry delivered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var key = (delivered.Grain, delivered.Name);
            if (entries.TryGetValue(key, out var current) && current == delivered)
            {
                if (delivered.Period is { } period)
                {
                    entries[key] = delivered with { DueAt = NextDue(delivered.DueAt, period, now) };
                }
                else
                {
                    entries.Remove(key);
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The first period boundary after <paramref name="now"/> (missed ticks are not replayed).</summary>
    public static DateTimeOffset NextDue(DateTimeOffset due, TimeSpan period, DateTimeOffset now)
    {
        var next = due + period;
        if (next <= now)
        {
            next += TimeSpan.FromTicks(((now - next).Ticks / period.Ticks + 1) * period.Ticks);
        }
        return next;
    }
}
