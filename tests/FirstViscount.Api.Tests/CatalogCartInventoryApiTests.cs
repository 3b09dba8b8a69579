using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;

namespace FirstViscount.Api.Tests;

[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class CatalogCartInventoryApiTests(GatewayCluster cluster)
{
    private async Task<string> NewProductAsync(decimal price = 19.99m, int stock = 10)
    {
        var sku = $"API-{Guid.NewGuid():N}"[..20];
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        var put = await admin.PutAsJsonAsync($"/v1/products/{sku}", new
        {
            name = $"Walnut desk {sku}", description = "Solid walnut", category = (string?)null, brand = "Joinery", attributes = new { wood = "walnut" }, price, currency = "EUR",
        });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        if (stock > 0)
        {
            (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = stock, reason = "delivery" })).EnsureSuccessStatusCode();
        }
        return sku;
    }

    [Fact]
    public async Task An_admin_puts_a_product_anyone_reads_it_with_an_etag_and_a_customer_may_not_write()
    {
        var sku = await NewProductAsync();
        using var anonymous = cluster.Client(1);

        var read = await anonymous.GetAsync($"/v1/products/{sku}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var product = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(19.99m, product.GetProperty("price").GetDecimal());
        Assert.True(product.GetProperty("available").GetBoolean());
        var etag = read.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/products/{sku}") { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/v1/products/NO-SUCH-SKU")).StatusCode);

        var (_, token, _) = await cluster.NewCustomerAsync();
        using var customer = cluster.Client(0, token);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PutAsJsonAsync($"/v1/products/{sku}", new { name = "x", price = 1, currency = "EUR" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/v1/products/{sku}", new { name = "x", price = 1, currency = "EUR" })).StatusCode);
    }

    [Fact]
    public async Task An_admin_puts_categories_into_a_tree_refusing_an_unknown_parent_a_cycle_and_a_bad_slug()
    {
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        var root = $"books-{Guid.NewGuid():N}"[..14];
        var (fiction, crime) = ($"{root}/fiction", $"{root}/fiction/crime");
        async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string slug, object body)
        {
            using var response = await admin.PutAsJsonAsync($"/v1/categories/{slug}", body);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        Assert.Equal(HttpStatusCode.Created, (await PutAsync(root, new { name = "Books", parent = (string?)null })).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(fiction, new { name = "Fiction", parent = root })).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(crime, new { name = "Crime", parent = fiction })).Status);
        var renamed = await PutAsync(fiction, new { name = "Novels", parent = root });
        var unknownParent = await PutAsync($"{root}/poetry", new { name = "Poetry", parent = $"{root}/none" });
        var cycle = await PutAsync(root, new { name = "Books", parent = crime });
        var badSlug = await PutAsync("Books%20Fiction", new { name = "Books", parent = (string?)null });

        Assert.Equal((HttpStatusCode.OK, "Novels"), (renamed.Status, renamed.Body.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, unknownParent.Status);
        Assert.Contains($"{root}/none", unknownParent.Body.GetProperty("errors").GetProperty("parent")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, cycle.Status);
        Assert.Contains("cycle", cycle.Body.GetProperty("errors").GetProperty("parent")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badSlug.Status);
        var tree = await cluster.Client(1).GetFromJsonAsync<JsonElement>("/v1/categories");
        var books = tree.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == root);
        var novels = books.GetProperty("children").EnumerateArray().Single();
        Assert.Equal(("Novels", crime), (novels.GetProperty("name").GetString(), novels.GetProperty("children")[0].GetProperty("slug").GetString()));

        var product = await admin.PutAsJsonAsync($"/v1/products/CAT-{Guid.NewGuid():N}"[..30], new { name = "Lost", category = $"{root}/none", price = 1m, currency = "EUR" });
        Assert.Equal(HttpStatusCode.BadRequest, product.StatusCode);
        Assert.Contains($"{root}/none", await product.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_shows_each_hits_availability_as_its_stock_changes()
    {
        var sku = await NewProductAsync(stock: 0);
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());
        using var anonymous = cluster.Client(1);
        async Task<bool?> AvailableInSearchAsync()
        {
            var page = await anonymous.GetFromJsonAsync<JsonElement>($"/v1/products?q={sku}");
            return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("sku").GetString() == sku)
                .Select(i => (bool?)i.GetProperty("available").GetBoolean()).SingleOrDefault();
        }

        Assert.False(await AvailableInSearchAsync());
        (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = 3, reason = "delivery" })).EnsureSuccessStatusCode();
        await Eventually.ReadAsync(AvailableInSearchAsync, available => available == true, "the stock shows in search");
        (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = -3, reason = "breakage" })).EnsureSuccessStatusCode();
        await Eventually.ReadAsync(AvailableInSearchAsync, available => available == false, "the sold-out SKU shows as unavailable in search");
    }

    [Fact]
    public async Task Search_finds_by_text_and_rejects_bad_query_values_with_400()
    {
        var sku = await NewProductAsync(price: 333.33m);
        using var client = cluster.Client();

        var page = await client.GetFromJsonAsync<JsonElement>($"/v1/products?q={sku}&minPrice=300&maxPrice=400&sort=price&page=1&pageSize=5");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("sku").GetString() == sku);

        foreach (var bad in new[] { "page=0", "pageSize=1000", "sort=cheapest", "minPrice=abc", "minPrice=5&maxPrice=1", "pageSize=-1" })
        {
            var response = await client.GetAsync($"/v1/products?{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_cart_is_private_to_its_customer_and_follows_put_and_delete()
    {
        var sku = await NewProductAsync(price: 12.50m);
        var (_, ada, _) = await cluster.NewCustomerAsync();
        var (_, bob, _) = await cluster.NewCustomerAsync();
        using var adaClient = cluster.Client(0, ada);
        using var bobClient = cluster.Client(1, bob);

        var cart = await (await adaClient.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(37.50m, cart.GetProperty("total").GetDecimal());
        Assert.Empty((await bobClient.GetFromJsonAsync<JsonElement>("/v1/cart")).GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NotFound, (await adaClient.PutAsJsonAsync("/v1/cart/items/NO-SUCH-SKU", new { quantity = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adaClient.PutAsJsonAsync($"/v1/cart/items/{sku}", new { quantity = 101 })).StatusCode);
        Assert.Empty((await (await adaClient.DeleteAsync($"/v1/cart/items/{sku}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await adaClient.DeleteAsync("/v1/cart")).StatusCode);
    }

    [Fact]
    public async Task Inventory_is_for_admins_and_an_adjustment_below_reserved_is_409()
    {
        var sku = await NewProductAsync(stock: 5);
        using var admin = cluster.Client(1, await cluster.AdminTokenAsync());
        var (_, token, _) = await cluster.NewCustomerAsync();
        using var customer = cluster.Client(0, token);

        var levels = await admin.GetFromJsonAsync<JsonElement>($"/v1/inventory/{sku}");
        Assert.Equal(5, levels.GetProperty("available").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/v1/inventory/{sku}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = -6, reason = "breakage" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = 0, reason = "" })).StatusCode);
        var movements = await admin.GetFromJsonAsync<JsonElement>($"/v1/inventory/{sku}/movements?page=1");
        Assert.Equal("receipt", movements[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_sku_that_falls_to_its_reorder_point_is_listed_in_the_stock_alerts()
    {
        var sku = await NewProductAsync(stock: 5);
        using var admin = cluster.Client(0, await cluster.AdminTokenAsync());

        (await admin.PostAsJsonAsync($"/v1/inventory/{sku}/adjustments", new { delta = -5, reason = "sold out elsewhere" })).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement alert;
        while (!TryFind(await admin.GetFromJsonAsync<JsonElement>("/v1/inventory/alerts"), sku, out alert))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{sku} never appeared in the stock alerts");
            await Task.Delay(100);
        }
        Assert.Equal(0, alert.GetProperty("available").GetInt32());
        Assert.Equal(0, alert.GetProperty("reorderPoint").GetInt32());
        Assert.True(alert.GetProperty("since").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/v1/inventory/alerts?page=0")).StatusCode);
    }

    private static bool TryFind(JsonElement alerts, string sku, out JsonElement alert)
    {
        alert = alerts.EnumerateArray().FirstOrDefault(a => a.GetProperty("sku").GetString() == sku);
        return alert.ValueKind == JsonValueKind.Object;
    }
}
