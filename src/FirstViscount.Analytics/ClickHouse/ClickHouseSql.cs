using System.Globalization;
using System.Text;

namespace FirstViscount.Analytics.ClickHouse;

/// <summary>
/// Values as ClickHouse literals. ClickHouse 18.16 has no server-side query parameters, so every value that
/// reaches SQL goes through <see cref="Format"/>, which escapes it; SQL is never concatenated from input.
/// </summary>
public static class ClickHouseSql
{
    /// <summary>Formats <paramref name="template"/> ({0}, {1}, …) with each argument as a literal.</summary>
    public static string Format(string template, params object?[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, template, [.. arguments.Select(Literal)]);

    public static string Literal(object? value) => value switch
    {
        null => "NULL",
        string text => Quote(text),
        bool flag => flag ? "1" : "0",
        DateTimeOffset moment => $"toDateTime('{moment.UtcDateTime:yyyy-MM-dd HH:mm:ss}', 'UTC')",
        DateTime moment => $"toDateTime('{moment.ToUniversalTime():yyyy-MM-dd HH:mm:ss}', 'UTC')",
        DateOnly day => $"toDate('{day:yyyy-MM-dd}')",
        Guid id => $"toUUID('{id:D}')",
        decimal or double or float or int or long or short or byte or uint or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"No ClickHouse literal for {value.GetType().Name}.", nameof(value)),
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '\0' => @"\0",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ => c.ToString(),
            });
        }
        return quoted.Append('\'').ToString();
    }

    /// <summary>
    /// Writes a value as a TabSeparated field (the insert format): tab, newline and backslash escaped; numbers,
    /// times and ids formatted straight into <paramref name="scratch"/> (64 chars) so the hot path allocates nothing.
    /// </summary>
    public static void WriteTabField(TextWriter writer, object? value, char[] scratch)
    {
        switch (value)
        {
            case null:
                writer.Write(@"\N");
                break;
            case string text:
                writer.Write(text.AsSpan().IndexOfAny(TabSpecials) < 0 ? text : Escape(text));
                break;
            case bool flag:
                writer.Write(flag ? '1' : '0');
                break;
            case DateTimeOffset moment:
                WriteFormatted(writer, moment.UtcDateTime, "yyyy-MM-dd HH:mm:ss", scratch);
                break;
            case DateTime moment:
                WriteFormatted(writer, moment.ToUniversalTime(), "yyyy-MM-dd HH:mm:ss", scratch);
                break;
            case DateOnly day:
                WriteFormatted(writer, day, "yyyy-MM-dd", scratch);
                break;
            case ISpanFormattable number: // integers, decimals, Guid (its default is the 8-4-4-4-12 form ClickHouse reads)
                WriteFormatted(writer, number, default, scratch);
                break;
            default:
                writer.Write(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteFormatted<T>(TextWriter writer, T value, ReadOnlySpan<char> format, char[] scratch) where T : ISpanFormattable
    {
        if (value.TryFormat(scratch, out var written, format, CultureInfo.InvariantCulture))
        {
            writer.Write(scratch, 0, written);
        }
        else
        {
            writer.Write(value.ToString(format.ToString(), CultureInfo.InvariantCulture));
        }
    }

    private static string Escape(string text) =>
        text.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\t", @"\t", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal).Replace("\r", @"\r", StringComparison.Ordinal).Replace("\0", @"\0", StringComparison.Ordinal);

    private static readonly System.Buffers.SearchValues<char> TabSpecials = System.Buffers.SearchValues.Create("\\\t\n\r\0");

    /// <summary>Reverses TabSeparated escaping of one output field.</summary>
    public static string? UnescapeTabField(string field)
    {
        if (field == @"\N")
        {
            return null;
        }
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i + 1 == field.Length)
            {
                text.Append(field[i]);
                continue;
            }
            text.Append(field[++i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', '0' => '\0', 'b' => '\b', 'f' => '\f', var other => other });
        }
        return text.ToString();
    }
}
