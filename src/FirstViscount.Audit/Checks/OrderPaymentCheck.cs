using System.Globalization;

namespace FirstViscount.Audit.Checks;

/// <summary>
/// Money: every Confirmed order has exactly one captured payment, of its total, not refunded; and no payment stays
/// captured (and not refunded) without a Confirmed order once both have settled.
/// </summary>
internal sealed class OrderPaymentCheck : IAuditCheck
{
    public string Name => "orders-payments";

    public async Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var rows = await context.QueryAsync($"""
            WITH {AuditSql.Orders}, payments AS (
                SELECT payload->>'orderId' AS order_id,
                       count(*) FILTER (WHERE event_type = 'payment.captured') AS captures,
                       coalesce(sum({AuditSql.Number("amount")}) FILTER (WHERE event_type = 'payment.captured'), 0) AS captured,
                       count(*) FILTER (WHERE event_type = 'payment.refunded') AS refunds,
                       max(recorded_at) AS last_at
                FROM events WHERE stream_id LIKE 'payment-%' AND payload ? 'orderId'
                GROUP BY 1
            )
            SELECT coalesce(o.order_id, p.order_id), o.status, o.total, coalesce(p.captures, 0), coalesce(p.captured, 0), coalesce(p.refunds, 0)
            FROM orders o FULL JOIN payments p ON p.order_id = o.order_id
            WHERE (o.status = 'order.confirmed' AND (coalesce(p.captures, 0) <> 1 OR p.captured <> o.total OR p.refunds > 0))
               OR (p.captures > 0 AND p.refunds = 0 AND o.status IS DISTINCT FROM 'order.confirmed'
                   AND greatest(o.last_at, p.last_at) < $1)
            ORDER BY 1
            """, reader => (Order: reader.GetString(0), Status: reader.IsDBNull(1) ? null : reader.GetString(1), Total: reader.IsDBNull(2) ? 0m : reader.GetDecimal(2),
                Captures: reader.GetInt64(3), Captured: reader.GetDecimal(4), Refunds: reader.GetInt64(5)), cancellationToken, context.SettledBefore);
        return [.. rows.Select(row => new AuditFinding(Name, row.Order, row switch
        {
            { Status: null } => $"a payment of {Money(row.Captured)} is captured for an order that does not exist",
            { Status: not "order.confirmed" } => $"the order is {Status(row.Status)} but its payment of {Money(row.Captured)} is captured and not refunded",
            { Captures: 0 } => "the order is Confirmed without a captured payment",
            { Captures: > 1 } => $"the order is Confirmed and its payment was captured {row.Captures} times ({Money(row.Captured)} for a total of {Money(row.Total)})",
            { Refunds: > 0 } => "the order is Confirmed but its payment was refunded",
            _ => $"the order is Confirmed for {Money(row.Total)} but {Money(row.Captured)} was captured",
        }))];
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Status(string eventType) => eventType["order.".Length..] switch
    {
        "placed" => "Pending",
        var status => char.ToUpperInvariant(status[0]) + status[1..],
    };
}
