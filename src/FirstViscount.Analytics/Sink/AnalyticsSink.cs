using System.Diagnostics.Metrics;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.EventSourcing;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Streams the global event log into ClickHouse: read a batch after the checkpoint (only finished transactions,
/// so a late commit is never skipped), insert its rows, then move the checkpoint. A crash between insert and
/// checkpoint re-delivers the batch, which the event-id deduplication absorbs: counts stay exact.
/// </summary>
public sealed class AnalyticsSink
{
    /// <summary>The sink the silo runs, unless configured otherwise.</summary>
    public const string DefaultName = "clickhouse";

    /// <summary>The meter of the sink's metrics: fv.analytics.freshness (commit to queryable, s) and fv.analytics.events.</summary>
    public const string MeterName = "FirstViscount.Analytics";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Freshness = Meter.CreateHistogram<double>("fv.analytics.freshness", "s",
        "From an event's commit to its row being queryable in ClickHouse.");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("fv.analytics.events", "{event}", "Events delivered to ClickHouse.");

    private readonly IEventStore events;
    private readonly ClickHouseClient clickHouse;
    private readonly NpgsqlDataSource postgres;
    private readonly int batchSize;
    private (GlobalCheckpoint After, Task<Batch> Batch)? prefetched;

    public AnalyticsSink(string name, IEventStore events, ClickHouseClient clickHouse, NpgsqlDataSource postgres, int batchSize = 10_000, TimeProvider? clock = null)
    {
        Name = name;
        this.events = events;
        this.clickHouse = clickHouse;
        this.postgres = postgres;
        this.batchSize = batchSize;
        Clock = clock ?? TimeProvider.System;
        Rollup = new SalesRollup(name, clickHouse, postgres, Clock, TimeSpan.FromMinutes(2));
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
            await Task.WhenAll(
                InsertAsync("fv_orders", FactRows.OrderColumns, rows.Orders, cancellationToken),
                InsertAsync("fv_order_lines", FactRows.LineColumns, rows.Lines, cancellationToken),
                InsertAsync("fv_inventory_movements", FactRows.MovementColumns, rows.Movements, cancellationToken),
                InsertAsync("fv_payments", FactRows.PaymentColumns, rows.Payments, cancellationToken),
                InsertAsync("fv_cart_activity", FactRows.CartColumns, rows.CartActivity, cancellationToken));
            await CommitAsync(page.Next, rows.SalesHours, cancellationToken);
            RecordDelivery(page.Events);
        }
        await Rollup.RecomputeSettledAsync(cancellationToken);
        return page.Events.Count;
    }

    private sealed record Batch(GlobalPage Page, FactRows Rows);

    private async Task<Batch> ReadBatchAsync(GlobalCheckpoint after, CancellationToken cancellationToken)
    {
        var page = await events.ReadAllAsync(after, batchSize, cancellationToken);
        var rows = new FactRows();
        foreach (var recorded in page.Events)
        {
            rows.Add(recorded);
        }
        return new Batch(page, rows);
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
    private async Task CommitAsync(GlobalCheckpoint checkpoint, IReadOnlyCollection<DateTime> salesHours, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Rollup.MarkDirtyAsync(connection, salesHours, cancellationToken);
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

    private void RecordDelivery(IReadOnlyList<RecordedEvent> delivered)
    {
        Delivered.Add(delivered.Count);
        if (Freshness.Enabled)
        {
            var now = Clock.GetUtcNow();
            foreach (var recorded in delivered)
            {
                Freshness.Record((now - recorded.RecordedAt).TotalSeconds);
            }
        }
    }

    private async Task InsertAsync(string table, IReadOnlyList<string> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count > 0)
        {
            await clickHouse.InsertAsync(table, columns, rows, cancellationToken);
        }
    }
}
