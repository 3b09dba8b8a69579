using System.Globalization;
using System.Text.RegularExpressions;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// RFC 7240's <c>Prefer: wait=N</c>: a client may ask the server to wait up to N seconds (here at most 20) for a
/// checkout to end before answering, instead of polling the order. Preferences it does not understand are ignored.
/// </summary>
internal static partial class PreferWait
{
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(20);

    public static TimeSpan? Of(HttpRequest request)
    {
        foreach (var value in request.Headers["Prefer"])
        {
            if (value is not null && WaitPreference().Match(value) is { Success: true } match
                && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds));
            }
        }
        return null;
    }

    public static void Applied(HttpResponse response, TimeSpan wait) =>
        response.Headers["Preference-Applied"] = $"wait={(int)wait.TotalSeconds}";

    [GeneratedRegex(@"(?:^|[,;\s])wait\s*=\s*(\d{1,6})(?:$|[,;\s])", RegexOptions.IgnoreCase)]
    private static partial Regex WaitPreference();
}
