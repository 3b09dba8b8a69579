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
}
