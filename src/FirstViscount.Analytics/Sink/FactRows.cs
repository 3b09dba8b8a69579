using System.Text.Json;
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

    public TabSeparatedRows Orders { get; } = new();
    public TabSeparatedRows Lines { get; } = new();
    public TabSeparatedRows Movements { get; } = new();
    public TabSeparatedRows Payments { get; } = new();
    public TabSeparatedRows CartActivity { get; } = new();

    /// <summary>The hours (UTC) in which the batch has order events or created carts: their roll-ups (sales, funnel) must be recomputed.</summary>
    public HashSet<DateTime> RollupHours { get; } = [];

    public void Dispose()
    {
        Orders.Dispose();
        Lines.Dispose();
        Movements.Dispose();
        Payments.Dispose();
        CartActivity.Dispose();
    }

    public static FactRows Of(IReadOnlyList<RecordedEvent> events)
    {
        var rows = new FactRows();
        foreach (var recorded in events)
        {
            rows.Add(recorded);
        }
        return rows;
    }

    public void Add(RecordedEvent recorded)
    {
        var type = recorded.Type.AsSpan();
        var dot = type.IndexOf('.');
        var family = dot < 0 ? "" : type[..dot];
        var kind = type[(dot + 1)..];
        if (family is not ("order" or "inventory" or "payment" or "cart"))
        {
            return; // not an analytics fact (accounts, sagas, ...)
        }
        var at = recorded.RecordedAt;
        var e = Payload.Parse(recorded.Payload);
        if (family is "order")
        {
            var units = 0;
            foreach (var line in e.Lines)
            {
                units += line.Quantity;
            }
            Orders.Id(recorded.EventId).Number(recorded.Position).Text(e.OrderId).Text(e.CustomerId).Text(recorded.Type)
                .Number(units).Number(e.Total).Text(e.Currency).Time(at).EndRow();
            RollupHours.Add(SalesRollup.HourOf(at));
            if (kind is "confirmed")
            {
                for (var number = 0; number < e.Lines.Count; number++)
                {
                    var line = e.Lines[number];
                    Lines.Id(recorded.EventId).Number(number).Text(e.OrderId).Text(line.Sku).Number(line.Quantity)
                        .Number(line.UnitPrice).Number(line.Quantity * line.UnitPrice).Time(at).EndRow();
                }
            }
        }
        else if (family is "inventory")
        {
            Movements.Id(recorded.EventId).Text(e.Sku).Text(kind).Number(e.Quantity).Text(e.OrderId).Time(at).EndRow();
        }
        else if (family is "payment")
        {
            Payments.Id(recorded.EventId).Text(e.PaymentId).Text(e.OrderId).Text(kind).Number(e.Amount).Text(e.Currency).Time(at).EndRow();
        }
        else
        {
            CartActivity.Id(recorded.EventId).Text(e.CartId).Text(kind).Text(e.Sku).Number(e.Quantity).Time(at).EndRow();
            if (kind is "created")
            {
                RollupHours.Add(SalesRollup.HourOf(at));
            }
        }
    }

    private sealed record Line(string Sku, int Quantity, decimal UnitPrice);

    /// <summary>The payload fields facts use, read in one pass (absent ones are empty or zero; "delta" counts as a quantity).</summary>
    private sealed class Payload
    {
        public string OrderId { get; private set; } = "";
        public string CustomerId { get; private set; } = "";
        public string Currency { get; private set; } = "";
        public string Sku { get; private set; } = "";
        public string PaymentId { get; private set; } = "";
        public string CartId { get; private set; } = "";
        public decimal Total { get; private set; }
        public decimal Amount { get; private set; }
        public int Quantity { get; private set; }
        public List<Line> Lines { get; } = [];

        public static Payload Parse(byte[] json)
        {
            var payload = new Payload();
            var reader = new Utf8JsonReader(json);
            reader.Read(); // the object
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("lines"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    payload.ReadLines(ref reader);
                    continue;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        payload.SetText(name, ref reader);
                        break;
                    case JsonTokenType.Number:
                        payload.SetNumber(name, ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return payload;
        }

        private void SetText(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
        {
            if (name.SequenceEqual("orderId"u8)) OrderId = reader.GetString()!;
            else if (name.SequenceEqual("customerId"u8)) CustomerId = reader.GetString()!;
            else if (name.SequenceEqual("currency"u8)) Currency = reader.GetString()!;
            else if (name.SequenceEqual("sku"u8)) Sku = reader.GetString()!;
            else if (name.SequenceEqual("paymentId"u8)) PaymentId = reader.GetString()!;
            else if (name.SequenceEqual("cartId"u8)) CartId = reader.GetString()!;
        }

        private void SetNumber(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
        {
            if (name.SequenceEqual("total"u8)) Total = Money(ref reader);
            else if (name.SequenceEqual("amount"u8)) Amount = Money(ref reader);
            else if (name.SequenceEqual("quantity"u8) || (name.SequenceEqual("delta"u8) && Quantity == 0)) Quantity = Count(ref reader);
        }

        // A number that does not fit (a fractional quantity, an absurd amount) counts as 0 rather than stopping the sink.
        private static int Count(ref Utf8JsonReader reader) => reader.TryGetInt32(out var value) ? value : 0;

        private static decimal Money(ref Utf8JsonReader reader) => reader.TryGetDecimal(out var value) && Math.Abs(value) < 1e15m ? value : 0m;

        private void ReadLines(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var (sku, quantity, price) = ("", 0, 0m);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.ValueSpan;
                    reader.Read();
                    if (name.SequenceEqual("sku"u8) && reader.TokenType == JsonTokenType.String) sku = reader.GetString()!;
                    else if (name.SequenceEqual("quantity"u8) && reader.TokenType == JsonTokenType.Number) quantity = Count(ref reader);
                    else if (name.SequenceEqual("unitPrice"u8) && reader.TokenType == JsonTokenType.Number) price = Money(ref reader);
                    else reader.Skip();
                }
                Lines.Add(new Line(sku, quantity, price));
            }
        }
    }
}
