using System.Globalization;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Collects field errors for a 400 validation problem (`errors`: field → messages).</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsValid => errors.Count == 0;

    public Validation Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        }
        return this;
    }

    public IDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>No control characters (PostgreSQL text cannot hold NUL; none belongs in names, skus or searches).</summary>
    public static bool IsPlainText(string? value) => value is null || !value.Any(char.IsControl);

    public static bool IsEmail(string? value) =>
        value is { Length: >= 3 and <= 254 } && value.IndexOf('@') is > 0 and var at && at < value.Length - 1 && !value.Contains(' ');

    /// <summary>An optional non-negative amount from a query string; a bad one is recorded as an error.</summary>
    public static decimal? ParseDecimal(string? value, string field, Validation validation)
    {
        if (value is null)
        {
            return null;
        }
        var ok = decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and < 100_000_000;
        validation.Require(ok, field, $"{field} must be a non-negative number.");
        return ok ? parsed : null;
    }

    public static int ParseInt(string? value, string field, int fallback, int min, int max, Validation validation)
    {
        if (value is null)
        {
            return fallback;
        }
        var ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max;
        validation.Require(ok, field, $"{field} must be a whole number from {min} to {max}.");
        return ok ? parsed : fallback;
    }
}
