using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Notifications;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// The notification service: events become messages by each customer's channel preferences, rendered from the active
/// template, recorded once per event and channel however often the event is delivered, and sent through the channel
/// with back-off; low stock goes to the SKU's supplier.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class NotificationTests() : ScratchDatabaseTests("fv_notify")
{
    private async Task<InProcessTestCluster> DeployAsync() =>
        await new CommerceTestCluster(silos: 1).UsePostgresAndRedis(ConnectionString, TestServers.Redis)
            .ConfigureCommerce(options => options.Checkout = CommerceCluster.FastCheckout())
            .ConfigureSilo(silo => silo
                .AddEventLogReadModels(streams => streams.PollInterval = TimeSpan.FromMilliseconds(20))
                .AddNotifications(notifications => (notifications.PollInterval, notifications.FirstRetryDelay) = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200))))
            .DeployAsync();

    private static async Task<string> CustomerAsync(InProcessTestCluster cluster, string email, Dictionary<string, string>? preferences = null)
    {
        var customerId = $"c-{Guid.NewGuid():N}";
        var services = cluster.GetSiloServiceProvider();
        await services.GetRequiredService<IAccountStore>().CreateAsync(new Account(customerId, email, "Ada Lovelace", "hash"), CancellationToken.None);
        if (preferences is not null)
        {
            await services.GetRequiredService<IPreferencesStore>().SetAsync(customerId, preferences, CancellationToken.None);
        }
        return customerId;
    }

    private async Task<string> CheckoutAsync(InProcessTestCluster cluster, string customerId, string sku, string token = "tok_ok")
    {
        var orderId = CommerceCluster.Key("order");
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, token, (sku, 2)) with { CustomerId = customerId });
        await FinishedAsync(cluster, orderId);
        return orderId;
    }

    private Task<IReadOnlyList<Notification>> SentAsync(string customerId, int count) =>
        Eventually.ReadAsync(() => new NotificationStore(Postgres).ListAsync(customerId, null, 1, 50, CancellationToken.None),
            messages => messages.Count == count && messages.All(m => m.Status == NotificationStatus.Sent), $"{count} messages to {customerId} are sent");

    private async Task<long> OutboxAsync(string sql)
    {
        await using var command = Postgres.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_order_s_journey_sends_each_message_once_by_the_customer_s_channels_even_when_its_events_are_delivered_again()
    {
        await using var cluster = await DeployAsync();
        var sku = (await StockAsync(cluster, 1, 50))[0];
        var ada = await CustomerAsync(cluster, "ada@example.com");
        var bob = await CustomerAsync(cluster, "bob@example.com", new() { [Notifier.ChannelsPreference] = "email,sms", [Notifier.PhonePreference] = "+31612345678" });
        var quiet = await CustomerAsync(cluster, "quiet@example.com", new() { [Notifier.ChannelsPreference] = "none" });

        var adaOrder = await CheckoutAsync(cluster, ada, sku);
        await CheckoutAsync(cluster, bob, sku);
        await CheckoutAsync(cluster, quiet, sku);
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(adaOrder);
        await shipment.Track(new TrackingUpdate("e1", ShipmentStatus.Shipped, "PICKED_UP", "Depot", "", DateTimeOffset.UtcNow));
        await shipment.Track(new TrackingUpdate("e2", ShipmentStatus.Delivered, "DELIVERED", "London", "", DateTimeOffset.UtcNow.AddHours(1)));

        var adaMessages = await SentAsync(ada, 3);
        var bobMessages = await SentAsync(bob, 2);
        // Every event of the log delivered again to the notifier: nothing more is recorded or sent.
        var events = new List<RecordedEvent>();
        await new PostgresEventStore(Postgres).ReadToEndAsync(GlobalCheckpoint.Start, 1_000, page => { events.AddRange(page.Events); return Task.CompletedTask; }, CancellationToken.None);
        await cluster.GetSiloServiceProvider().GetRequiredService<Notifier>().ApplyAsync(events);

        Assert.Equal([NotificationTemplates.OrderDelivered, NotificationTemplates.OrderShipped, NotificationTemplates.OrderConfirmed], adaMessages.Select(m => m.Template));
        Assert.All(adaMessages, m => Assert.Equal(("email", "ada@example.com", adaOrder), (m.Channel, m.Address, m.OrderId)));
        var confirmed = adaMessages[2];
        Assert.Equal($"Your order {adaOrder} is confirmed", confirmed.Subject);
        Assert.Contains("2 items, 25.00 EUR", confirmed.Body);
        Assert.Equal((1, "25.00"), (confirmed.TemplateVersion, confirmed.Context["order.total"]));
        Assert.Contains($"your order {adaOrder} was delivered", adaMessages[0].Body);
        Assert.Equal(["email:bob@example.com", "sms:+31612345678"], bobMessages.Select(m => $"{m.Channel}:{m.Address}").Order());
        Assert.Empty(await new NotificationStore(Postgres).ListAsync(quiet, null, 1, 50, CancellationToken.None));
        Assert.Equal(5, await OutboxAsync("SELECT count(*) FROM notification_outbox"));
        Assert.Equal(5, await OutboxAsync("SELECT count(*) FROM notifications"));
    }

    [Fact]
    public async Task A_failed_payment_is_told_to_the_customer_a_flaky_channel_is_retried_and_low_stock_goes_to_the_supplier()
    {
        await using var cluster = await DeployAsync();
        var sku = (await StockAsync(cluster, 1, 6))[0];
        await cluster.Client.GetGrain<IInventorySkuGrain>(sku).SetReorderPoint(5);
        await new SupplierDirectory(Postgres).SetAsync(sku, "lamps@supplier.example", CancellationToken.None);
        var flaky = await CustomerAsync(cluster, "flaky@example.com");

        var declined = await CheckoutAsync(cluster, flaky, sku, "tok_declined");
        await CheckoutAsync(cluster, flaky, sku); // 6 - 2 = 4 left, below the reorder point of 5

        var messages = await SentAsync(flaky, 2);
        var failed = messages.Single(m => m.Template == NotificationTemplates.PaymentFailed);
        Assert.Equal(declined, failed.OrderId);
        Assert.Contains("payment declined", failed.Body);
        Assert.All(messages, m => Assert.Equal(2, m.Attempts)); // the first attempt failed, the second was sent
        // Each checkout's reservation took the SKU to 4 (the declined one's was released again): two low-stock events.
        var supplier = await SentAsync(Notifier.SupplierRecipient, 2);
        Assert.All(supplier, m => Assert.Equal(($"Low stock: {sku}", "lamps@supplier.example"), (m.Subject, m.Address)));
        Assert.All(supplier, m => Assert.Contains("down to 4 (reorder point 5)", m.Body));
    }

    [Fact]
    public async Task A_new_template_version_is_used_for_the_next_messages_and_an_inactive_one_sends_nothing()
    {
        await using var cluster = await DeployAsync();
        var store = new NotificationStore(Postgres);
        var sku = (await StockAsync(cluster, 1, 50))[0];
        var ada = await CustomerAsync(cluster, "ada@example.com");
        var v2 = await store.PutAsync(NotificationTemplates.OrderConfirmed, NotificationChannels.Email, "Thanks, {{customer.name}}", "Order {{order.number}}", true, CancellationToken.None);
        await store.PutAsync(NotificationTemplates.OrderConfirmed, NotificationChannels.Sms, "", "off", active: false, CancellationToken.None);

        var order = await CheckoutAsync(cluster, ada, sku);

        var sent = await SentAsync(ada, 1);
        Assert.Equal((2, "Thanks, Ada Lovelace", $"Order {order}"), (sent[0].TemplateVersion, sent[0].Subject, sent[0].Body));
        Assert.Equal(2, v2.Version);
        Assert.Equal(["email 2 True", "sms 2 False"], (await store.TemplatesAsync(CancellationToken.None))
            .Where(t => t.Template == NotificationTemplates.OrderConfirmed).Select(t => $"{t.Channel} {t.Version} {t.Active}"));
    }
}
