using System.Text.Json;
using FirstViscount.Commerce.Delivery;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>One shipment in the shipments read model: as its grain folds it, at a version of its stream, since its first event.</summary>
public sealed record ShipmentListRow(string ShipmentId, ShipmentState State, long Version, DateTimeOffset CreatedAt) : IStreamFoldedRow<ShipmentListRow>
{
    public ShipmentListRow AtVersion(long version) => this with { Version = version };
}

/// <summary>
/// The shipments read model in PostgreSQL (shipment_list): every shipment, newest first, by status or all, as
/// <c>GET /v1/admin/shipments</c> lists them, folded from the shipment streams with the grain's own fold
/// (<see cref="ShipmentState.Apply"/>).
/// </summary>
public sealed class ShipmentList(NpgsqlDataSource dataSource, PostgresEventStore store, EventSerializer serializer, ILogger<ShipmentList>? logger = null)
    : StreamFoldedModel<ShipmentListRow>(dataSource, store, logger)
{
    public const string ModelName = "shipments";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override string Name => ModelName;

    protected override string Table => "shipment_list";

    protected override string StreamPrefix => "shipment-";

    protected override ShipmentListRow Empty(string key) => new(key, new ShipmentState(), 0, default);

    /// <summary>Folds into the row's state in place: a row is loaded afresh for every fold, never shared.</summary>
    protected override ShipmentListRow Apply(ShipmentListRow row, RecordedEvent recorded)
    {
        row.State.Apply(serializer.Deserialize(recorded));
        return row with { Version = recorded.Version, CreatedAt = row.Version == 0 ? recorded.RecordedAt : row.CreatedAt };
    }

    /// <summary>Shipments (only those in <paramref name="status"/> when given), newest first.</summary>
    public async Task<IReadOnlyList<ShipmentView>> PageAsync(ShipmentStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT shipment_id, state, version, created_at FROM shipment_list
            WHERE $1::text IS NULL OR status = $1
            ORDER BY created_at DESC, shipment_id DESC LIMIT $2 OFFSET $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = status?.ToString() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * pageSize });
        return [.. (await ReadRowsAsync(command, ReadRow, cancellationToken)).Where(row => row.State.Exists).Select(row => row.State.View(row.ShipmentId))];
    }

    protected override Task<Dictionary<string, ShipmentListRow>> LoadAsync(string[]? shipmentIds, CancellationToken cancellationToken) =>
        LoadRowsAsync("SELECT shipment_id, state, version, created_at FROM shipment_list", "shipment_id", shipmentIds, ReadRow, cancellationToken);

    protected override async Task<HashSet<string>> WriteAsync(IReadOnlyList<(string Key, ShipmentListRow Row, long Expected)> changes, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::bigint[], $6::bigint[])
                    AS i(shipment_id, status, created_at, state, version, expected)
            ), updated AS (
                UPDATE shipment_list s SET status = i.status, state = i.state, version = i.version, updated_at = now()
                FROM input i WHERE s.shipment_id = i.shipment_id AND i.expected > 0 AND s.version = i.expected
                RETURNING s.shipment_id
            ), inserted AS (
                INSERT INTO shipment_list (shipment_id, status, created_at, state, version)
                SELECT shipment_id, status, created_at, state, version FROM input WHERE expected = 0
                ON CONFLICT (shipment_id) DO NOTHING
                RETURNING shipment_id
            )
            SELECT shipment_id FROM updated UNION ALL SELECT shipment_id FROM inserted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.State.Status.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => JsonSerializer.Serialize(c.Row.State, Json)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return await WrittenAsync(command, changes, cancellationToken);
    }

    private static ShipmentListRow ReadRow(NpgsqlDataReader reader) => new(reader.GetString(0),
        JsonSerializer.Deserialize<ShipmentState>(reader.GetString(1), Json) ?? throw new InvalidDataException($"Shipment {reader.GetString(0)} has no state in shipment_list."),
        reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3));
}
