namespace FirstViscount.Postgres.Streams;

/// <summary>Options of an event-log stream provider (<see cref="EventLogStreamsSiloBuilderExtensions.AddEventLogStreams"/>).</summary>
public sealed class EventLogStreamOptions
{
    /// <summary>
    /// The most events one read of a queue returns, and so one delivery carries (default 10,000). A queue stops reading
    /// while two batches wait for its slowest consumer, so this also bounds its memory: under a backlog about 2 × this
    /// many events per queue the silo owns (16 queues: some 200 MB in one silo). Large batches are what make a backlog
    /// cheap: the sink bench moves 400,000 events at 120-130k/s with 10,000, 101-104k/s with 5,000, 89-91k/s with 2,000.
    /// A quiet log is read in whatever it has, so this does not delay events.
    /// </summary>
    public int BatchSize { get; set; } = 10_000;

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
