namespace FirstViscount.Postgres.Streams;

/// <summary>Options of an event-log stream provider (<see cref="EventLogStreamsSiloBuilderExtensions.AddEventLogStreams"/>).</summary>
public sealed class EventLogStreamOptions
{
    /// <summary>
    /// The most events one read of a queue returns, and so one delivery carries (default 2,000). A queue stops reading
    /// while two batches wait for its slowest consumer, so this also bounds its memory.
    /// </summary>
    public int BatchSize { get; set; } = 2_000;

    /// <summary>How often an idle queue looks for new events (Orleans's pulling agent period; default 100 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public void Validate(string name)
    {
        if (BatchSize is < 1 or > 100_000 || PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Event-log streams '{name}': BatchSize must be 1..100000 and PollInterval positive.");
        }
    }
}
