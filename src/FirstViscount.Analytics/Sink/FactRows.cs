using System.Text.Json;
using FirstViscount.EventSourcing;

namespace FirstViscount.Analytics.Sink;

/// <summary>Turns stored events into fact-table rows (each row carries its event id for deduplication).</summary>
internal sealed class FactRows
{
    public static readonly string[] OrderColumns = ["event_id", "position", "order_id", "customer_id", "event_type", "units", "total", "currency", "occurred_at"];
    public static readonly string[] LineColumns = ["event_id", "line_no", "order_id", "sku", "quantity", "unit_price", "line_total", "occurred_at"];
    public static readonly string[] MovementColumns = ["event_id", "sku", "kind", "quantity", "order_id", "occurred_at"];
    public static readonly string[] PaymentColumns = ["event_id", "payment_id", "order_id", "kind", "amount", "currency", "occurred_at"];
    public static readonly string[] CartColumns = ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"];

    public List<object?[]> Orders { get; } = [];
    public List<object?[]> Lines { get; } = [];
    public List<object?[]> Movements { get; } = [];
    public List<object?[]> Payments { get; } = [];
    public List<object?[]> CartActivity { get; } = [];

    /// <summary>The hours (UTC) in which the batch confirmed orders: their sales roll-ups must be recomputed.</summary>
    public HashSet<DateTime> SalesHours { get; } = [];

    public void Add(RecordedEvent recorded)
    {
        using var document = JsonDocument.Parse(recorded.Payload);
        var e = document.RootElement;
        var at = recorded.RecordedAt;
        var kind = recorded.Type[(recorded.Type.IndexOf('.') + 1)..];
        switch (recorded.Type.Split('.')[0])
        {
            case "order":
                var lines = e.TryGetProperty("lines", out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToList() : [];
                var units = lines.Sum(line => line.GetProperty("quantity").GetInt32());
                Orders.Add([recorded.EventId, recorded.Position, Text(e, "orderId"), Text(e, "customerId"), recorded.Type, units, Money(e, "total"), Text(e, "currency"), at]);
                if (recorded.Type == "order.confirmed")
                {
                    SalesHours.Add(SalesRollup.HourOf(at));
                    for (var number = 0; number < lines.Count; number++)
                    {
                        var line = lines[number];
                        var quantity = line.GetProperty("quantity").GetInt32();
                        var price = line.GetProperty("unitPrice").GetDecimal();
                        Lines.Add([recorded.EventId, (ushort)number, Text(e, "orderId"), Text(line, "sku"), quantity, price, quantity * price, at]);
                    }
                }
                break;
            case "inventory":
                Movements.Add([recorded.EventId, Text(e, "sku"), kind, Quantity(e), Text(e, "orderId"), at]);
                break;
            case "payment":
                Payments.Add([recorded.EventId, Text(e, "paymentId"), Text(e, "orderId"), kind, Money(e, "amount"), Text(e, "currency"), at]);
                break;
            case "cart":
                CartActivity.Add([recorded.EventId, Text(e, "cartId"), kind, Text(e, "sku"), Quantity(e), at]);
                break;
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static decimal Money(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : 0m;

    private static int Quantity(JsonElement element) =>
        element.TryGetProperty("quantity", out var quantity) && quantity.ValueKind == JsonValueKind.Number ? quantity.GetInt32()
        : element.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Number ? delta.GetInt32()
        : 0;
}
