using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FirstViscount.Commerce.Catalog;

/// <summary>
/// How far a PostgreSQL streaming replica is behind its primary, measured in time: every poll notes the primary's
/// WAL position; the lag is how long ago the oldest noted position was that the replica has not replayed yet (zero
/// when it has replayed them all, even when the primary is idle). Reads go to the replica only while that lag keeps
/// them within the catalog's visibility rule (a price change shows within a second), else to the primary.
/// </summary>
public sealed partial class ReplicaLagMonitor
{
    public const string MeterName = "FirstViscount.Postgres";

    private const int MaxPendingSamples = 10_000;

    private readonly NpgsqlDataSource primary;
    private readonly ReplicaOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Queue<(long At, ulong Position)> pending = new();
    private long lagTicks = -1; // -1: not measurable
    private bool warned;

    public ReplicaLagMonitor(NpgsqlDataSource primary, NpgsqlDataSource replica, ReplicaOptions options, TimeProvider time, ILogger<ReplicaLagMonitor> logger, IMeterFactory? meters = null)
    {
        this.primary = primary;
        Replica = replica;
        this.options = options;
        this.time = time;
        this.logger = logger;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableGauge("firstviscount.postgres.replica.lag",
            () => Lag is { } current ? [new Measurement<double>(current.TotalSeconds)] : Array.Empty<Measurement<double>>(), "s",
            "How far the PostgreSQL replica is behind the primary (no value while it cannot be measured).");
    }

    public NpgsqlDataSource Replica { get; }

    /// <summary>The replica's lag at the last poll; null before the first or while either server does not answer.</summary>
    public TimeSpan? Lag => Interlocked.Read(ref lagTicks) is >= 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>
    /// Whether reads may go to the replica now. The measured lag can be short of the truth by a poll interval (a
    /// commit just before a sample), and the measurement ages by up to another until the next poll.
    /// </summary>
    public bool ServesReads => Lag is { } current && current + options.PollInterval * 2 <= options.MaxReadLag;

    /// <summary>Over the warning threshold (or not measurable): what the readiness check and the log say.</summary>
    public string? Warning => Lag switch
    {
        null => "the PostgreSQL replica cannot be measured (it or the primary does not answer); searches read from the primary",
        { } current when current > options.LagWarning => $"the PostgreSQL replica is {current.TotalSeconds:0.0} s behind the primary (warning over {options.LagWarning.TotalSeconds:0} s); searches read from the primary",
        _ => null,
    };

    /// <summary>The data source for a read that must show committed changes within the visibility rule.</summary>
    public NpgsqlDataSource ForReads(NpgsqlDataSource primaryForReads) => ServesReads ? Replica : primaryForReads;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            await PollAsync(cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>One measurement: the primary's position now, then how much of what was noted the replica has replayed.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetTimestamp();
            var position = await PositionAsync(primary, "SELECT pg_current_wal_lsn()", cancellationToken);
            if (pending.Count == 0 || position > pending.Last().Position)
            {
                if (pending.Count == MaxPendingSamples)
                {
                    pending.Dequeue(); // a replica stuck this long is far over any threshold anyway
                }
                pending.Enqueue((now, position));
            }
            var replayed = await PositionAsync(Replica, "SELECT pg_last_wal_replay_lsn()", cancellationToken);
            while (pending.Count > 0 && pending.Peek().Position <= replayed)
            {
                pending.Dequeue();
            }
            Record(pending.Count == 0 ? TimeSpan.Zero : time.GetElapsedTime(pending.Peek().At), null);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            pending.Clear();
            Record(null, error.Message);
        }
    }

    /// <summary>Keeps the measurement; logs once when the lag goes over the warning threshold (or cannot be measured) and once when it is back.</summary>
    private void Record(TimeSpan? measured, string? failure)
    {
        Interlocked.Exchange(ref lagTicks, measured?.Ticks ?? -1);
        var over = measured is not { } behind || behind > options.LagWarning;
        if (over && !warned)
        {
            if (measured is { } late)
            {
                LogLagging(logger, late.TotalSeconds, options.LagWarning.TotalSeconds);
            }
            else
            {
                LogUnmeasurable(logger, failure ?? "no answer");
            }
        }
        else if (!over && warned)
        {
            LogCaughtUp(logger);
        }
        warned = over;
    }

    private static async Task<ulong> PositionAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(cancellationToken) is NpgsqlTypes.NpgsqlLogSequenceNumber lsn
            ? (ulong)lsn
            : throw new TimeoutException("The server is not a streaming replica: pg_last_wal_replay_lsn() is null.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL replica is {Seconds:0.0} s behind the primary (warning over {Threshold:0} s); searches read from the primary until it catches up.")]
    private static partial void LogLagging(ILogger logger, double seconds, double threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "The PostgreSQL replica has caught up with the primary.")]
    private static partial void LogCaughtUp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL replica's lag cannot be measured ({Reason}); searches read from the primary.")]
    private static partial void LogUnmeasurable(ILogger logger, string reason);
}

/// <summary>Settings of the catalog's read replica (Postgres:Replica* in the silo's configuration).</summary>
public sealed class ReplicaOptions
{
    /// <summary>How often the lag is measured.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most a read may lag: a price change is visible in search within a second.</summary>
    public TimeSpan MaxReadLag { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lag over which the log and /health/ready warn.</summary>
    public TimeSpan LagWarning { get; set; } = TimeSpan.FromSeconds(30);
}
