using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Seeding;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class SeededCatalogTests
{
    [Fact]
    public async Task A_seeded_catalog_searches_filters_and_pages_consistently_and_seeding_again_adds_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        var prefix = $"T{Guid.NewGuid():N}"[..12];
        var seeder = new CatalogSeeder(dataSource, new PostgresEventStore(dataSource), CommerceEvents.CreateSerializer());

        var first = await seeder.SeedAsync(1_500, prefix, categoryPrefix: prefix);
        var again = await seeder.SeedAsync(1_500, prefix, categoryPrefix: prefix);

        Assert.Equal((40, 1_500, 1_500), (first.Categories, first.ProductsCreated, first.StockStreamsCreated));
        Assert.Equal((0, 0), (again.ProductsCreated, again.StockStreamsCreated));

        var catalog = new PostgresCatalog(dataSource, TestRedis.Connection, TimeProvider.System);
        var root = $"{prefix.ToLowerInvariant()}-electronics";
        var page1 = await catalog.SearchAsync(new ProductQuery(Category: root, Sort: ProductSort.Price, PageSize: 50));
        var page2 = await catalog.SearchAsync(new ProductQuery(Category: root, Sort: ProductSort.Price, Page: 2, PageSize: 50));
        Assert.InRange(page1.Total, 100, 300); // one root of eight, through its four subcategories
        Assert.All(page1.Items.Concat(page2.Items), item => Assert.StartsWith(root + "/", item.Category)); // e.g. electronics/outlet
        var prices = page1.Items.Concat(page2.Items).Select(i => i.Price).ToList();
        Assert.Equal(prices.Order(), prices);
        Assert.Empty(page1.Items.Select(i => i.Sku).Intersect(page2.Items.Select(i => i.Sku)));

        var probe = (await catalog.GetProductAsync($"{prefix}-0000042"))!;
        var word = probe.Name.Split(' ')[^1];
        var hits = await catalog.SearchAsync(new ProductQuery($"{word} {probe.Brand.Split(' ')[0]}", Category: probe.Category, PageSize: 100));
        Assert.Contains(hits.Items, i => i.Sku == probe.Sku);
        Assert.All(hits.Items, i => Assert.Equal(probe.Category, i.Category));
    }
}
