using FirstViscount.Commerce.Carts;
using FirstViscount.Commerce.Catalog;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class CartTests
{
    private static InMemoryProductCatalog Catalog(params (string Sku, decimal Price)[] products)
    {
        var catalog = new InMemoryProductCatalog();
        foreach (var (sku, price) in products)
        {
            catalog.Upsert(new ProductSummary(sku, $"Product {sku}", price, "EUR"));
        }
        return catalog;
    }

    [Fact]
    public async Task Lines_are_added_updated_and_removed_and_the_total_follows()
    {
        await using var cluster = await CommerceCluster.DeployAsync(catalog: Catalog(("A", 10m), ("B", 2.5m)));
        var cart = cluster.Client.GetGrain<ICartGrain>(CommerceCluster.Key("customer"));

        await cart.SetItem("A", 2);
        await cart.SetItem("B", 4);
        var updated = await cart.SetItem("A", 3);
        Assert.Equal(40m, updated.Total);

        var removed = await cart.SetItem("B", 0);
        Assert.Equal(["A"], removed.Items.Select(i => i.Sku));
        Assert.Empty((await cart.RemoveItem("A")).Items);
    }

    [Fact]
    public async Task Cart_activity_is_recorded_in_the_event_log_and_a_new_cart_starts_with_cart_created()
    {
        await using var cluster = await CommerceCluster.DeployAsync(catalog: Catalog(("A", 10m), ("B", 2.5m)));
        var customer = CommerceCluster.Key("customer");
        var cart = cluster.Client.GetGrain<ICartGrain>(customer);

        await cart.SetItem("A", 2);
        await cart.SetItem("B", 1);
        await cart.RemoveItem("A");
        await cart.RemoveItem("B"); // empty again: the next item opens a new cart
        await cart.SetItem("A", 1);
        await cart.Clear();

        var recorded = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"cart-{customer}", 0, CancellationToken.None);
        Assert.Equal(
            ["cart.created", "cart.item-set", "cart.item-set", "cart.item-removed", "cart.item-removed", "cart.created", "cart.item-set", "cart.cleared"],
            recorded.Select(e => e.Type));
    }

    [Fact]
    public async Task Unknown_skus_and_quantities_over_100_are_refused()
    {
        await using var cluster = await CommerceCluster.DeployAsync(catalog: Catalog(("A", 10m)));
        var cart = cluster.Client.GetGrain<ICartGrain>(CommerceCluster.Key("customer"));

        await Assert.ThrowsAsync<UnknownSkuException>(() => cart.SetItem("NOPE", 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cart.SetItem("A", 101));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cart.SetItem("A", -1));
        Assert.Empty((await cart.Get()).Items);
    }

    [Fact]
    public async Task The_price_is_captured_at_add_and_a_later_change_is_flagged_when_repriced()
    {
        var catalog = Catalog(("A", 10m), ("B", 5m));
        await using var cluster = await CommerceCluster.DeployAsync(catalog: catalog);
        var cart = cluster.Client.GetGrain<ICartGrain>(CommerceCluster.Key("customer"));
        await cart.SetItem("A", 1);
        await cart.SetItem("B", 1);

        catalog.Upsert(new ProductSummary("A", "Product A", 12m, "EUR"));
        Assert.Equal(10m, (await cart.Get()).Items.Single(i => i.Sku == "A").UnitPrice);

        var repriced = await cart.Reprice();
        var a = repriced.Items.Single(i => i.Sku == "A");
        Assert.Equal((12m, true), (a.UnitPrice, a.PriceChanged));
        Assert.False(repriced.Items.Single(i => i.Sku == "B").PriceChanged);
        Assert.Equal(17m, repriced.Total);
    }

    [Fact]
    public async Task A_cart_lives_in_redis_with_a_seven_day_time_to_live_and_survives_its_silo()
    {
        await using var cluster = await CommerceCluster.DeployAsync(catalog: Catalog(("A", 10m)));
        var customer = CommerceCluster.Key("customer");
        var cart = cluster.Client.GetGrain<ICartGrain>(customer);
        await cart.SetItem("A", 2);

        var ttl = await TestRedis.Connection.GetDatabase().KeyTimeToLiveAsync($"{cluster.Options.ServiceId}/state/cart/{customer}/cart");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));

        await CommerceCluster.ReplaceEverySiloAsync(cluster, kill: true);
        Assert.Equal(2, (await cart.Get()).Items.Single().Quantity);
    }
}
