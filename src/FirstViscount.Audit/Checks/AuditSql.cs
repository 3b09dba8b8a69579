namespace FirstViscount.Audit.Checks;

/// <summary>SQL the checks share.</summary>
internal static class AuditSql
{
    /// <summary>
    /// Whether event <c>e</c> has been delivered by the stream provider: it is at or before the checkpoint <c>c</c> of its
    /// queue (the query joins <c>stream_checkpoints c</c> on the event's partition).
    /// </summary>
    public const string Delivered = "coalesce((e.transaction_id, e.position) <= (c.transaction_id, c.position), false)";

    /// <summary>The statuses after which an order's saga has nothing left to do.</summary>
    public const string Finished = "('order.confirmed', 'order.failed', 'order.cancelled')";

    /// <summary>
    /// A CTE named orders: order_id, status (the type of its newest checkout event, e.g. order.confirmed), total (as
    /// placed) and last_at (its newest event's time). Shipped and delivered follow a confirmed order, so for the money
    /// and the stock such an order is still order.confirmed.
    /// </summary>
    public static readonly string Orders = $"""
        orders AS (
            SELECT substr(stream_id, length('order-') + 1) AS order_id,
                   (array_agg(event_type ORDER BY version DESC) FILTER (WHERE event_type NOT IN ('order.shipped', 'order.delivered')))[1] AS status,
                   min({Number("total")}) FILTER (WHERE event_type = 'order.placed') AS total,
                   max(recorded_at) AS last_at
            FROM events WHERE stream_id LIKE 'order-%'
            GROUP BY stream_id
        )
        """;

    /// <summary>
    /// The numeric field <paramref name="name"/> of the JSON object <paramref name="json"/>, NULL when it is not a number:
    /// a malformed event must not stop the audit (the grain and the sink read it as nothing too).
    /// </summary>
    public static string Number(string name, string json = "payload") =>
        $"(CASE WHEN jsonb_typeof({json}->'{name}') = 'number' THEN ({json}->'{name}')::numeric END)";
}
