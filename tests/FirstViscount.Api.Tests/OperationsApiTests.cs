using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FirstViscount.Api.Tests;

[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class OperationsApiTests(GatewayCluster cluster)
{
    [Fact]
    public async Task Health_endpoints_answer_and_readiness_reports_every_dependency()
    {
        using var client = cluster.Client(1);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        foreach (var dependency in new[] { "membership", "postgres", "redis" })
        {
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(dependency).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Without_clickhouse_the_analytics_routes_answer_503_with_a_problem_that_says_so()
    {
        using var client = cluster.Client(0, await cluster.AdminTokenAsync());

        var response = await client.GetAsync("/v1/analytics/sales");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("ClickHouse", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_routes()
    {
        using var client = cluster.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode); // the browsable UI
        foreach (var path in new[] { "/v1/customers", "/v1/auth/token", "/v1/products", "/v1/products/{sku}", "/v1/cart/items/{sku}", "/v1/checkout", "/v1/orders/{orderId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_with_retry_after()
    {
        var (_, token, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, token);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 1_500 && limited is null; i++)
        {
            var response = await client.GetAsync("/v1/cart");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        using var other = cluster.Client(0, (await cluster.NewCustomerAsync()).Token);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/cart")).StatusCode); // limits are per client
    }
}
