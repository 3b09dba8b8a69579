using System.Diagnostics.Metrics;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Puts a batch of the log into ClickHouse: its fact rows into the five tables (ClickHouse deduplicates by event id,
/// so a batch delivered again counts once), then the hours whose confirmed sales it held are marked for the roll-up.
/// The schema is created on first use.
/// </summary>
public sealed class ClickHouseDelivery(ClickHouseClient clickHouse, SalesRollup rollup, TimeProvider? clock = null) : IEventLogProjection
{
    /// <summary>The meter of the sink's metrics: fv.analytics.freshness (commit to queryable, s) and fv.analytics.events.</summary>
    public const string MeterName = "FirstViscount.Analytics";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Freshness = Meter.CreateHistogram<double>("fv.analytics.freshness", "s",
        "From an event's commit to its row being queryable in ClickHouse.");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("fv.analytics.events", "{event}", "Events delivered to ClickHouse.");

    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private volatile Task? schema;

    public SalesRollup Rollup => rollup;

    /// <summary>Inserts the batch, marks its sales hours, and counts it delivered.</summary>
    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var rows = FactRows.Of(events);
        await InsertAsync(rows, cancellationToken);
        await rollup.MarkDirtyAsync(rows.SalesHours, cancellationToken);
        if (rows.SalesHours.Any(rollup.IsSettled))
        {
            await rollup.RecomputeSettledAsync(cancellationToken); // late sales for a closed hour (a backlog, a replay): its roll-up now, not at the next tick
        }
        RecordDelivery(events);
    }

    /// <summary>The rows only (the caller marks the hours, e.g. with its own checkpoint).</summary>
    internal async Task InsertAsync(FactRows rows, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await Task.WhenAll(
            InsertAsync("fv_orders", FactRows.OrderColumns, rows.Orders, cancellationToken),
            InsertAsync("fv_order_lines", FactRows.LineColumns, rows.Lines, cancellationToken),
            InsertAsync("fv_inventory_movements", FactRows.MovementColumns, rows.Movements, cancellationToken),
            InsertAsync("fv_payments", FactRows.PaymentColumns, rows.Payments, cancellationToken),
            InsertAsync("fv_cart_activity", FactRows.CartColumns, rows.CartActivity, cancellationToken));
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

    private async Task InsertAsync(string table, IReadOnlyList<string> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count > 0)
        {
            await clickHouse.InsertAsync(table, columns, rows, cancellationToken);
        }
    }
}
