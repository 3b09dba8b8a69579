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
public sealed class AnalyticsSink(string name, IEventStore events, ClickHouseClient clickHouse, NpgsqlDataSource postgres, int batchSize = 10_000)
{
    /// <summary>Names the sink's checkpoint: sinks with the same name share their progress.</summary>
    public string Name { get; } = name;

    /// <summary>Moves one batch; returns how many events it carried (0: caught up).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var checkpoint = await LoadCheckpointAsync(cancellationToken);
        var page = await events.ReadAllAsync(checkpoint, batchSize, cancellationToken);
        if (page.Events.Count == 0)
        {
            return 0;
        }
        var rows = new FactRows();
        foreach (var recorded in page.Events)
        {
            rows.Add(recorded);
        }
        await InsertAsync("fv_orders", FactRows.OrderColumns, rows.Orders, cancellationToken);
        await InsertAsync("fv_order_lines", FactRows.LineColumns, rows.Lines, cancellationToken);
        await InsertAsync("fv_inventory_movements", FactRows.MovementColumns, rows.Movements, cancellationToken);
        await InsertAsync("fv_payments", FactRows.PaymentColumns, rows.Payments, cancellationToken);
        await SaveCheckpointAsync(page.Next, cancellationToken);
        return page.Events.Count;
    }

    /// <summary>Where the sink is; the start of the log if it never ran.</summary>
    public async Task<GlobalCheckpoint> LoadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("SELECT transaction_id, position FROM analytics_checkpoints WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GlobalCheckpoint(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCheckpoint.Start;
    }

    public async Task SaveCheckpointAsync(GlobalCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("""
            INSERT INTO analytics_checkpoints (name, transaction_id, position) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Name });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Position });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertAsync(string table, IReadOnlyList<string> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count > 0)
        {
            await clickHouse.InsertAsync(table, columns, rows, cancellationToken);
        }
    }
}
