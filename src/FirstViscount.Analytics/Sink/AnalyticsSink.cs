using FirstViscount.Analytics.ClickHouse;
using FirstViscount.EventSourcing;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Copies the global event log into ClickHouse by reading it, with a checkpoint of its own: read a batch after the
/// checkpoint (only finished transactions, so a late commit is never skipped), insert its rows, then move the
/// checkpoint. A crash between insert and checkpoint re-delivers the batch, which the event-id deduplication absorbs.
/// The silos' sink is the stream consumer (<see cref="ClickHouseSinkGrain"/>); this is for replaying the log from
/// any point (firstviscount replay) and for loading ClickHouse in tests and benchmarks.
/// </summary>
public sealed class AnalyticsSink
{
    /// <summary>The name the silos' sales roll-up keeps its dirty hours under.</summary>
    public const string DefaultName = "clickhouse";

    private readonly IEventStore events;
    private readonly ClickHouseDelivery delivery;
    private readonly NpgsqlDataSource postgres;
    private readonly int batchSize;
    private (GlobalCheckpoint After, Task<Batch> Batch)? prefetched;

    public AnalyticsSink(string name, IEventStore events, ClickHouseClient clickHouse, NpgsqlDataSource postgres, int batchSize = 10_000, TimeProvider? clock = null)
    {
        Name = name;
        this.events = events;
        this.postgres = postgres;
        this.batchSize = batchSize;
        Clock = clock ?? TimeProvider.System;
        Rollup = new SalesRollup(name, clickHouse, postgres, Clock);
        delivery = new ClickHouseDelivery(clickHouse, Rollup, Clock);
    }

    /// <summary>Names the sink's checkpoint: sinks with the same name share their progress.</summary>
    public string Name { get; }

    public TimeProvider Clock { get; }

    /// <summary>The hourly sales roll-up this sink keeps.</summary>
    public SalesRollup Rollup { get; }

    /// <summary>Moves one batch, then recomputes closed hours' roll-ups; returns how many events it carried (0: caught up).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var checkpoint = await LoadCheckpointAsync(cancellationToken);
        var (page, rows) = await ReadAsync(checkpoint, cancellationToken);
        if (page.Events.Count > 0)
        {
            if (page.Events.Count == batchSize)
            {
                // Probably behind: read and transform the next batch while this one is inserted.
                var next = page.Next;
                prefetched = (next, Task.Run(() => ReadBatchAsync(next, CancellationToken.None)));
            }
            using (rows)
            {
                await delivery.InsertAsync([rows], cancellationToken);
                await CommitAsync(page.Next, rows.RollupHours, cancellationToken);
            }
            delivery.RecordDelivery(page.Events);
        }
        await Rollup.RecomputeSettledAsync(cancellationToken);
        return page.Events.Count;
    }

    /// <summary>
    /// Runs until the checkpoint is at the log's end as of the call (waiting while an open transaction holds the
    /// horizon back), reporting each batch's events; returns how many it carried.
    /// </summary>
    public async Task<long> CatchUpAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var (end, moved) = (await new Postgres.EventStore.PostgresEventStore(postgres).EndAsync(cancellationToken), 0L);
        while ((await LoadCheckpointAsync(cancellationToken)).CompareTo(end) < 0)
        {
            var count = await RunOnceAsync(cancellationToken);
            if (count == 0)
            {
                await Task.Delay(100, cancellationToken);
            }
            moved += count;
            progress?.Report(count);
        }
        return moved;
    }

    private sealed record Batch(GlobalPage Page, FactRows Rows);

    private async Task<Batch> ReadBatchAsync(GlobalCheckpoint after, CancellationToken cancellationToken)
    {
        var page = await events.ReadAllAsync(after, batchSize, cancellationToken);
        return new Batch(page, FactRows.Of(page.Events));
    }

    /// <summary>The batch after <paramref name="checkpoint"/>: the prefetched one if it was read from there, else a fresh read.</summary>
    private async Task<Batch> ReadAsync(GlobalCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var ahead = prefetched;
        prefetched = null;
        if (ahead is { } read && read.After == checkpoint)
        {
            try
            {
                return await read.Batch.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed read ahead is simply read again.
            }
        }
        else if (ahead is { } stale)
        {
            _ = stale.Batch.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, not needed
        }
        return await ReadBatchAsync(checkpoint, cancellationToken);
    }

    /// <summary>Where the sink is; the start of the log if it never ran.</summary>
    public async Task<GlobalCheckpoint> LoadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("SELECT transaction_id, position FROM analytics_checkpoints WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GlobalCheckpoint(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCheckpoint.Start;
    }

    public async Task SaveCheckpointAsync(GlobalCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        await CommitAsync(checkpoint, [], cancellationToken);

    /// <summary>Moves the checkpoint and marks the batch's sales hours dirty, atomically.</summary>
    private async Task CommitAsync(GlobalCheckpoint checkpoint, IReadOnlyCollection<DateTime> rollupHours, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Rollup.MarkDirtyAsync(connection, rollupHours, cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO analytics_checkpoints (name, transaction_id, position) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Name });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Position });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
