using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Audit;
using FirstViscount.Tests;

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
    public async Task Metrics_are_scraped_at_metrics_by_an_admin_in_prometheus_text_with_the_http_orleans_and_runtime_meters()
    {
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
        await admin.GetAsync("/v1/categories"); // at least one request measured

        var scrape = await admin.GetStringAsync("/metrics");

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", scrape);
        Assert.Contains("orleans_", scrape);
        Assert.Contains("dotnet_gc_", scrape);
        Assert.Equal(HttpStatusCode.Forbidden, (await cluster.Client(1, (await cluster.NewCustomerAsync()).Token).GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task The_orleans_dashboard_answers_an_admin_with_the_clusters_silos_and_refuses_a_customer()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        using var customer = cluster.Client(0, (await cluster.NewCustomerAsync()).Token);

        var page = await admin.GetAsync("/dashboard/");
        var counters = await admin.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.True(counters.GetProperty("totalActiveHostCount").GetInt32() >= 2, counters.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cluster.Client(1).GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task The_audit_route_shows_the_latest_recorded_audit_with_its_findings()
    {
        var now = DateTimeOffset.UtcNow;
        var recorded = new AuditReport(Guid.NewGuid(), now, now.AddSeconds(2), "api test", 42,
            [new AuditCheckResult("orders-payments", AuditCheckStatus.Inconsistent, 1), new AuditCheckResult("clickhouse-totals", AuditCheckStatus.Skipped, 0, "ClickHouse is not configured")],
            [new AuditFinding("orders-payments", "o-api-test", "the order is Confirmed without a captured payment")], []);
        await using (var postgres = Npgsql.NpgsqlDataSource.Create(TestServers.Postgres))
        {
            await AuditLog.RecordAsync(postgres, recorded);
        }
        using var client = cluster.Client(1, await cluster.AdminTokenAsync());

        var audit = await client.GetFromJsonAsync<JsonElement>("/v1/admin/audit");

        var run = audit.GetProperty("lastRun");
        Assert.Equal(recorded.RunId, run.GetProperty("runId").GetGuid());
        Assert.False(run.GetProperty("consistent").GetBoolean());
        Assert.Equal(1, run.GetProperty("findingCount").GetInt32());
        Assert.Equal(2.0, run.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("o-api-test", run.GetProperty("findings")[0].GetProperty("subject").GetString());
        Assert.Equal("ClickHouse is not configured", run.GetProperty("checks")[1].GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Array, audit.GetProperty("retention").ValueKind);
    }

    [Fact]
    public async Task The_operations_page_is_served_from_the_silo_with_a_same_origin_policy_and_revalidated_by_etag()
    {
        using var client = cluster.Client();

        var page = await client.GetAsync("/ops/");
        using var unchanged = new HttpRequestMessage(HttpMethod.Get, "/ops/ops.js");
        unchanged.Headers.IfNoneMatch.Add((await client.GetAsync("/ops/ops.js")).Headers.ETag!);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cluster.Gateways[0] };
        var withoutSlash = await noRedirects.GetAsync("/ops");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<script type=\"module\" src=\"ops.js\">", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(unchanged)).StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, "/ops/"), (withoutSlash.StatusCode, withoutSlash.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ops/secrets.json")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_session_is_an_admins_http_only_strict_cookie_that_opens_only_the_dashboards_reads()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        using var customer = cluster.Client(0, (await cluster.NewCustomerAsync()).Token);

        var opened = await admin.PostAsync("/ops/dashboard-session", null);
        var cookie = opened.Headers.GetValues("Set-Cookie").Single();
        using var withCookie = cluster.Client(0);
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);

        Assert.Equal(HttpStatusCode.NoContent, opened.StatusCode);
        Assert.StartsWith("fv_dashboard=", cookie);
        Assert.Contains("path=/dashboard", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Equal(HttpStatusCode.OK, (await withCookie.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withCookie.GetAsync("/v1/admin/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsync("/ops/dashboard-session", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cluster.Client(0).PostAsync("/ops/dashboard-session", null)).StatusCode);
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
