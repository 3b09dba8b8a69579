namespace FirstViscount.Audit.Checks;

/// <summary>
/// Stock held for orders: once an order has finished and settled, none of its reservations is still held; a Confirmed
/// order's stock was committed (taken off the shelf), not only released.
/// </summary>
internal sealed class ReservationCheck : IAuditCheck
{
    public string Name => "reservations";

    public async Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var rows = await context.QueryAsync($"""
            WITH {AuditSql.Orders}, holds AS (
                SELECT payload->>'orderId' AS order_id, substr(stream_id, length('inventory-sku-') + 1) AS sku,
                       coalesce(sum({AuditSql.Number("quantity")}) FILTER (WHERE event_type = 'inventory.stock-reserved'), 0)
                     - coalesce(sum({AuditSql.Number("quantity")}) FILTER (WHERE event_type <> 'inventory.stock-reserved'), 0) AS held,
                       coalesce(sum({AuditSql.Number("quantity")}) FILTER (WHERE event_type = 'inventory.reservation-committed'), 0) AS committed
                FROM events
                WHERE stream_id LIKE 'inventory-sku-%'
                  AND event_type IN ('inventory.stock-reserved', 'inventory.reservation-released', 'inventory.reservation-committed')
                GROUP BY 1, 2
            )
            SELECT h.order_id, h.sku, o.status, h.held::bigint, h.committed::bigint
            FROM holds h JOIN orders o ON o.order_id = h.order_id
            WHERE o.status IN {AuditSql.Finished} AND o.last_at < $1
              AND (h.held <> 0 OR (o.status = 'order.confirmed' AND h.committed = 0))
            ORDER BY 1, 2
            """, reader => (Order: reader.GetString(0), Sku: reader.GetString(1), Status: reader.GetString(2), Held: reader.GetInt64(3), Committed: reader.GetInt64(4)),
            cancellationToken, context.SettledBefore);
        return [.. rows.Select(row => new AuditFinding(Name, $"{row.Order}/{row.Sku}", row.Held != 0
            ? $"the order is {row.Status["order.".Length..]} but {row.Held} of {row.Sku} are still held for it"
            : $"the order is confirmed but its stock of {row.Sku} was released, never committed"))];
    }
}
