using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static FirstViscount.Api.Tests.CheckoutApiTests;

namespace FirstViscount.Api.Tests;

/// <summary>
/// From checkout to the door: the simulated carriers post their events to the signed webhook, the shipment and the
/// order follow; a webhook that is not signed with the carrier's secret changes nothing.
/// </summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class DeliveryApiTests(GatewayCluster cluster)
{
    private const string Carrier = "fv-global"; // every parcel here goes to London

    /// <summary>A customer's order, checked out to <paramref name="postalCode"/> and confirmed: (client, order id).</summary>
    private async Task<(HttpClient Client, string OrderId)> ConfirmedOrderAsync(string postalCode)
    {
        var sku = await StockedSkuAsync(cluster);
        var (_, bearer, _) = await cluster.NewCustomerAsync();
        var client = cluster.Client(0, bearer);
        (await client.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var accepted = await CheckoutAsync(client, Guid.NewGuid().ToString(), address: DeliveredTo(postalCode));
        var orderId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        return (client, orderId);
    }

    private static Task<JsonElement> ShipmentWhenAsync(HttpClient client, string orderId, string status) =>
        Eventually.ReadAsync(async () => await client.GetAsync($"/v1/orders/{orderId}/shipment") is { IsSuccessStatusCode: true } answer
                ? await answer.Content.ReadFromJsonAsync<JsonElement>() : default,
            shipment => shipment.ValueKind == JsonValueKind.Object && shipment.GetProperty("status").GetString() == status, $"the shipment of {orderId} is {status}");

    private static string[] Statuses(JsonElement shipment) => [.. shipment.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()!)];

    private async Task<string> SecretAsync() => (await cluster.Services(0).GetRequiredService<ICarrierAccounts>().EnsureAsync(Carrier, CancellationToken.None)).WebhookSecret;

    private async Task<HttpResponseMessage> PostEventAsync(object report, string? signature, string carrier = Carrier)
    {
        using var anonymous = cluster.Client(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/carriers/{carrier}/events") { Content = JsonContent.Create(report) };
        if (signature is not null)
        {
            request.Headers.Add(CarrierSignature.Header, signature);
        }
        return await anonymous.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostSignedAsync(object report, DateTimeOffset? signedAt = null, string? secret = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(report);
        using var anonymous = cluster.Client(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/carriers/{Carrier}/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(CarrierSignature.Header, CarrierSignature.Sign(secret ?? await SecretAsync(), body, signedAt ?? DateTimeOffset.UtcNow));
        return await anonymous.SendAsync(request);
    }

    private static object Returned(string eventId, string shipmentId, string trackingNumber) => new
    {
        eventId, shipmentId, trackingNumber, status = "Returned", carrierStatus = "RETURNED", location = "Depot", description = "Returned to the shop",
        occurredAt = DateTimeOffset.UtcNow.AddDays(30),
    };

    [Fact]
    public async Task An_order_is_followed_from_checkout_to_delivered_through_the_carriers_signed_events()
    {
        var (client, orderId) = await ConfirmedOrderAsync("SW1Y 4JH");
        using (client)
        {
            var delivered = await ShipmentWhenAsync(client, orderId, "Delivered");

            Assert.Equal(["Shipped", "InTransit", "Delivered"], Statuses(delivered));
            Assert.Equal(Carrier, delivered.GetProperty("carrier").GetString());
            var order = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}"),
                o => o.GetProperty("status").GetString() == "Delivered", "the order is delivered");
            var types = (await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/events")).EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
            Assert.Equal(["order.confirmed", "order.shipped", "order.delivered"], types[^3..]);
            Assert.Equal("Delivered", order.GetProperty("status").GetString());
            using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
            var listed = await Eventually.ReadAsync(() => admin.GetFromJsonAsync<JsonElement>("/v1/admin/shipments?status=Delivered"),
                page => page.EnumerateArray().Any(s => s.GetProperty("shipmentId").GetString() == orderId), "the admins' list has the delivered shipment");
            Assert.All(listed.EnumerateArray(), s => Assert.Equal("Delivered", s.GetProperty("status").GetString()));
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/v1/admin/shipments?status=delivered")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/v1/admin/shipments?page=0")).StatusCode);
        }
    }

    [Fact]
    public async Task A_lost_parcel_ends_in_exception_for_the_customer_to_see_and_the_order_stays_shipped()
    {
        var (client, orderId) = await ConfirmedOrderAsync(SimulatedJourneys.LostParcelPostalCode);
        using (client)
        {
            var lost = await ShipmentWhenAsync(client, orderId, "Exception");

            Assert.Equal(["Shipped", "InTransit", "Exception"], Statuses(lost));
            Assert.Equal("The parcel is lost", lost.GetProperty("events")[2].GetProperty("description").GetString());
            Assert.Equal("Shipped", (await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}")).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Events_reported_out_of_order_and_twice_end_delivered_with_each_event_once_in_the_order_they_happened()
    {
        var (client, orderId) = await ConfirmedOrderAsync(SimulatedJourneys.OutOfOrderPostalCode);
        using (client)
        {
            await ShipmentWhenAsync(client, orderId, "Delivered");
            // The carrier posts picked up, delivered, at the hub, delivered again: wait for the hub's late event.
            var final = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment"),
                shipment => shipment.GetProperty("events").GetArrayLength() == 3, "the late hub event is recorded");
            await Task.Delay(600); // the repeated delivery (three report intervals) has been posted too

            var again = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment");
            Assert.Equal(["Shipped", "InTransit", "Delivered"], Statuses(again));
            Assert.Equal("Delivered", final.GetProperty("status").GetString());
            Assert.Equal("Delivered", (await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}")).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_webhook_without_the_carriers_signature_is_401_and_changes_nothing_and_a_replay_changes_nothing()
    {
        var (client, orderId) = await ConfirmedOrderAsync(SimulatedJourneys.AwaitingPickupPostalCode);
        using (client)
        {
            var shipment = await ShipmentWhenAsync(client, orderId, "LabelCreated");
            var trackingNumber = shipment.GetProperty("trackingNumber").GetString()!;
            var report = Returned($"test-{Guid.NewGuid():N}", orderId, trackingNumber);

            var unsigned = await PostEventAsync(report, signature: null);
            var forged = await PostSignedAsync(report, secret: "not-the-carriers-secret-not-the-carriers-secret");
            var stale = await PostSignedAsync(report, signedAt: DateTimeOffset.UtcNow.AddMinutes(-6));
            var garbled = await PostEventAsync(report, "t=1,v1=zz");
            var afterRefusals = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment");
            var accepted = await PostSignedAsync(report);
            var replayed = await PostSignedAsync(report);

            foreach (var refused in new[] { unsigned, forged, stale, garbled })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
            Assert.Contains("no FV-Signature header", (await unsigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            Assert.Contains("minutes from the platform's clock", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            Assert.Empty(Statuses(afterRefusals));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
            var final = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment");
            Assert.Equal(["Returned"], Statuses(final)); // recorded once
        }
    }

    [Fact]
    public async Task A_signed_event_for_an_unknown_carrier_or_shipment_is_404_and_a_malformed_one_is_400()
    {
        var (client, orderId) = await ConfirmedOrderAsync(SimulatedJourneys.AwaitingPickupPostalCode);
        using (client)
        {
            var tracking = (await ShipmentWhenAsync(client, orderId, "LabelCreated")).GetProperty("trackingNumber").GetString()!;

            var wrongTracking = await PostSignedAsync(Returned("x-1", orderId, "FV000000000000"));
            var noShipment = await PostSignedAsync(Returned("x-2", "no-such-order", tracking));
            var noCarrier = await PostEventAsync(Returned("x-3", orderId, tracking), "t=1,v1=00", carrier: "fv-pigeon");
            var badStatus = await PostSignedAsync(new { eventId = "x-4", shipmentId = orderId, trackingNumber = tracking, status = "Cancelled", carrierStatus = "C", location = "L", description = "", occurredAt = DateTimeOffset.UtcNow });
            var missingFields = await PostSignedAsync(new { eventId = "x-5", shipmentId = orderId });

            Assert.Equal(HttpStatusCode.NotFound, wrongTracking.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, noShipment.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, noCarrier.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
            Assert.True((await badStatus.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
            Assert.Equal(HttpStatusCode.BadRequest, missingFields.StatusCode);
            Assert.True((await missingFields.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("trackingNumber", out _));
            Assert.Empty(Statuses(await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}/shipment")));
        }
    }

    [Fact]
    public async Task Admins_set_a_carriers_secret_which_is_stored_encrypted_and_never_answered()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        var secret = await SecretAsync(); // set again as it is, so the simulated carrier's journeys elsewhere stay signed
        var credentials = $"api-key-{Guid.NewGuid():N}";

        var set = await admin.PutAsJsonAsync($"/v1/admin/carriers/{Carrier}", new { webhookSecret = secret, credentials });
        var tooShort = await admin.PutAsJsonAsync($"/v1/admin/carriers/{Carrier}", new { webhookSecret = "short" });
        var unknown = await admin.PutAsJsonAsync("/v1/admin/carriers/fv-pigeon", new { webhookSecret = secret });
        var list = await admin.GetStringAsync("/v1/admin/carriers");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var global = JsonDocument.Parse(list).RootElement.EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == Carrier);
        Assert.True(global.GetProperty("webhookSecretSet").GetBoolean());
        Assert.True(global.GetProperty("credentialsSet").GetBoolean());
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain(credentials, list);
        await using var database = NpgsqlDataSource.Create(TestServers.Postgres);
        await using var stored = database.CreateCommand("SELECT webhook_secret || credentials FROM carrier_accounts WHERE carrier = $1 AND key_id = $2");
        stored.Parameters.AddWithValue(Carrier);
        stored.Parameters.AddWithValue(new CarrierSecretProtector(TestServers.CarrierKey).KeyId);
        var atRest = (string)(await stored.ExecuteScalarAsync())!;
        Assert.DoesNotContain(secret, atRest);
        Assert.DoesNotContain(credentials, atRest);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)), atRest);
        using var customer = cluster.Client(0, (await cluster.NewCustomerAsync()).Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/v1/admin/carriers")).StatusCode);
    }
}
