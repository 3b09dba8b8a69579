using System.Globalization;
using System.Text.Json;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// The payload fields facts use, read in one pass of the event's JSON (absent ones are empty or zero; "delta" counts
/// as a quantity). Text fields stay where they are in the payload's UTF-8 and are copied from there into the rows (one
/// the JSON escaped is unescaped into a scratch buffer), so a batch makes no strings; the reader is reused from event
/// to event (one per <see cref="FactRows"/>).
/// </summary>
internal sealed class FactPayload
{
    private byte[] json = [];
    private byte[] unescaped = new byte[256];
    private int unescapedLength;

    public Utf8Field OrderId { get; private set; }
    public Utf8Field CustomerId { get; private set; }
    public Utf8Field Currency { get; private set; }
    public Utf8Field Sku { get; private set; }
    public Utf8Field PaymentId { get; private set; }
    public Utf8Field CartId { get; private set; }
    public Utf8Field ShipmentId { get; private set; }
    public Utf8Field Carrier { get; private set; }
    public Utf8Field Status { get; private set; }
    public DateOnly? EstimatedDelivery { get; private set; }
    public DateTimeOffset? OccurredAt { get; private set; }
    public decimal Total { get; private set; }
    public decimal Amount { get; private set; }
    public int Quantity { get; private set; }
    public List<Line> Lines { get; } = [];

    /// <summary>A text field: a slice of the payload, or of the unescaped scratch buffer; the default is the empty text of an absent field.</summary>
    public readonly record struct Utf8Field(int Start, int Length, bool Unescaped = false);

    public readonly record struct Line(Utf8Field Sku, int Quantity, decimal UnitPrice);

    /// <summary>The field's UTF-8 bytes (valid until the next <see cref="Read"/>).</summary>
    public ReadOnlySpan<byte> Text(Utf8Field field) =>
        (field.Unescaped ? unescaped : json).AsSpan(field.Start, field.Length);

    public FactPayload Read(byte[] payload)
    {
        json = payload;
        unescapedLength = 0;
        Lines.Clear();
        (OrderId, CustomerId, Currency, Sku, PaymentId, CartId) = (default, default, default, default, default, default);
        (ShipmentId, Carrier, Status, EstimatedDelivery, OccurredAt) = (default, default, default, null, null);
        (Total, Amount, Quantity) = (0m, 0m, 0);
        var reader = new Utf8JsonReader(payload);
        reader.Read(); // the object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("lines"u8) && reader.TokenType == JsonTokenType.StartArray)
            {
                ReadLines(ref reader);
                continue;
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    SetText(name, ref reader);
                    break;
                case JsonTokenType.Number:
                    SetNumber(name, ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return this;
    }

    private Utf8Field Field(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) // the reader is over one array: its values are spans of it
        {
            return new Utf8Field((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length); // after the opening quote
        }
        if (unescaped.Length - unescapedLength < reader.ValueSpan.Length) // unescaping only shortens
        {
            Array.Resize(ref unescaped, Math.Max(unescaped.Length * 2, unescapedLength + reader.ValueSpan.Length));
        }
        var length = reader.CopyString(unescaped.AsSpan(unescapedLength));
        unescapedLength += length;
        return new Utf8Field(unescapedLength - length, length, Unescaped: true);
    }

    private void SetText(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (name.SequenceEqual("orderId"u8)) OrderId = Field(ref reader);
        else if (name.SequenceEqual("customerId"u8)) CustomerId = Field(ref reader);
        else if (name.SequenceEqual("currency"u8)) Currency = Field(ref reader);
        else if (name.SequenceEqual("sku"u8)) Sku = Field(ref reader);
        else if (name.SequenceEqual("paymentId"u8)) PaymentId = Field(ref reader);
        else if (name.SequenceEqual("cartId"u8)) CartId = Field(ref reader);
        else if (name.SequenceEqual("shipmentId"u8)) ShipmentId = Field(ref reader);
        else if (name.SequenceEqual("carrier"u8)) Carrier = Field(ref reader);
        else if (name.SequenceEqual("status"u8)) Status = Field(ref reader);
        else if (name.SequenceEqual("occurredAt"u8)) OccurredAt = reader.TryGetDateTimeOffset(out var at) ? at : null;
        else if (name.SequenceEqual("estimatedDelivery"u8)) EstimatedDelivery = Day(ref reader);
    }

    /// <summary>A "yyyy-MM-dd" day (only shipments' created events carry one, so making the string is no cost).</summary>
    private static DateOnly? Day(ref Utf8JsonReader reader) =>
        DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

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
            var (sku, quantity, price) = (default(Utf8Field), 0, 0m);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("sku"u8) && reader.TokenType == JsonTokenType.String) sku = Field(ref reader);
                else if (name.SequenceEqual("quantity"u8) && reader.TokenType == JsonTokenType.Number) quantity = Count(ref reader);
                else if (name.SequenceEqual("unitPrice"u8) && reader.TokenType == JsonTokenType.Number) price = Money(ref reader);
                else reader.Skip();
            }
            Lines.Add(new Line(sku, quantity, price));
        }
    }
}
