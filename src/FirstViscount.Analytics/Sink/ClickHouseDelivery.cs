using System.Diagnostics.Metrics;
using System.Threading.Channels;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Puts batches of the log into ClickHouse: their fact rows into the five tables (ClickHouse deduplicates by event id,
/// so a batch delivered again counts once), then the hours whose confirmed sales they held are marked for the roll-up.
/// Batches that arrive together (the queues' consumers deliver concurrently) share one insert per table: a flush
/// takes whatever is waiting, so under load ClickHouse gets few large inserts instead of many small parts to merge,
/// and each batch is answered only once its flush has succeeded. The schema is created on first use.
/// </summary>
public sealed class ClickHouseDelivery(ClickHouseClient clickHouse, SalesRollup rollup, TimeProvider? clock = null) : IEventLogProjection
{
    /// <summary>The meter of the sink's metrics: fv.analytics.freshness (commit to queryable, s) and fv.analytics.events.</summary>
    public const string MeterName = "FirstViscount.Analytics";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Freshness = Meter.CreateHistogram<double>("fv.analytics.freshness", "s",
        "From an event's commit to its row being queryable in ClickHouse.");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("fv.analytics.events", "{event}", "Events delivered to ClickHouse.");

    /// <summary>A flush stops taking waiting batches once it holds this many events.</summary>
    private const int MaxEventsPerFlush = 100_000;

    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly Channel<(FactRows Rows, int Events, TaskCompletionSource Flushed)> waiting =
        Channel.CreateUnbounded<(FactRows, int, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock flusherLock = new();
    private Task? flusher;
    private volatile Task? schema;

    public SalesRollup Rollup => rollup;

    /// <summary>Inserts the batch (with whatever others wait), marks its sales hours, and counts it delivered.</summary>
    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await waiting.Writer.WriteAsync((FactRows.Of(events), events.Count, flushed), cancellationToken);
        EnsureFlusher();
        await flushed.Task.WaitAsync(cancellationToken);
        RecordDelivery(events);
    }

    private void EnsureFlusher()
    {
        lock (flusherLock)
        {
            flusher ??= Task.Run(FlushLoopAsync);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (await waiting.Reader.WaitToReadAsync())
        {
            var (batches, count, answers) = (new List<FactRows>(), 0, new List<TaskCompletionSource>());
            while (count < MaxEventsPerFlush && waiting.Reader.TryRead(out var batch))
            {
                batches.Add(batch.Rows);
                count += batch.Events;
                answers.Add(batch.Flushed);
            }
            try
            {
                await InsertAsync(batches, CancellationToken.None);
                var rollupHours = batches.SelectMany(rows => rows.RollupHours).ToHashSet();
                await rollup.MarkDirtyAsync(rollupHours);
                if (rollupHours.Any(rollup.IsSettled))
                {
                    await rollup.RecomputeSettledAsync(); // late sales for a closed hour (a backlog, a replay): its roll-up now, not at the next tick
                }
                answers.ForEach(answer => answer.TrySetResult());
            }
            catch (Exception error)
            {
                answers.ForEach(answer => answer.TrySetException(error)); // each delivery fails, and Orleans delivers it again
            }
            finally
            {
                batches.ForEach(rows => rows.Dispose());
            }
        }
    }

    /// <summary>The batches' rows only, one insert per table (the caller marks the hours, e.g. with its own checkpoint).</summary>
    internal async Task InsertAsync(IReadOnlyList<FactRows> batches, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await Task.WhenAll(
            InsertAsync("fv_orders", FactRows.OrderColumns, [.. batches.Select(rows => rows.Orders)], cancellationToken),
            InsertAsync("fv_order_lines", FactRows.LineColumns, [.. batches.Select(rows => rows.Lines)], cancellationToken),
            InsertAsync("fv_inventory_movements", FactRows.MovementColumns, [.. batches.Select(rows => rows.Movements)], cancellationToken),
            InsertAsync("fv_payments", FactRows.PaymentColumns, [.. batches.Select(rows => rows.Payments)], cancellationToken),
            InsertAsync("fv_cart_activity", FactRows.CartColumns, [.. batches.Select(rows => rows.CartActivity)], cancellationToken),
            InsertAsync("fv_shipments", FactRows.ShipmentColumns, [.. batches.Select(rows => rows.Shipments)], cancellationToken));
    }

    internal void RecordDelivery(IReadOnlyList<RecordedEvent> delivered)
    {
        Delivered.Add(delivered.Count);
        if (Freshness.Enabled)
        {
            var now = time.GetUtcNow();
            foreach (var recorded in delivered)
            {
                Freshness.Record((now - recorded.RecordedAt).TotalSeconds);
            }
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var creating = schema ??= ClickHouseSchema.EnsureAsync(clickHouse, CancellationToken.None);
        try
        {
            await creating.WaitAsync(cancellationToken);
        }
        catch (ClickHouseException)
        {
            schema = null; // ClickHouse was down: the next batch tries again
            throw;
        }
    }

    private async Task InsertAsync(string table, IReadOnlyList<string> columns, List<TabSeparatedRows> parts, CancellationToken cancellationToken)
    {
        if (parts.Any(rows => rows.Count > 0))
        {
            await clickHouse.InsertAsync(table, columns, parts, cancellationToken);
        }
    }
}
