using System.Net.Http.Headers;
using System.Text;

namespace FirstViscount.Api.Tests;

/// <summary>No request, however malformed, yields a 5xx; every error is problem+json (API.md).</summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class MalformedInputSweepTests(GatewayCluster cluster)
{
    private static readonly (HttpMethod Method, string Path)[] Routes =
    [
        (HttpMethod.Post, "/v1/customers"), (HttpMethod.Post, "/v1/auth/token"), (HttpMethod.Put, "/v1/customers/me/preferences"),
        (HttpMethod.Put, "/v1/products/SKU-1"), (HttpMethod.Put, "/v1/cart/items/SKU-1"), (HttpMethod.Post, "/v1/checkout"),
        (HttpMethod.Post, "/v1/inventory/SKU-1/adjustments"), (HttpMethod.Post, "/v1/orders/o-1/cancel"),
        (HttpMethod.Post, "/v1/carriers/fv-post/events"), (HttpMethod.Put, "/v1/admin/carriers/fv-post"),
        (HttpMethod.Put, "/v1/admin/notification-templates/order-shipped/email"), (HttpMethod.Post, "/v1/admin/notification-templates/order-shipped/sms/preview"),
        (HttpMethod.Put, "/v1/products/SKU-1/supplier"),
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "}", "[", "null", "123", "\"text\"", "true", "[1,2,3]", "{\"quantity\":\"abc\"}", "{\"quantity\":1e400}", "{\"quantity\":-1}",
        "{\"delta\":99999999999999999999}", "{\"price\":\"12.50\"}", "{\"email\":{}}", "{\"shippingAddress\":[]}", "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
        "{\"name\":\"\\ud800\"}", "\u0000\u0001\u0002", "<xml/>", "{\"email\":\"" + new string('a', 5_000) + "@x.io\"}", "{\"preferences\":" + string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70) + "}",
    ];

    private static readonly string[] Queries =
    [
        "page=-1", "page=abc", "page=99999999999", "pageSize=0", "pageSize=1e3", "minPrice=NaN", "minPrice=-5", "maxPrice=1e999", "sort=<script>", "sort=",
        "q=" + new string('x', 10_000), "q=%00", "category=%27%20OR%201%3D1", "status=Shipped", "status=0", "minPrice=5&maxPrice=1",
    ];

    private static readonly string[] Paths =
    [
        "/v1/products/%00", "/v1/products/" + new string('A', 4_000), "/v1/orders/' OR 1=1--", "/v1/orders/%2e%2e%2fetc", "/v1/inventory/%FF/movements?page=x",
        "/v1/cart/items/%20", "/v1/nothing-here", "/v1/orders/" + new string('9', 500) + "/events", "/v1/orders/" + new string('9', 500) + "/shipment", "/v1/admin/orders/%00/notifications", "/v1/products/a%2Fb", "/v1/admin/cluster?x=%",
    ];

    /// <summary>
    /// Kestrel refuses requests that are not valid HTTP for it (a NUL in the path, a request line over its limit)
    /// before the application runs, with an empty 400/414/431. Only those are exempt from the problem+json check.
    /// </summary>
    private static bool RejectedByKestrel(HttpResponseMessage response, string body) =>
        (int)response.StatusCode is 400 or 414 or 431 && body.Length == 0 && response.Content.Headers.ContentType is null;

    [Fact]
    public async Task Hundreds_of_malformed_requests_never_get_a_5xx_and_every_error_is_problem_json()
    {
        var (_, customer, _) = await cluster.NewCustomerAsync();
        var admin = await cluster.AdminTokenAsync();
        var failures = new List<string>();
        var sent = 0;

        async Task Send(HttpRequestMessage request, string what)
        {
            using var client = cluster.Client(sent % 2);
            sent++;
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{status} for {what}: {body[..Math.Min(200, body.Length)]}");
            }
            else if (status >= 400 && !RejectedByKestrel(response, body) && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} without problem+json for {what} ({response.Content.Headers.ContentType})");
            }
        }

        foreach (var (method, path) in Routes)
        {
            foreach (var token in new[] { null, customer, admin })
            {
                foreach (var body in Bodies)
                {
                    var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    if (token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    }
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", "sweep-" + Guid.NewGuid());
                    await Send(request, $"{method} {path} body {body[..Math.Min(40, body.Length)]} as {(token is null ? "anonymous" : token == admin ? "admin" : "customer")}");
                }
            }
            var wrongType = new HttpRequestMessage(method, path) { Content = new StringContent("quantity=1", Encoding.UTF8, "text/plain") };
            wrongType.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            await Send(wrongType, $"{method} {path} as text/plain");
            var huge = new HttpRequestMessage(method, path) { Content = new StringContent("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json") };
            huge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            huge.Headers.ExpectContinue = true; // lets the server refuse (413) before the body is sent, instead of cutting the upload

            await Send(huge, $"{method} {path} with a 2 MiB body");
        }
        foreach (var query in Queries)
        {
            await Send(new HttpRequestMessage(HttpMethod.Get, "/v1/products?" + query), $"GET /v1/products?{query[..Math.Min(40, query.Length)]}");
            var orders = new HttpRequestMessage(HttpMethod.Get, "/v1/orders?" + query);
            orders.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer);
            await Send(orders, $"GET /v1/orders?{query[..Math.Min(40, query.Length)]}");
            var notifications = new HttpRequestMessage(HttpMethod.Get, "/v1/customers/me/notifications?" + query);
            notifications.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer);
            await Send(notifications, $"GET /v1/customers/me/notifications?{query[..Math.Min(40, query.Length)]}");
            var shipments = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/shipments?" + query);
            shipments.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            await Send(shipments, $"GET /v1/admin/shipments?{query[..Math.Min(40, query.Length)]}");
        }
        foreach (var path in Paths)
        {
            foreach (var token in new[] { null, customer, admin })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                await Send(request, $"GET {path[..Math.Min(60, path.Length)]}");
            }
        }
        foreach (var authorization in new[] { "Bearer", "Bearer garbage", "Bearer " + new string('a', 8_000), "Basic YWRtaW46YWRtaW4=", "Bearer " + customer[..^4] + "AAAA" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/customers/me");
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            await Send(request, $"Authorization {authorization[..Math.Min(20, authorization.Length)]}");
        }

        Assert.True(sent > 300, $"only {sent} requests were generated");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }
}
