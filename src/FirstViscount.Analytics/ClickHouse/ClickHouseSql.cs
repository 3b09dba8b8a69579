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
