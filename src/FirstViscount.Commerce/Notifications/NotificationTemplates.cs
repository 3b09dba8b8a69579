using System.Text.RegularExpressions;

namespace FirstViscount.Commerce.Notifications;

/// <summary>A message template, one version of it: a JSONB document per (template, channel, version).</summary>
public sealed record NotificationTemplate(string Template, string Channel, int Version, string Subject, string Body, bool Active, DateTimeOffset CreatedAt);

/// <summary>The channels a message goes by.</summary>
public static class NotificationChannels
{
    public const string Email = "email";
    public const string Sms = "sms";

    public static IReadOnlyList<string> All { get; } = [Email, Sms];
}

/// <summary>
/// The templates the platform sends, each with the variables its messages fill in (<c>{{order.number}}</c>), and the
/// sample values a preview renders them with.
/// </summary>
public static partial class NotificationTemplates
{
    public const string OrderConfirmed = "order-confirmed";
    public const string OrderShipped = "order-shipped";
    public const string OrderDelivered = "order-delivered";
    public const string PaymentFailed = "payment-failed";
    public const string LowStock = "low-stock";

    private static readonly Dictionary<string, string> Customer = new() { ["customer.name"] = "Ada Lovelace" };

    /// <summary>Per template, its variables with sample values.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Samples { get; } = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        [OrderConfirmed] = new Dictionary<string, string>(Customer) { ["order.number"] = "o-1815", ["order.total"] = "42.50", ["order.currency"] = "EUR", ["order.units"] = "3" },
        [OrderShipped] = new Dictionary<string, string>(Customer) { ["order.number"] = "o-1815", ["shipment.carrier"] = "fv-post", ["shipment.trackingNumber"] = "FV23456789ABCD" },
        [OrderDelivered] = new Dictionary<string, string>(Customer) { ["order.number"] = "o-1815", ["shipment.carrier"] = "fv-post", ["shipment.trackingNumber"] = "FV23456789ABCD" },
        [PaymentFailed] = new Dictionary<string, string>(Customer) { ["order.number"] = "o-1815", ["order.reason"] = "payment declined: insufficient funds" },
        [LowStock] = new Dictionary<string, string> { ["sku"] = "LAMP-1", ["available"] = "3", ["reorderPoint"] = "5" },
    };

    public static bool IsKnown(string template) => Samples.ContainsKey(template);

    /// <summary>The text with each <c>{{variable}}</c> replaced by its value (an unknown one by nothing).</summary>
    public static string Render(string text, IReadOnlyDictionary<string, string> values) =>
        Variable().Replace(text, match => values.TryGetValue(match.Groups[1].Value, out var value) ? value : "");

    /// <summary>The variables <paramref name="text"/> uses that <paramref name="template"/> does not fill in.</summary>
    public static IReadOnlyList<string> UnknownVariables(string template, string text) =>
        [.. Variable().Matches(text).Select(match => match.Groups[1].Value).Where(name => !Samples[template].ContainsKey(name)).Distinct()];

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9.]*)\s*\}\}")]
    private static partial Regex Variable();
}
