using System.Globalization;
using System.Net;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FirstViscount.Api.Tests;

/// <summary>
/// The operations page's known set of events, in the hours before the current one (H): five hours ago two confirmed
/// orders (35.00, 5 units), two hours ago one (70.00, 7 units), an hour ago a cancelled and a failed one; four carts;
/// and SKU LAMP-1 with 3 in stock under a reorder point of 5.
/// </summary>
public sealed class OperationsPageSilo : AnalyticsSiloHost
{
    public DateTime Hour { get; } = DateTime.UtcNow.Date.AddHours(DateTime.UtcNow.Hour);

    protected override async Task AppendKnownEventsAsync()
    {
        var (fiveAgo, twoAgo, oneAgo) = (Hour.AddHours(-5), Hour.AddHours(-2), Hour.AddHours(-1));
        await AppendAsync("cart-p1", "cart.created", """{"cartId":"p1"}""", fiveAgo.AddMinutes(5));
        await AppendAsync("cart-p2", "cart.created", """{"cartId":"p2"}""", fiveAgo.AddMinutes(6));
        await AppendAsync("cart-p3", "cart.created", """{"cartId":"p3"}""", twoAgo.AddMinutes(1));
        await AppendAsync("cart-p4", "cart.created", """{"cartId":"p4"}""", oneAgo.AddMinutes(2));
        await OrderAsync("P1", fiveAgo.AddMinutes(10), """[{"sku":"X","quantity":2,"unitPrice":10.00},{"sku":"Y","quantity":1,"unitPrice":5.00}]""", 25.00m, confirmedAt: fiveAgo.AddMinutes(12));
        await OrderAsync("P2", fiveAgo.AddMinutes(20), """[{"sku":"Y","quantity":2,"unitPrice":5.00}]""", 10.00m, confirmedAt: fiveAgo.AddMinutes(22));
        await OrderAsync("P3", twoAgo.AddMinutes(10), """[{"sku":"X","quantity":7,"unitPrice":10.00}]""", 70.00m, confirmedAt: twoAgo.AddMinutes(15));
        await OrderAsync("P4", oneAgo.AddMinutes(10), """[{"sku":"Z","quantity":1,"unitPrice":3.00}]""", 3.00m, ending: ("order.cancelled", oneAgo.AddMinutes(12)));
        await OrderAsync("P5", oneAgo.AddMinutes(20), """[{"sku":"Z","quantity":2,"unitPrice":3.00}]""", 6.00m, ending: ("order.failed", oneAgo.AddMinutes(22)));
        var lamp = Services.GetRequiredService<IGrainFactory>().GetGrain<IInventorySkuGrain>("LAMP-1");
        await lamp.Receive(3, "first delivery");
        await lamp.SetReorderPoint(5);
    }
}

/// <summary>
/// The operations page at /ops/ in headless Chromium: an administrator signs in and sees the known events drawn and
/// counted; a customer is refused; the Orleans dashboard answers an administrator only. Screenshots are kept in
/// TestResults/screenshots.
/// </summary>
[Trait("Category", "Browser")]
public sealed class OperationsPageTests(OperationsPageSilo silo, Chromium chromium) : IClassFixture<OperationsPageSilo>, IClassFixture<Chromium>
{
    private sealed class Bar
    {
        public string Bucket { get; init; } = "";

        public string Revenue { get; init; } = "";

        public double Height { get; init; }
    }

