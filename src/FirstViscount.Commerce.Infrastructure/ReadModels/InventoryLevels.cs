using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>A SKU at or below its reorder point, since when (GET /v1/inventory/alerts).</summary>
public sealed record InventoryAlert(string Sku, long Available, int ReorderPoint, DateTimeOffset Since);

/// <summary>
/// The inventory-levels read model in PostgreSQL (inventory_levels): per SKU, its stock as its ledger says, the units it
/// has sold, and since when it has been at or below its reorder point; folded from the SKU ledgers.
/// </summary>
public sealed class InventoryLevels(NpgsqlDataSource dataSource, PostgresEventStore store, EventSerializer serializer, ILogger<InventoryLevels>? logger = null)
    : StreamFoldedModel<InventoryLevel>(dataSource, store, logger)
{
    public const string ModelName = "inventory-levels";

    public override string Name => ModelName;

    protected override string Table => "inventory_levels";

    protected override string StreamPrefix => "inventory-sku-";

    protected override InventoryLevel Empty(string key) => InventoryLevel.Empty(key);

    protected override InventoryLevel Apply(InventoryLevel row, RecordedEvent recorded) => row.Apply(recorded, serializer);

    /// <summary>SKUs at or below their reorder point, longest first.</summary>
    public async Task<IReadOnlyList<InventoryAlert>> AlertsAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT sku, on_hand - reserved, reorder_point, low_since FROM inventory_levels
            WHERE low_since IS NOT NULL ORDER BY low_since, sku LIMIT $1 OFFSET $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * pageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var alerts = new List<InventoryAlert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new InventoryAlert(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return alerts;
    }

    /// <summary>Every row, in SKU order (to compare a rebuilt model with the live one).</summary>
    public async Task<IReadOnlyList<InventoryLevel>> AllAsync(CancellationToken cancellationToken = default) =>
        [.. (await LoadAsync(null, cancellationToken)).Values.OrderBy(level => level.Sku, StringComparer.Ordinal)];

    protected override Task<Dictionary<string, InventoryLevel>> LoadAsync(string[]? skus, CancellationToken cancellationToken) =>
        LoadRowsAsync("SELECT sku, on_hand, reserved, reorder_point, units_sold, low_since, version FROM inventory_levels", "sku", skus,
            reader => new InventoryLevel(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6)), cancellationToken);

    protected override async Task<HashSet<string>> WriteAsync(IReadOnlyList<(string Key, InventoryLevel Row, long Expected)> changes, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::integer[], $5::bigint[], $6::timestamptz[], $7::bigint[], $8::bigint[])
                    AS i(sku, on_hand, reserved, reorder_point, units_sold, low_since, version, expected)
            ), updated AS (
                UPDATE inventory_levels l SET on_hand = i.on_hand, reserved = i.reserved, reorder_point = i.reorder_point, units_sold = i.units_sold,
                       low_since = i.low_since, version = i.version, updated_at = now()
                FROM input i WHERE l.sku = i.sku AND i.expected > 0 AND l.version = i.expected
                RETURNING l.sku
            ), inserted AS (
                INSERT INTO inventory_levels (sku, on_hand, reserved, reorder_point, units_sold, low_since, version)
                SELECT sku, on_hand, reserved, reorder_point, units_sold, low_since, version FROM input WHERE expected = 0
                ON CONFLICT (sku) DO NOTHING
                RETURNING sku
            )
            SELECT sku FROM updated UNION ALL SELECT sku FROM inserted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.Sku).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.OnHand).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.Reserved).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.ReorderPoint).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.UnitsSold).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = changes.Select(c => c.Row.LowSince is { } since ? (object)since.UtcDateTime : DBNull.Value).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        return await WrittenAsync(command, changes, cancellationToken);
    }
}
