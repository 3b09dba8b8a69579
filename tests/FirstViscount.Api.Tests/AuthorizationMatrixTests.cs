using System.Net;
using System.Net.Http.Json;

namespace FirstViscount.Api.Tests;

/// <summary>Who may call what: anonymous callers get 401 on protected routes, customers 403 on admin routes, admins pass; carriers' webhooks take only a carrier's signature.</summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class AuthorizationMatrixTests(GatewayCluster cluster)
{
    public enum Caller { Anonymous, Customer, Admin }

    public static TheoryData<string, string, Caller, HttpStatusCode[]> Matrix()
    {
        var data = new TheoryData<string, string, Caller, HttpStatusCode[]>();
        var ok = new[] { HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Conflict };
        (string Method, string Path, bool Admin)[] routes =
        [
            ("GET", "/v1/customers/me", false), ("PUT", "/v1/customers/me/preferences", false), ("GET", "/v1/cart", false),
            ("PUT", "/v1/cart/items/NO-SKU", false), ("DELETE", "/v1/cart/items/NO-SKU", false), ("DELETE", "/v1/cart", false),
            ("POST", "/v1/checkout", false), ("GET", "/v1/orders", false), ("GET", "/v1/orders/o-none", false), ("POST", "/v1/orders/o-none/cancel", false),
            ("GET", "/v1/orders/o-none/events", false), ("GET", "/v1/orders/o-none/shipment", false), ("POST", "/v1/admin/shipments/o-none/cancel", true), ("PUT", "/v1/products/AUTHZ-1", true), ("GET", "/v1/inventory/AUTHZ-1", true),
            ("POST", "/v1/inventory/AUTHZ-1/adjustments", true), ("GET", "/v1/inventory/AUTHZ-1/movements", true), ("GET", "/v1/admin/cluster", true),
            ("GET", "/v1/admin/audit", true), ("GET", "/v1/inventory/alerts", true), ("PUT", "/v1/categories/authz", true), ("GET", "/dashboard/", true), ("GET", "/metrics", true),
            ("POST", "/ops/dashboard-session", true), ("GET", "/v1/admin/carriers", true), ("GET", "/v1/admin/shipments", true), ("GET", "/v1/customers/me/notifications", false),
            ("GET", "/v1/admin/orders/o-none/notifications", true), ("GET", "/v1/admin/notification-templates", true),
            ("POST", "/v1/admin/notification-templates/order-shipped/email/preview", true), ("PUT", "/v1/products/AUTHZ-1/supplier", true), ("PUT", "/v1/admin/carriers/fv-freight", true),
        ];
        foreach (var (method, path, adminOnly) in routes)
        {
            data.Add(method, path, Caller.Anonymous, [HttpStatusCode.Unauthorized]);
            data.Add(method, path, Caller.Customer, adminOnly ? [HttpStatusCode.Forbidden] : ok);
            data.Add(method, path, Caller.Admin, [.. ok, HttpStatusCode.Created]);
        }
        foreach (var caller in Enum.GetValues<Caller>())
        {
            data.Add("POST", "/v1/carriers/fv-post/events", caller, [HttpStatusCode.Unauthorized]); // a carrier's signature, not a bearer token
        }
        foreach (var (method, path) in new[] { ("GET", "/v1/products"), ("GET", "/v1/categories"), ("GET", "/health/live"), ("GET", "/openapi/v1.json"), ("GET", "/ops/") })
        {
            data.Add(method, path, Caller.Anonymous, [HttpStatusCode.OK]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_route_admits_exactly_its_callers(string method, string path, Caller caller, HttpStatusCode[] allowed)
    {
        var token = caller switch
        {
            Caller.Customer => (await cluster.NewCustomerAsync()).Token,
            Caller.Admin => await cluster.AdminTokenAsync(),
            _ => null,
        };
        using var client = cluster.Client(path.Length % 2, token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
        {
            request.Content = JsonContent.Create(new { quantity = 1, delta = 1, reason = "authz", name = "Authz", price = 1m, currency = "EUR" });
        }
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await client.SendAsync(request);

        Assert.Contains(response.StatusCode, allowed);
    }
}