    /// <summary>Opens the operations page in <paramref name="context"/> and signs in through its form.</summary>
    public static async Task<IPage> SignedInAsync(IBrowserContext context, string email, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ops/");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    private static async Task<IReadOnlyList<string>> RowsAsync(IPage page, string section) =>
        await page.Locator($"#{section} tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(row => [...row.cells].map(cell => cell.textContent.trim()).join(' '))");

    [Fact]
    public async Task An_admin_signs_in_and_sees_sales_per_hour_drawn_with_top_products_the_funnel_outcomes_stock_alerts_and_silos()
    {
        await (await silo.CaughtUpAsync()).GetStringAsync("/v1/inventory/alerts"); // the sink has delivered every event
        await using var context = await chromium.NewContextAsync(silo.Gateway);

        var page = await SignedInAsync(context, AnalyticsSiloHost.AdminEmail, AnalyticsSiloHost.AdminPassword);
        await Assertions.Expect(page.Locator("#sales-revenue")).ToHaveTextAsync("105.00");
        await Assertions.Expect(page.Locator("#alerts tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("body[data-loaded-at]")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "operations-page-admin");

        Assert.Equal(("3", "12"), (await page.Locator("#sales-orders").TextContentAsync(), await page.Locator("#sales-units").TextContentAsync()));
        var bars = await page.Locator("#sales-chart rect.bar").EvaluateAllAsync<Bar[]>(
            "bars => bars.map(bar => ({ bucket: bar.dataset.bucket, revenue: bar.dataset.revenue, height: bar.getBBox().height }))");
        Assert.Equal(24, bars.Length);
        var drawn = bars.Where(bar => bar.Height > 0).ToList();
        Assert.Equal([(silo.Hour.AddHours(-5), "35.00"), (silo.Hour.AddHours(-2), "70.00")],
            drawn.Select(bar => (DateTimeOffset.Parse(bar.Bucket, CultureInfo.InvariantCulture).UtcDateTime, bar.Revenue)));
        Assert.Equal(2.0, drawn[1].Height / drawn[0].Height, 3); // heights in proportion to revenue
        Assert.Equal(["X 9 90.00", "Y 3 15.00"], await RowsAsync(page, "top-products"));
        Assert.Equal(["Carts created 4", "Checkouts started 5", "Orders confirmed 3"], await RowsAsync(page, "funnel"));
        Assert.Equal(["Confirmed 3 60%", "Cancelled 1 20%", "Failed 1 20%"], await RowsAsync(page, "outcomes"));
        Assert.StartsWith("LAMP-1 3 5 ", Assert.Single(await RowsAsync(page, "alerts")));
        Assert.EndsWith("Active", (Assert.Single(await RowsAsync(page, "silos"))).Split(' ')[1]);
        Assert.Equal("Analytics are up to date with the event log.", await page.Locator(".status[data-for=freshness]").TextContentAsync());
        Assert.Empty(await page.Locator("main .status.error").AllAsync());
    }

    [Fact]
    public async Task A_customer_who_signs_in_is_refused_and_shown_no_data()
    {
        var (email, password, _) = await silo.NewCustomerAsync();
        await using var context = await chromium.NewContextAsync(silo.Gateway);

        var page = await SignedInAsync(context, email, password);

        await Assertions.Expect(page.Locator("#refused-message")).ToContainTextAsync("is not an administrator");
        await Chromium.ScreenshotAsync(page, "operations-page-customer-refused");
        Assert.True(await page.Locator("#board").IsHiddenAsync());
        Assert.Equal(0, await page.Locator("#sales-chart rect.bar").CountAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_told_apart_on_the_sign_in_form()
    {
        await using var context = await chromium.NewContextAsync(silo.Gateway);

        var page = await SignedInAsync(context, AnalyticsSiloHost.AdminEmail, "not-the-password");

        await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That e-mail and password do not match an account.");
        Assert.True(await page.Locator("#board").IsHiddenAsync());
    }

    [Fact]
    public async Task An_admin_opens_the_orleans_dashboard_from_the_page_and_a_customer_is_refused_it()
    {
        var (_, _, customerToken) = await silo.NewCustomerAsync();
        await using var admin = await chromium.NewContextAsync(silo.Gateway);
        await using var customer = await chromium.NewContextAsync(silo.Gateway, customerToken);

        var page = await SignedInAsync(admin, AnalyticsSiloHost.AdminEmail, AnalyticsSiloHost.AdminPassword);
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" });
        await Assertions.Expect(link).ToBeVisibleAsync();
        var dashboard = await admin.RunAndWaitForPageAsync(() => link.ClickAsync());
        // The dashboard's script read the cluster with the page's session: its overview counts this silo.
        await Assertions.Expect(dashboard.Locator(".info-box-content:has(.info-box-text:text-is('Active Silos')) .info-box-number")).ToHaveTextAsync("1");
        await Chromium.ScreenshotAsync(dashboard, "orleans-dashboard-admin");
        var refused = await (await customer.NewPageAsync()).GotoAsync("/dashboard/"); // a customer's bearer header

        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
    }

    [Fact]
    public async Task Signing_out_of_the_page_closes_the_dashboard_session()
    {
        await using var context = await chromium.NewContextAsync(silo.Gateway);
        var page = await SignedInAsync(context, AnalyticsSiloHost.AdminEmail, AnalyticsSiloHost.AdminPassword);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("E-mail")).ToBeVisibleAsync();
        await Eventually.HoldsAsync(async () => (await context.CookiesAsync()).All(cookie => cookie.Name != "fv_dashboard"), "the dashboard cookie is deleted");
        Assert.Equal((int)HttpStatusCode.Unauthorized, (await (await context.NewPageAsync()).GotoAsync("/dashboard/"))!.Status);
    }
}

/// <summary>The operations page on silos without ClickHouse (the API cluster): each analytics section says why it is empty, the rest still show.</summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Browser")]
public sealed class OperationsPageWithoutClickHouseTests(GatewayCluster cluster, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Sections_whose_route_fails_say_why_in_their_place_and_the_others_still_show()
    {
        await using var context = await chromium.NewContextAsync(cluster.Gateways[0]);

        var page = await OperationsPageTests.SignedInAsync(context, GatewayCluster.AdminEmail, GatewayCluster.AdminPassword);

        await Assertions.Expect(page.Locator("body[data-loaded-at]")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "operations-page-without-clickhouse");
        foreach (var section in new[] { "sales", "top-products", "freshness" })
        {
            await Assertions.Expect(page.Locator($".status.error[data-for='{section}']")).ToContainTextAsync("Analytics needs PostgreSQL and ClickHouse");
        }
        await Assertions.Expect(page.Locator("#funnel [data-field='cartsCreated']")).ToHaveTextAsync("–");
        Assert.Equal(0, await page.Locator("#sales-chart rect").CountAsync());
        Assert.Equal(2, await page.Locator("#silos tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator(".status.error[data-for='silos'], .status.error[data-for='alerts']").CountAsync());
    }
}
