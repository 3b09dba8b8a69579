using System.Buffers;
using System.Globalization;
using System.Text;

namespace FirstViscount.Analytics.ClickHouse;

/// <summary>
/// Rows in ClickHouse's TabSeparated insert format, written as UTF-8 straight into a growing buffer: typed fields
/// (no boxing, no intermediate strings) separated by tabs, rows ended by newlines; tab, newline, carriage return,
/// NUL and backslash escaped in text. The buffer is what an insert sends (<see cref="ClickHouseClient.InsertAsync(string, IReadOnlyList{string}, IReadOnlyList{TabSeparatedRows}, CancellationToken)"/>).
/// It is rented from the shared array pool, because a sink's batches need buffers of hundreds of kilobytes, which
/// allocated afresh each time would be large-object-heap garbage; dispose the rows once they are sent to return it
/// (rows never disposed only miss the pool).
/// </summary>
public sealed class TabSeparatedRows(int initialBytes = 4096) : IDisposable
{
    private static readonly SearchValues<char> Specials = SearchValues.Create("\\\t\n\r\0");
    private static readonly SearchValues<byte> SpecialBytes = SearchValues.Create("\\\t\n\r\0"u8);

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
    private int written;
    private bool rowStarted;
    private readonly byte[] formattedTime = new byte[32];
    private int formattedTimeLength;
    private long formattedSecond = -1;

    /// <summary>How many rows have been ended.</summary>
    public int Count { get; private set; }

    /// <summary>The rows written so far (valid until the rows are disposed).</summary>
    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, written);

    /// <summary>Forgets the rows written, keeping the buffer for the next ones.</summary>
    public void Clear() => (written, Count, rowStarted) = (0, 0, false);

    /// <summary>Returns the buffer to the pool; the rows are empty afterwards.</summary>
    public void Dispose()
    {
        var rented = buffer;
        (buffer, written, Count) = ([], 0, 0);
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public TabSeparatedRows Text(string? value) => value is null ? Null() : Text(value.AsSpan());

    public TabSeparatedRows Text(ReadOnlySpan<char> text)
    {
        Separate();
        while (true)
        {
            var special = text.IndexOfAny(Specials);
            var plain = special < 0 ? text : text[..special];
            var bytes = Free(Encoding.UTF8.GetMaxByteCount(plain.Length));
            Advance(Encoding.UTF8.GetBytes(plain, bytes));
            if (special < 0)
            {
                return this;
            }
            Raw(Escaped(text[special]));
            text = text[(special + 1)..];
        }
    }

    /// <summary>Text already in UTF-8 (a slice of a JSON payload, say), copied with the same escaping.</summary>
    public TabSeparatedRows Text(ReadOnlySpan<byte> utf8)
    {
        Separate();
        while (true)
        {
            var special = utf8.IndexOfAny(SpecialBytes);
            Raw(special < 0 ? utf8 : utf8[..special]);
            if (special < 0)
            {
                return this;
            }
            Raw(Escaped((char)utf8[special]));
            utf8 = utf8[(special + 1)..];
        }
    }

    /// <summary>How TabSeparated writes one of the <see cref="Specials"/>.</summary>
    private static ReadOnlySpan<byte> Escaped(char special) =>
        special switch { '\\' => @"\\"u8, '\t' => @"\t"u8, '\n' => @"\n"u8, '\r' => @"\r"u8, _ => @"\0"u8 };

    public TabSeparatedRows Number(long value) => Formatted(value);

    public TabSeparatedRows Number(decimal value) => Formatted(value);

    public TabSeparatedRows Id(Guid value) => Formatted(value);

    /// <summary>A DateTime column's value: the UTC time to the second.</summary>
    public TabSeparatedRows Time(DateTimeOffset value) => Time(value.UtcDateTime);

    public TabSeparatedRows Time(DateTime value)
    {
        var utc = value.ToUniversalTime();
        var second = utc.Ticks / TimeSpan.TicksPerSecond;
        if (second != formattedSecond)
        {
            // Rows of a batch mostly share their second: it is formatted once (a custom format is slow), then copied.
            var written = utc.TryFormat(formattedTime, out var count, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            formattedTimeLength = written ? count : throw new FormatException($"{value} does not format as a ClickHouse time.");
            formattedSecond = second;
        }
        Separate();
        Raw(formattedTime.AsSpan(0, formattedTimeLength));
        return this;
    }

    public TabSeparatedRows Day(DateOnly value)
    {
        Separate();
        var written = value.TryFormat(Free(16), out var count, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Advance(written ? count : throw new FormatException($"{value} does not format as a ClickHouse date."));
        return this;
    }

    public TabSeparatedRows Flag(bool value)
    {
        Separate();
        Raw(value ? "1"u8 : "0"u8);
        return this;
    }

    public TabSeparatedRows Null()
    {
        Separate();
        Raw(@"\N"u8);
        return this;
    }

    /// <summary>A field of any supported type (strings, numbers, ids, times, dates, flags, null).</summary>
    public TabSeparatedRows Field(object? value) => value switch
    {
        null => Null(),
        string text => Text(text),
        bool flag => Flag(flag),
        DateTimeOffset moment => Time(moment),
        DateTime moment => Time(moment),
        DateOnly day => Day(day),
        Guid id => Id(id),
        decimal number => Number(number),
        IUtf8SpanFormattable number => Formatted(number), // the integers and floating-point numbers
        _ => throw new ArgumentException($"No ClickHouse TabSeparated form for {value.GetType().Name}.", nameof(value)),
    };

    public void EndRow()
    {
        Raw("\n"u8);
        rowStarted = false;
        Count++;
    }

    private TabSeparatedRows Formatted<T>(T value) where T : IUtf8SpanFormattable
    {
        Separate();
        for (var size = 64; ; size *= 2)
        {
            if (value.TryFormat(Free(size), out var count, default, CultureInfo.InvariantCulture))
            {
                Advance(count);
                return this;
            }
        }
    }

    private void Separate()
    {
        if (rowStarted)
        {
            Raw("\t"u8);
        }
        rowStarted = true;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Free(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>At least <paramref name="size"/> bytes after the written ones, growing (doubling) the buffer if needed.</summary>
    private Span<byte> Free(int size)
    {
        if (buffer.Length - written < size)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, written + size));
            buffer.AsSpan(0, written).CopyTo(larger);
            var old = buffer;
            buffer = larger;
            if (old.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(old);
            }
        }
        return buffer.AsSpan(written);
    }

    private void Advance(int count) => written += count;
}
