using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>A SKU at or below its reorder point, since when (GET /v1/inventory/alerts).</summary>
public sealed record InventoryAlert(string Sku, long Available, int ReorderPoint, DateTimeOffset Since);

/// <summary>
/// The inventory-levels read model in PostgreSQL (inventory_levels), folded from SKU ledgers as the event log's
/// streams deliver them. A write states the version it read; a SKU whose row moved meanwhile (a rebuild, a repeated
/// delivery) is read and folded again. A gap (the row is behind the batch's first event, e.g. after the table was
/// emptied) is filled from the SKU's stream, so the model heals itself from any state.
/// </summary>
public sealed class InventoryLevels(NpgsqlDataSource dataSource, PostgresEventStore store, EventSerializer serializer) : IEventLogProjection
{
    public const string Name = "inventory-levels";
    private const string StreamPrefix = "inventory-sku-";
    private const int MaxAttempts = 5;

    /// <summary>Folds the SKU events among <paramref name="events"/> (in log order) into the model.</summary>
    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var bySku = events.Where(e => e.StreamId.StartsWith(StreamPrefix, StringComparison.Ordinal))
            .GroupBy(e => e.StreamId[StreamPrefix.Length..]).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());
        for (var attempt = 1; bySku.Count > 0; attempt++)
        {
            var current = await LoadAsync([.. bySku.Keys], cancellationToken);
            var changes = new List<(InventoryLevel Level, long Expected)>();
            foreach (var (sku, ledger) in bySku)
            {
                var read = current.GetValueOrDefault(sku) ?? InventoryLevel.Empty(sku);
                if (ledger[0].Version is var firstDelivered && firstDelivered > read.Version + 1)
                {
                    var missing = await store.ReadStreamAsync(StreamPrefix + sku, read.Version, cancellationToken);
                    ledger.InsertRange(0, [.. missing.Where(e => e.Version < firstDelivered)]);
                }
                var level = read;
                foreach (var recorded in ledger.Where(e => e.Version > read.Version))
                {
                    level = level.Apply(recorded, serializer);
                }
                if (level.Version > read.Version)
                {
                    changes.Add((level, read.Version));
                }
            }
            var written = await WriteAsync(changes, cancellationToken);
            // Done: the SKUs written, and those with nothing newer than their row. Left: rows that moved since they were read.
            bySku = changes.Where(change => !written.Contains(change.Level.Sku)).ToDictionary(change => change.Level.Sku, change => bySku[change.Level.Sku]);
            if (bySku.Count > 0 && attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"The inventory-levels model kept changing under {bySku.Count} SKUs ({string.Join(", ", bySku.Keys.Take(5))}); the delivery is retried.");
            }
        }
    }

    /// <summary>SKUs at or below their reorder point, longest first.</summary>
    public async Task<IReadOnlyList<InventoryAlert>> AlertsAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
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

    /// <summary>Empties the model and folds the whole log into it again, reporting each page's events; returns the SKUs in the model.</summary>
    public async Task<long> RebuildAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using (var truncate = dataSource.CreateCommand("TRUNCATE inventory_levels"))
        {
            await truncate.ExecuteNonQueryAsync(cancellationToken);
        }
        await store.ReadToEndAsync(GlobalCheckpoint.Start, 10_000, async page =>
        {
            await ApplyAsync(page.Events, cancellationToken);
            progress?.Report(page.Events.Count);
        }, cancellationToken);
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM inventory_levels");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<Dictionary<string, InventoryLevel>> LoadAsync(string[]? skus, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT sku, on_hand, reserved, reorder_point, units_sold, low_since, version FROM inventory_levels{(skus is null ? "" : " WHERE sku = ANY($1)")}");
        if (skus is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = skus });
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var levels = new Dictionary<string, InventoryLevel>();
        while (await reader.ReadAsync(cancellationToken))
        {
            levels[reader.GetString(0)] = new InventoryLevel(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6));
        }
        return levels;
    }

    /// <summary>Writes the changes whose rows are still at the version they were read at; returns the SKUs written.</summary>
    private async Task<HashSet<string>> WriteAsync(List<(InventoryLevel Level, long Expected)> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return [];
        }
        await using var command = dataSource.CreateCommand("""
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
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.Sku).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.OnHand).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.Reserved).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.ReorderPoint).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.UnitsSold).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = changes.Select(c => c.Level.LowSince is { } since ? (object)since.UtcDateTime : DBNull.Value).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Level.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Expected).ToArray() });
        var written = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            written.Add(reader.GetString(0));
        }
        return written;
    }
}
