using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;

namespace FirstViscount.Api.Tests;

[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class CheckoutApiTests(GatewayCluster cluster)
{
    /// <summary>A parcel the simulated carrier leaves waiting for pickup: the order stays Confirmed and its shipment LabelCreated.</summary>
    internal static readonly object Address = new { name = "Ada Lovelace", line1 = "12 St James's Square", line2 = (string?)null, city = "London", postalCode = "HOLD", country = "GB" };

    /// <summary>A parcel the simulated carrier picks up and delivers (or loses, or reports out of order: postal codes LOST, SHUFFLE).</summary>
    internal static object DeliveredTo(string postalCode = "SW1Y 4JH") => new { name = "Ada Lovelace", line1 = "12 St James's Square", line2 = (string?)null, city = "London", postalCode, country = "GB" };

    private Task<string> StockedSkuAsync(int stock = 20, decimal price = 10m) => StockedSkuAsync(cluster, stock, price);

    internal static async Task<string> StockedSkuAsync(GatewayCluster cluster, int stock = 20, decimal price = 10m)
    {
        var sku = $"CO-{Guid.NewGuid():N}"[..20];
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
        (await admin.PutAsJsonAsync($"/v1/products/{sku}", new { name = $"Teapot {sku}", price, currency = "EUR" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = stock, reason = "delivery" })).EnsureSuccessStatusCode();
        return sku;
    }

    internal static async Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string key, string token = "tok_ok", object? address = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/checkout") { Content = JsonContent.Create(new { shippingAddress = address ?? Address, paymentToken = token }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    internal static async Task<JsonElement> FinalOrderAsync(HttpClient client, string orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var order = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
            if (order.GetProperty("status").GetString() is "Confirmed" or "Failed" or "Cancelled" || DateTime.UtcNow > deadline)
            {
                return order;
            }
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("tok_ok", "Confirmed", null)]
    [InlineData("tok_declined", "Failed", "payment declined")]
    [InlineData("tok_timeout", "Failed", "timed out")]
    public async Task A_customer_registers_fills_a_cart_checks_out_and_follows_the_order_to_its_end(string token, string finalStatus, string? reason)
    {
        var sku = await StockedSkuAsync(price: 7.25m);
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 2 })).EnsureSuccessStatusCode();

        var accepted = await CheckoutAsync(client, Guid.NewGuid().ToString(), token);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var orderId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        Assert.Equal($"/v1/orders/{orderId}", accepted.Headers.Location?.OriginalString);
        var order = await FinalOrderAsync(client, orderId);
        Assert.Equal(finalStatus, order.GetProperty("status").GetString());
        Assert.Equal(14.50m, order.GetProperty("total").GetDecimal());
        if (reason is not null)
        {
            Assert.Contains(reason, order.GetProperty("failureReason").GetString());
        }
        var events = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/events");
        Assert.Equal("order.placed", events[0].GetProperty("type").GetString());
        Assert.Equal(1, events[0].GetProperty("version").GetInt64());
        Assert.Equal(orderId, events[0].GetProperty("data").GetProperty("orderId").GetString()); // data is the event as a JSON object
        Assert.Equal(JsonValueKind.String, events[0].GetProperty("occurredAt").ValueKind);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/cart")).GetProperty("items").EnumerateArray());
        var shipment = await client.GetAsync($"/v1/orders/{orderId}/shipment");
        if (reason is null)
        {
            var booked = await shipment.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("LabelCreated", booked.GetProperty("status").GetString());
            Assert.Equal("fv-global", booked.GetProperty("carrier").GetString()); // 2 units (1 kg) to London
            Assert.StartsWith("FV", booked.GetProperty("trackingNumber").GetString());
            Assert.Empty(booked.GetProperty("events").EnumerateArray());
        }
        else
        {
            Assert.Equal(HttpStatusCode.NotFound, shipment.StatusCode); // the payment failed: nothing was shipped
        }
    }

    [Fact]
    public async Task An_admin_cancels_a_shipment_that_has_not_shipped_and_its_customer_cannot()
    {
        var sku = await StockedSkuAsync();
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var orderId = (await (await CheckoutAsync(client, Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        Assert.Equal("Confirmed", (await FinalOrderAsync(client, orderId)).GetProperty("status").GetString());
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/v1/admin/shipments/{orderId}/cancel", null)).StatusCode);
        var cancelled = await admin.PostAsync($"/v1/admin/shipments/{orderId}/cancel", null);
        var again = await admin.PostAsync($"/v1/admin/shipments/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("Cancelled", (await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment")).GetProperty("status").GetString());
        var missing = await admin.PostAsync("/v1/admin/shipments/no-such-order/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/v1/admin/shipments/{new string('9', 500)}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task With_prefer_wait_the_checkout_answers_once_the_order_has_ended()
    {
        var sku = await StockedSkuAsync();
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(1, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/checkout") { Content = JsonContent.Create(new { shippingAddress = Address, paymentToken = "tok_ok" }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("Prefer", "respond-async, wait=10");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("wait=10", response.Headers.GetValues("Preference-Applied").Single());
        Assert.Equal("Confirmed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_same_key_and_body_answer_the_same_order_another_body_is_422_and_concurrent_duplicates_make_one_order()
    {
        var sku = await StockedSkuAsync();
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(1, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CheckoutAsync(client, key)));
        var ids = await Task.WhenAll(responses.Select(async r =>
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString();
        }));
        Assert.Single(ids.Distinct());

        var replay = await CheckoutAsync(client, key);
        Assert.Equal(ids[0], (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await CheckoutAsync(client, key, "tok_declined")).StatusCode);

        await FinalOrderAsync(client, ids[0]!);
        var events = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{ids[0]}/events");
        Assert.Single(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "order.placed");
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        Assert.Equal(19, (await admin.GetFromJsonAsync<JsonElement>($"/v1/inventory/{sku}")).GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task An_empty_cart_is_409_a_missing_key_is_400_and_another_customers_order_is_404()
    {
        var sku = await StockedSkuAsync();
        var (_, ada, _) = await cluster.NewCustomerAsync();
        var (_, bob, _) = await cluster.NewCustomerAsync();
        using var adaClient = cluster.Client(0, ada);
        using var bobClient = cluster.Client(1, bob);

        Assert.Equal(HttpStatusCode.Conflict, (await CheckoutAsync(adaClient, Guid.NewGuid().ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adaClient.PostAsJsonAsync("/v1/checkout", new { shippingAddress = Address, paymentToken = "tok_ok" })).StatusCode);

        (await adaClient.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var orderId = (await (await CheckoutAsync(adaClient, Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.GetAsync($"/v1/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.GetAsync($"/v1/orders/{orderId}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.GetAsync($"/v1/orders/{orderId}/shipment")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.PostAsync($"/v1/orders/{orderId}/cancel", null)).StatusCode);
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/orders/{orderId}")).StatusCode);
        var list = await Eventually.ReadAsync(() => adaClient.GetFromJsonAsync<JsonElement>("/v1/orders"), orders => orders.GetArrayLength() > 0,
            "the order is in Ada's history (a read model kept from the event log)");
        Assert.Equal(orderId, list[0].GetProperty("orderId").GetString());
        Assert.Empty((await bobClient.GetFromJsonAsync<JsonElement>("/v1/orders")).EnumerateArray());
    }

    [Fact]
    public async Task A_pending_order_can_be_cancelled_and_a_confirmed_one_cannot()
    {
        var sku = await StockedSkuAsync();
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var hanging = (await (await CheckoutAsync(client, Guid.NewGuid().ToString(), "tok_timeout")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/orders/{hanging}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await FinalOrderAsync(client, hanging)).GetProperty("status").GetString());

        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var paid = (await (await CheckoutAsync(client, Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        Assert.Equal("Confirmed", (await FinalOrderAsync(client, paid)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/v1/orders/{paid}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Admins_see_both_silos_active_with_their_start_times_and_activation_counts()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());

        var view = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/cluster");

        var silos = view.GetProperty("silos").EnumerateArray().ToList();
        Assert.Equal(2, silos.Count);
        Assert.All(silos, s =>
        {
            Assert.Equal("Active", s.GetProperty("status").GetString());
            Assert.InRange(s.GetProperty("startedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
            Assert.True(s.GetProperty("activations").GetInt32() >= 0); // every silo's count, not only the answering one's
        });
        Assert.Equal(2, silos.Select(s => s.GetProperty("address").GetString()).Distinct().Count());
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await cluster.Client(1, bearer).GetAsync("/v1/admin/cluster")).StatusCode);
    }
}
