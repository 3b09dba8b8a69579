using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;

namespace FirstViscount.Api.Tests;

/// <summary>
/// The analytics routes' known set of events: 3 days ago two confirmed orders, the day after a cancelled and a failed
/// one, and one confirmed now (served from the facts; the older hours come from the roll-up).
/// </summary>
public sealed class AnalyticsSilo : AnalyticsSiloHost
{
    public DateTime Day { get; } = DateTime.UtcNow.Date.AddDays(-3);

    protected override async Task AppendKnownEventsAsync()
    {
        var d1 = Day.AddDays(1);
        await AppendAsync("cart-c1", "cart.created", """{"cartId":"c1"}""", Day.AddHours(9.1));
        await AppendAsync("cart-c1", "cart.item-set", """{"cartId":"c1","sku":"X","quantity":2}""", Day.AddHours(9.15));
        await AppendAsync("cart-c2", "cart.created", """{"cartId":"c2"}""", Day.AddHours(9.2));
        await AppendAsync("cart-c3", "cart.created", """{"cartId":"c3"}""", d1.AddHours(10));
        await OrderAsync("A", Day.AddHours(9.5), """[{"sku":"X","quantity":2,"unitPrice":10.00},{"sku":"Y","quantity":1,"unitPrice":5.00}]""", 25.00m, confirmedAt: Day.AddHours(9.7));
        await OrderAsync("B", Day.AddHours(10.1), """[{"sku":"X","quantity":1,"unitPrice":10.00}]""", 10.00m, confirmedAt: Day.AddHours(10.25));
        await OrderAsync("C", d1.AddHours(11), """[{"sku":"Y","quantity":7,"unitPrice":5.00}]""", 35.00m, ending: ("order.cancelled", d1.AddHours(11.1)));
        await OrderAsync("D", d1.AddHours(12), """[{"sku":"Y","quantity":9,"unitPrice":5.00}]""", 45.00m, ending: ("order.failed", d1.AddHours(12.1)));
        await ShipmentAsync("S1", promised: d1, deliveredAt: d1.AddHours(10)); // on time
        await ShipmentAsync("S2", promised: Day, deliveredAt: d1.AddHours(12)); // a day late
        await OrderAsync("E", DateTime.UtcNow, """[{"sku":"Z","quantity":4,"unitPrice":2.50}]""", 10.00m, confirmedAt: DateTime.UtcNow);
    }

    private async Task ShipmentAsync(string id, DateTime promised, DateTime deliveredAt)
    {
        var created = $$"""{"shipmentId":"{{id}}","orderId":"{{id}}","carrier":"fv-post","trackingNumber":"FV{{id}}","country":"DE","weightGrams":500,"estimatedDelivery":"{{promised:yyyy-MM-dd}}"}""";
        await AppendAsync($"shipment-{id}", "shipment.created", created, promised.AddDays(-2));
        var delivered = $$"""{"shipmentId":"{{id}}","orderId":"{{id}}","carrierEventId":"{{id}}-1","status":"Delivered","carrierStatus":"DELIVERED","location":"Berlin","description":"","occurredAt":"{{deliveredAt:yyyy-MM-ddTHH:mm:ssZ}}"}""";
        await AppendAsync($"shipment-{id}", "shipment.tracked", delivered, deliveredAt.AddMinutes(1));
    }
}

[Trait("Category", "Analytics")]
public sealed class AnalyticsApiTests(AnalyticsSilo silo) : IClassFixture<AnalyticsSilo>
{
    private static string Iso(DateTime moment) => moment.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Rows(JsonElement array, params string[] fields) =>
        string.Join(" | ", array.EnumerateArray().Select(row => string.Join(" ", fields.Select(f => row.GetProperty(f).ToString()))));

