using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Commerce.Notifications;

/// <summary>
/// Turns the event log's events into messages: an order confirmed, shipped or delivered, a payment that failed (to
/// the customer, by the channels of their preferences) and low stock (to the SKU's supplier, else the default one). Each message is rendered from
/// the newest active version of its template and recorded in the send history under the event's id and the channel,
/// so a batch delivered twice adds nothing; the sender sends what is recorded.
/// </summary>
public sealed class Notifier(NotificationStore store, IAccountStore accounts, IPreferencesStore preferences, SupplierDirectory suppliers, IGrainFactory grains,
    EventSerializer serializer, NotificationOptions options, NotificationSender sender, ILogger<Notifier> logger) : IEventLogProjection
{
    /// <summary>The preference that names a customer's channels ("email", "sms", "email,sms" or "none"; e-mail when unset), and the SMS number's.</summary>
    public const string ChannelsPreference = "notifications";
    public const string PhonePreference = "phone";

    /// <summary>The recipient id of low-stock messages (suppliers have no account).</summary>
    public const string SupplierRecipient = "supplier";

    private static readonly HashSet<string> Notified = ["order.confirmed", "order.shipped", "order.delivered", "order.failed", "inventory.low-stock"];

    private sealed record Recipient(string Id, string? Email, string? Phone, IReadOnlyList<string> Channels, string Name);

    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var templates = new Dictionary<(string, string), NotificationTemplate?>();
        var messages = new List<Notification>();
        foreach (var recorded in events.Where(e => Notified.Contains(e.Type)))
        {
            object @event;
            try
            {
                @event = serializer.Deserialize(recorded);
            }
            catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or FirstViscountException or NotSupportedException)
            {
                logger.LogError(unreadable, "Notifications pass over event {EventId} ({Type}): it cannot be read", recorded.EventId, recorded.Type);
                continue;
            }
            if (await WhatToSendAsync(@event, cancellationToken) is not var (template, orderId, recipient, values))
            {
                continue;
            }
            foreach (var channel in recipient.Channels)
            {
                var address = channel == NotificationChannels.Sms ? recipient.Phone : recipient.Email;
                var key = (template, channel);
                if (!templates.TryGetValue(key, out var active))
                {
                    templates[key] = active = await store.ActiveAsync(template, channel, cancellationToken);
                }
                if (address is { Length: > 0 } && active is not null)
                {
                    messages.Add(new Notification($"{recorded.EventId:N}:{channel}", recipient.Id, orderId, template, active.Version, channel, address,
                        NotificationTemplates.Render(active.Subject, values), NotificationTemplates.Render(active.Body, values), values,
                        NotificationStatus.Pending, 0, recorded.RecordedAt, null));
                }
            }
        }
        if (await store.AddAsync(messages, cancellationToken) > 0)
        {
            sender.Wake();
        }
    }

    private async Task<(string Template, string? OrderId, Recipient Recipient, Dictionary<string, string> Values)?> WhatToSendAsync(object @event, CancellationToken cancellationToken)
    {
        if (@event is LowStockReached low)
        {
            var supplier = await suppliers.EmailOfAsync(low.Sku, cancellationToken) ?? options.SupplierEmail;
            return (NotificationTemplates.LowStock, null, new Recipient(SupplierRecipient, supplier, null, [NotificationChannels.Email], "Supplier"),
                new() { ["sku"] = low.Sku, ["available"] = Text(low.Available), ["reorderPoint"] = Text(low.ReorderPoint) });
        }
        // Each customer message: its template, order, customer (a failed order's event does not name one) and own values.
        (string Template, string OrderId, string? CustomerId, Dictionary<string, string> Values)? message = @event switch
        {
            OrderConfirmed e => (NotificationTemplates.OrderConfirmed, e.OrderId, e.CustomerId,
                new() { ["order.total"] = Text(e.Total), ["order.currency"] = e.Currency, ["order.units"] = Text(e.Lines.Sum(l => l.Quantity)) }),
            OrderShipped e => (NotificationTemplates.OrderShipped, e.OrderId, e.CustomerId, Parcel(e.Carrier, e.TrackingNumber)),
            OrderDelivered e => (NotificationTemplates.OrderDelivered, e.OrderId, e.CustomerId, Parcel(e.Carrier, e.TrackingNumber)),
            // Out of stock, no carrier: the order's page says why; only a failed payment is a message.
            OrderFailed e when e.Reason.Contains("payment", StringComparison.OrdinalIgnoreCase) =>
                (NotificationTemplates.PaymentFailed, e.OrderId, null, new() { ["order.reason"] = e.Reason }),
            _ => null,
        };
        if (message is not var (template, orderId, customerId, values)
            || (customerId ?? (await grains.GetGrain<IOrderGrain>(orderId).Get())?.CustomerId) is not { } customer
            || await RecipientAsync(customer, cancellationToken) is not { } recipient)
        {
            return null;
        }
        (values["customer.name"], values["order.number"]) = (recipient.Name, orderId);
        return (template, orderId, recipient, values);
    }

    private static Dictionary<string, string> Parcel(string carrier, string trackingNumber) =>
        new() { ["shipment.carrier"] = carrier, ["shipment.trackingNumber"] = trackingNumber };

    /// <summary>The customer and the channels their preferences name; null for an account that no longer exists.</summary>
    private async Task<Recipient?> RecipientAsync(string customerId, CancellationToken cancellationToken)
    {
        if (await accounts.GetAsync(customerId, cancellationToken) is not { } account)
        {
            return null;
        }
        var chosen = await preferences.GetAsync(customerId, cancellationToken);
        var channels = (chosen?.GetValueOrDefault(ChannelsPreference) ?? NotificationChannels.Email)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(NotificationChannels.All.Contains).Distinct().ToList();
        return new Recipient(customerId, account.Email, chosen?.GetValueOrDefault(PhonePreference), channels, account.Name);
    }

    private static string Text(decimal value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Keeps the notifications: one grain per queue of the event log, turning each batch's events into messages before the delivery completes.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class NotifierGrain(IServiceProvider services) : EventLogProjectionGrain<Notifier>(services), INotifierGrain;

/// <summary>The grain has no methods of its own: Orleans streams call it.</summary>
public interface INotifierGrain : IGrainWithStringKey;
