using FirstViscount.Commerce.Catalog;
using FirstViscount.Postgres;
using FirstViscount.Tests;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class CatalogTests
{
    private static readonly Lazy<Task<NpgsqlDataSource>> DataSource = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return dataSource;
    });

    private static async Task<PostgresCatalog> CatalogAsync(TimeProvider? time = null) =>
        new(await DataSource.Value, TestRedis.Connection, time ?? TimeProvider.System);

    /// <summary>A word no other test uses, so searches see only this test's products.</summary>
    private static string Word() => "zq" + Guid.NewGuid().ToString("N")[..10];

    private static Product Product(string sku, string name, decimal price, string? category = null, string description = "", string brand = "Acme") =>
        new(sku, name, description, brand, category, new Dictionary<string, string> { ["colour"] = "blue" }, price, "EUR");

    [Fact]
    public async Task Search_ranks_a_match_in_the_name_above_one_in_the_description()
    {
        var catalog = await CatalogAsync();
        var word = Word();
        await catalog.UpsertProductAsync(Product($"{word}-1", "Plain sock", 5m, description: $"Pairs well with {word} boots"));
        await catalog.UpsertProductAsync(Product($"{word}-2", $"{word} trail runner", 90m));
        await catalog.UpsertProductAsync(Product($"{word}-3", "Rain jacket", 60m, brand: word));

        var page = await catalog.SearchAsync(new ProductQuery(word));

        Assert.Equal([$"{word}-2", $"{word}-3", $"{word}-1"], page.Items.Select(i => i.Sku));
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public async Task Filters_by_category_including_subcategories_and_by_price_range_sort_and_page()
    {
        var catalog = await CatalogAsync();
        var word = Word();
        await catalog.UpsertCategoryAsync(new Category($"{word}-shoes", "Shoes", null));
        await catalog.UpsertCategoryAsync(new Category($"{word}-trail", "Trail shoes", $"{word}-shoes"));
        await catalog.UpsertCategoryAsync(new Category($"{word}-hats", "Hats", null));
        for (var i = 1; i <= 6; i++)
        {
            await catalog.UpsertProductAsync(Product($"{word}-{i}", $"{word} item {i}", i * 10m, i % 2 == 0 ? $"{word}-trail" : $"{word}-shoes"));
        }
        await catalog.UpsertProductAsync(Product($"{word}-hat", $"{word} hat", 15m, $"{word}-hats"));

        var shoes = await catalog.SearchAsync(new ProductQuery(Category: $"{word}-shoes", Sort: ProductSort.PriceDescending, PageSize: 4));
        Assert.Equal(6, shoes.Total);
        Assert.Equal([60m, 50m, 40m, 30m], shoes.Items.Select(i => i.Price));
        var second = await catalog.SearchAsync(new ProductQuery(Category: $"{word}-shoes", Sort: ProductSort.PriceDescending, Page: 2, PageSize: 4));
        Assert.Equal([20m, 10m], second.Items.Select(i => i.Price));
        var trail = await catalog.SearchAsync(new ProductQuery(Category: $"{word}-trail", Sort: ProductSort.Name)); // a leaf: one category
        Assert.Equal([$"{word}-2", $"{word}-4", $"{word}-6"], trail.Items.Select(i => i.Sku));
        Assert.Equal(0, (await catalog.SearchAsync(new ProductQuery(Category: $"{word}-none"))).Total);

        var midRange = await catalog.SearchAsync(new ProductQuery(word, MinPrice: 15m, MaxPrice: 40m, Sort: ProductSort.Price));
        Assert.Equal([15m, 20m, 30m, 40m], midRange.Items.Select(i => i.Price));

        var tree = await catalog.GetCategoryTreeAsync();
        var root = Assert.Single(tree, c => c.Slug == $"{word}-shoes");
        Assert.Equal([$"{word}-trail"], root.Children.Select(c => c.Slug));
    }

    [Fact]
    public async Task A_price_change_is_visible_to_readers_at_once_despite_the_cache()
    {
        var catalog = await CatalogAsync();
        var sku = Word();
        Assert.True(await catalog.UpsertProductAsync(Product(sku, "Lamp", 30m)));
        Assert.Equal(30m, (await catalog.FindAsync(sku, CancellationToken.None))!.Price); // now cached

        Assert.False(await catalog.UpsertProductAsync(Product(sku, "Lamp", 27.5m)));

        Assert.Equal(27.5m, (await catalog.FindAsync(sku, CancellationToken.None))!.Price);
        Assert.Equal("blue", (await catalog.GetProductAsync(sku))!.Attributes["colour"]);
        Assert.Null(await catalog.FindAsync(Word(), CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_price_becomes_the_price_when_its_time_comes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var catalog = await CatalogAsync(time);
        var sku = Word();
        await catalog.UpsertProductAsync(Product(sku, "Kettle", 40m));
        await catalog.SchedulePriceAsync(sku, 35m, time.GetUtcNow().AddHours(1));
        await catalog.FindAsync(sku, CancellationToken.None);

        Assert.DoesNotContain(sku, await catalog.ApplyDuePricesAsync());
        time.Advance(TimeSpan.FromHours(1));
        Assert.Contains(sku, await catalog.ApplyDuePricesAsync());

        Assert.Equal(35m, (await catalog.FindAsync(sku, CancellationToken.None))!.Price);
    }
}
