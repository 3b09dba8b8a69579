using FirstViscount.Analytics.ClickHouse;
using FirstViscount.EventSourcing;

namespace FirstViscount.Analytics.Sink;

/// <summary>Turns stored events into fact-table rows (each row carries its event id for deduplication); dispose them once inserted.</summary>
internal sealed class FactRows : IDisposable
{
    public static readonly string[] OrderColumns = ["event_id", "position", "order_id", "customer_id", "event_type", "units", "total", "currency", "occurred_at"];
    public static readonly string[] LineColumns = ["event_id", "line_no", "order_id", "sku", "quantity", "unit_price", "line_total", "occurred_at"];
    public static readonly string[] MovementColumns = ["event_id", "sku", "kind", "quantity", "order_id", "occurred_at"];
    public static readonly string[] PaymentColumns = ["event_id", "payment_id", "order_id", "kind", "amount", "currency", "occurred_at"];
    public static readonly string[] CartColumns = ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"];
    public static readonly string[] ShipmentColumns = ["event_id", "shipment_id", "kind", "carrier", "status", "estimated_delivery", "reported_at", "occurred_at"];

    /// <summary>The Date of a row that has none (ClickHouse's Date has no null without Nullable).</summary>
    private static readonly DateOnly NoDay = new(1970, 1, 1);

    private readonly FactPayload payload = new();

    public TabSeparatedRows Orders { get; } = new();
    public TabSeparatedRows Lines { get; } = new();
    public TabSeparatedRows Movements { get; } = new();
    public TabSeparatedRows Payments { get; } = new();
    public TabSeparatedRows CartActivity { get; } = new();
    public TabSeparatedRows Shipments { get; } = new();

    /// <summary>The hours (UTC) in which the batch has order events or created carts: their roll-ups (sales, funnel) must be recomputed.</summary>
    public HashSet<DateTime> RollupHours { get; } = [];

    public static FactRows Of(IReadOnlyList<RecordedEvent> events)
    {
        var rows = new FactRows();
        foreach (var recorded in events)
        {
            rows.Add(recorded);
        }
        return rows;
    }

    public void Dispose()
    {
        Orders.Dispose();
        Lines.Dispose();
        Movements.Dispose();
        Payments.Dispose();
        CartActivity.Dispose();
        Shipments.Dispose();
    }

    public void Add(RecordedEvent recorded)
    {
        var type = recorded.Type.AsSpan();
        var dot = type.IndexOf('.');
        var family = dot < 0 ? "" : type[..dot];
        var kind = type[(dot + 1)..];
        if (family is not ("order" or "inventory" or "payment" or "cart" or "shipment"))
        {
            return; // not an analytics fact (accounts, sagas, ...)
        }
        var at = recorded.RecordedAt;
        var e = payload.Read(recorded.Payload);
        if (family is "order")
        {
            var units = 0;
            foreach (var line in e.Lines)
            {
                units += line.Quantity;
            }
            Orders.Id(recorded.EventId).Number(recorded.Position).Text(e.Text(e.OrderId)).Text(e.Text(e.CustomerId)).Text(recorded.Type)
                .Number(units).Number(e.Total).Text(e.Text(e.Currency)).Time(at).EndRow();
            RollupHours.Add(SalesRollup.HourOf(at));
            if (kind is "confirmed")
            {
                for (var number = 0; number < e.Lines.Count; number++)
                {
                    var line = e.Lines[number];
                    Lines.Id(recorded.EventId).Number(number).Text(e.Text(e.OrderId)).Text(e.Text(line.Sku)).Number(line.Quantity)
                        .Number(line.UnitPrice).Number(line.Quantity * line.UnitPrice).Time(at).EndRow();
                }
            }
        }
        else if (family is "inventory")
        {
            Movements.Id(recorded.EventId).Text(e.Text(e.Sku)).Text(kind).Number(e.Quantity).Text(e.Text(e.OrderId)).Time(at).EndRow();
        }
        else if (family is "payment")
        {
            Payments.Id(recorded.EventId).Text(e.Text(e.PaymentId)).Text(e.Text(e.OrderId)).Text(kind).Number(e.Amount).Text(e.Text(e.Currency)).Time(at).EndRow();
        }
        else if (family is "shipment")
        {
            Shipments.Id(recorded.EventId).Text(e.Text(e.ShipmentId)).Text(kind).Text(e.Text(e.Carrier)).Text(e.Text(e.Status))
                .Day(e.EstimatedDelivery ?? NoDay).Time(e.OccurredAt ?? at).Time(at).EndRow();
        }
        else
        {
            CartActivity.Id(recorded.EventId).Text(e.Text(e.CartId)).Text(kind).Text(e.Text(e.Sku)).Number(e.Quantity).Time(at).EndRow();
            if (kind is "created")
            {
                RollupHours.Add(SalesRollup.HourOf(at));
            }
        }
    }
}
