using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;
using static FirstViscount.Api.Tests.CheckoutApiTests;

namespace FirstViscount.Api.Tests;

/// <summary>Notifications over HTTP: a customer's messages as their order moves, an order's for admins, and the templates admins keep.</summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class NotificationsApiTests(GatewayCluster cluster)
{
    private static string[] Templates(JsonElement messages) => [.. messages.EnumerateArray().Select(m => m.GetProperty("template").GetString()!)];

    [Fact]
    public async Task A_customer_gets_a_message_as_their_order_is_confirmed_shipped_and_delivered_and_an_admin_sees_them_by_order()
    {
        var sku = await StockedSkuAsync(cluster);
        var (_, bearer, email) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var accepted = await CheckoutAsync(client, Guid.NewGuid().ToString(), address: DeliveredTo());
        var orderId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;

        var mine = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>("/v1/customers/me/notifications"),
            messages => messages.GetArrayLength() == 3 && messages.EnumerateArray().All(m => m.GetProperty("status").GetString() == "Sent"),
            "the three messages of the order are sent");
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
        var byOrder = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/orders/{orderId}/notifications");
        using var stranger = cluster.Client(1, (await cluster.NewCustomerAsync()).Token);

        Assert.Equal(["order-delivered", "order-shipped", "order-confirmed"], Templates(mine));
        Assert.All(mine.EnumerateArray(), m => Assert.Equal(("email", email, orderId), (m.GetProperty("channel").GetString(), m.GetProperty("address").GetString(), m.GetProperty("orderId").GetString())));
        Assert.Equal($"Your order {orderId} is on its way", mine[1].GetProperty("subject").GetString());
        Assert.Equal(Templates(mine), Templates(byOrder));
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/v1/customers/me/notifications")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/customers/me/notifications?page=0")).StatusCode);
    }

    [Fact]
    public async Task Admins_list_preview_and_put_templates_and_a_template_with_a_variable_it_does_not_have_is_400()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        var templates = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/notification-templates");
        var shipped = templates.EnumerateArray().Single(t => t.GetProperty("template").GetString() == "order-shipped" && t.GetProperty("channel").GetString() == "email");

        var stored = await admin.PostAsync("/v1/admin/notification-templates/order-shipped/email/preview", null);
        var draft = await admin.PostAsJsonAsync("/v1/admin/notification-templates/order-shipped/sms/preview", new { body = "{{order.number}} via {{shipment.carrier}}" });
        var unknownVariable = await admin.PostAsJsonAsync("/v1/admin/notification-templates/order-shipped/sms/preview", new { body = "{{order.colour}}" });
        var unknownTemplate = await admin.PutAsJsonAsync("/v1/admin/notification-templates/order-lost/email", new { subject = "s", body = "b" });
        var noSubject = await admin.PutAsJsonAsync("/v1/admin/notification-templates/order-shipped/email", new { body = "b" });
        var changed = await admin.PutAsJsonAsync("/v1/admin/notification-templates/order-shipped/email", new { subject = "Shipped: {{order.number}}", body = shipped.GetProperty("body").GetString() });
        var restored = await admin.PutAsJsonAsync("/v1/admin/notification-templates/order-shipped/email",
            new { subject = shipped.GetProperty("subject").GetString(), body = shipped.GetProperty("body").GetString() }); // as it was, for the other tests

        Assert.Equal(9, templates.GetArrayLength()); // five templates by e-mail, four by SMS (low stock goes to suppliers by e-mail)
        Assert.Equal("Your order o-1815 is on its way", (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subject").GetString());
        Assert.Equal("o-1815 via fv-post", (await draft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknownVariable.StatusCode);
        Assert.Contains("{{order.colour}} is not a variable of order-shipped", (await unknownVariable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknownTemplate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noSubject.StatusCode);
        var version = shipped.GetProperty("version").GetInt32();
        Assert.Equal(version + 1, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(version + 2, (await restored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Admins_name_a_skus_supplier_and_a_bad_address_or_sku_is_400()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());

        var set = await admin.PutAsJsonAsync("/v1/products/LAMP-1/supplier", new { email = "lamps@supplier.example" });
        var badEmail = await admin.PutAsJsonAsync("/v1/products/LAMP-1/supplier", new { email = "not an address" });
        var badSku = await admin.PutAsJsonAsync("/v1/products/a%20b/supplier", new { email = "lamps@supplier.example" });

        var supplier = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("LAMP-1 lamps@supplier.example", $"{supplier.GetProperty("sku")} {supplier.GetProperty("email")}");
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSku.StatusCode);
    }
}
