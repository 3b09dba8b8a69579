using System.Text.Json;
using System.Text.Json.Serialization;
using FirstViscount.Commerce.Orders;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>One order in the order-history read model: the order as its grain folds it, at a version of its stream.</summary>
public sealed record OrderHistoryRow(string OrderId, OrderState State, long Version) : IStreamFoldedRow<OrderHistoryRow>
{
    public OrderHistoryRow AtVersion(long version) => this with { Version = version };

    public OrderView View => new(OrderId, State.CustomerId, State.Status, State.Lines, State.Total, State.Currency, State.CreatedAt, State.UpdatedAt, State.FailureReason);
}

/// <summary>
/// The order-history read model in PostgreSQL (order_history): each customer's orders, newest first, as
/// <c>GET /v1/orders</c> lists them, folded from the order streams with the order grain's own fold
/// (<see cref="OrderState.Apply"/>), so a row is what the grain answers once the stream has been delivered.
/// </summary>
public sealed class OrderHistory(NpgsqlDataSource dataSource, PostgresEventStore store, EventSerializer serializer, ILogger<OrderHistory>? logger = null)
    : StreamFoldedModel<OrderHistoryRow>(dataSource, store, logger)
{
    public const string ModelName = "order-history";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public override string Name => ModelName;

    protected override string Table => "order_history";

    protected override string StreamPrefix => "order-";

    protected override OrderHistoryRow Empty(string key) => new(key, new OrderState(), 0);

    /// <summary>Folds into the row's state in place: a row is loaded afresh for every fold, never shared.</summary>
    protected override OrderHistoryRow Apply(OrderHistoryRow row, RecordedEvent recorded)
    {
        row.State.Apply(serializer.Deserialize(recorded));
        return row.AtVersion(recorded.Version);
    }

    /// <summary>A customer's orders (only those in <paramref name="status"/> when given), newest first.</summary>
    public async Task<IReadOnlyList<OrderView>> OfCustomerAsync(string customerId, OrderStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT order_id, state, version FROM order_history
            WHERE customer_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, order_id DESC LIMIT $3 OFFSET $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = customerId });
        command.Parameters.Add(new NpgsqlParameter { Value = status?.ToString() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * pageSize });
        return [.. (await ReadRowsAsync(command, ReadRow, cancellationToken)).Select(row => row.View)];
    }

    /// <summary>Every row, in order-id order (to compare a rebuilt model with the live one).</summary>
    public async Task<IReadOnlyList<OrderView>> AllAsync(CancellationToken cancellationToken = default) =>
        [.. (await LoadAsync(null, cancellationToken)).Values.OrderBy(row => row.OrderId, StringComparer.Ordinal).Select(row => row.View)];

    protected override Task<Dictionary<string, OrderHistoryRow>> LoadAsync(string[]? orderIds, CancellationToken cancellationToken) =>
        LoadRowsAsync("SELECT order_id, state, version FROM order_history", "order_id", orderIds, ReadRow, cancellationToken);

    protected override async Task<HashSet<string>> WriteAsync(IReadOnlyList<(string Key, OrderHistoryRow Row, long Expected)> changes, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::bigint[], $7::bigint[])
                    AS i(order_id, customer_id, status, created_at, state, version, expected)
            ), updated AS (
                UPDATE order_history o SET status = i.status, state = i.state, version = i.version, updated_at = now()
                FROM input i WHERE o.order_id = i.order_id AND i.expected > 0 AND o.version = i.expected
                RETURNING o.order_id
            ), inserted AS (
                INSERT INTO order_history (order_id, customer_id, status, created_at, state, version)
                SELECT order_id, customer_id, status, created_at, state, version FROM input WHERE expected = 0
                ON CONFLICT (order_id) DO NOTHING
                RETURNING order_id
            )
            SELECT order_id FROM updated UNION ALL SELECT order_id FROM inserted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.State.CustomerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.State.Status.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.State.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => JsonSerializer.Serialize(c.Row.State, Json)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return await WrittenAsync(command, changes, cancellationToken);
    }

    private static OrderHistoryRow ReadRow(NpgsqlDataReader reader) => new(reader.GetString(0),
        JsonSerializer.Deserialize<OrderState>(reader.GetString(1), Json) ?? throw new InvalidDataException($"Order {reader.GetString(0)} has no state in order_history."),
        reader.GetInt64(2));
}