    [Fact]
    public async Task Sales_per_day_and_per_hour_count_confirmed_orders_units_and_revenue()
    {
        using var client = await silo.CaughtUpAsync();
        var days = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/sales?from={Iso(silo.Day)}&to={Iso(silo.Day.AddDays(4))}&interval=day");
        var hours = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/sales?from={Iso(silo.Day.AddHours(9))}&to={Iso(silo.Day.AddHours(11))}&interval=hour");

        Assert.Equal("2 4 35.00 | 0 0 0 | 0 0 0 | 1 4 10.00", Rows(days, "orders", "units", "revenue"));
        Assert.Equal(Iso(silo.Day), days[0].GetProperty("bucket").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Assert.Equal("1 3 25.00 | 1 1 10.00", Rows(hours, "orders", "units", "revenue"));
    }

    [Fact]
    public async Task The_closed_hours_come_from_the_roll_up()
    {
        using var client = await silo.CaughtUpAsync();
        using var clickHouse = new HttpClient { BaseAddress = new Uri(TestServers.ClickHouse) };

        var rolled = await clickHouse.PostAsync("", new StringContent(
            $"SELECT hour, orders, units, revenue FROM {silo.ClickHouseDatabase}.fv_sales_hourly FINAL ORDER BY hour FORMAT TabSeparated"));

        var hour9 = silo.Day.AddHours(9).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var hour10 = silo.Day.AddHours(10).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.StartsWith($"{hour9}\t1\t3\t25.00\n{hour10}\t1\t1\t10.00\n", await rolled.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Top_products_rank_by_revenue_among_confirmed_orders()
    {
        using var client = await silo.CaughtUpAsync();

        var top = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/top-products?from={Iso(silo.Day)}&to={Iso(silo.Day.AddDays(4))}&limit=2");

        Assert.Equal("X 3 30.00 | Z 4 10.00", Rows(top, "sku", "units", "revenue"));
    }

    [Fact]
    public async Task The_funnel_counts_carts_checkouts_and_how_orders_ended()
    {
        using var client = await silo.CaughtUpAsync();

        var funnel = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/funnel?from={Iso(silo.Day)}&to={Iso(silo.Day.AddDays(4))}");
        var firstDay = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/funnel?from={Iso(silo.Day)}&to={Iso(silo.Day.AddDays(1))}");

        Assert.Equal("3 5 3 1 1", string.Join(" ", new[] { "cartsCreated", "checkoutsStarted", "ordersConfirmed", "ordersCancelled", "ordersFailed" }.Select(f => funnel.GetProperty(f).GetInt64())));
        Assert.Equal("2 2 2 0 0", string.Join(" ", new[] { "cartsCreated", "checkoutsStarted", "ordersConfirmed", "ordersCancelled", "ordersFailed" }.Select(f => firstDay.GetProperty(f).GetInt64())));
    }

    [Fact]
    public async Task Deliveries_count_each_day_s_delivered_shipments_and_how_many_arrived_by_their_promised_day()
    {
        using var client = await silo.AdminAsync();
        var day = DateOnly.FromDateTime(silo.Day);

        var report = await client.GetFromJsonAsync<JsonElement>($"/v1/analytics/deliveries?from={day:yyyy-MM-dd}&to={day.AddDays(3):yyyy-MM-dd}");

        Assert.Equal("2 1 0.5", $"{report.GetProperty("delivered")} {report.GetProperty("onTime")} {report.GetProperty("onTimeRate")}");
        Assert.Equal($"{day:yyyy-MM-dd} 0 0 | {day.AddDays(1):yyyy-MM-dd} 2 1 | {day.AddDays(2):yyyy-MM-dd} 0 0", Rows(report.GetProperty("days"), "day", "delivered", "onTime"));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("days")[0].GetProperty("onTimeRate").ValueKind);
    }

    [Fact]
    public async Task Freshness_reports_the_log_and_the_sink_positions()
    {
        using var client = await silo.CaughtUpAsync();
        await using var last = silo.Events.CreateCommand("SELECT max(position) FROM events");
        var newest = (long)(await last.ExecuteScalarAsync())!;

        var freshness = await client.GetFromJsonAsync<JsonElement>("/v1/analytics/freshness");

        Assert.Equal(newest, freshness.GetProperty("lastEventPosition").GetInt64());
        Assert.Equal(newest, freshness.GetProperty("lastSinkPosition").GetInt64());
        Assert.Equal(0, freshness.GetProperty("lagEvents").GetInt64());
        Assert.Equal(0, freshness.GetProperty("lagSeconds").GetDouble());
    }

    [Theory]
    [InlineData("/v1/analytics/sales?interval=week", "interval")]
    [InlineData("/v1/analytics/sales?from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("/v1/analytics/sales?from=yesterday", "from")]
    [InlineData("/v1/analytics/sales?from=2020-01-01&to=2026-01-01&interval=hour", "interval")]
    [InlineData("/v1/analytics/top-products?limit=0", "limit")]
    [InlineData("/v1/analytics/funnel?to=not-a-date", "to")]
    [InlineData("/v1/analytics/deliveries?from=2026-12-01T10:00:00Z", "from")]
    [InlineData("/v1/analytics/deliveries?from=2024-01-01&to=2026-01-01", "from")]
    [InlineData("/v1/analytics/deliveries?from=2026-01-02&to=2026-01-01", "from")]
    public async Task Bad_parameters_get_a_validation_problem(string path, string field)
    {
        using var client = await silo.AdminAsync();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Analytics_is_for_admins_only()
    {
        using var anonymous = new HttpClient { BaseAddress = silo.Gateway };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/analytics/freshness")).StatusCode);
    }
}
