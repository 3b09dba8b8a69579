using Bogus;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Inventory;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.Seeding;

/// <summary>What a seeding run did.</summary>
public sealed record SeedResult(int Categories, int ProductsCreated, int StockStreamsCreated);

/// <summary>
/// Seeds a realistic catalog (Bogus, fixed seed: the same data every run) with a two-level category tree,
/// products with prices, and opening stock as each SKU's first inventory event. Idempotent: products are keyed
/// by sku and stock is only added to SKUs with no inventory history, so running it again duplicates nothing.
/// </summary>
public sealed class CatalogSeeder(NpgsqlDataSource dataSource, PostgresEventStore events, EventSerializer serializer)
{
    private const int BatchSize = 1_000;

    /// <summary>
    /// Seeds <paramref name="products"/> products with SKUs <c>{skuPrefix}-0000001</c>… into categories such as
    /// <c>home</c> and <c>home/outlet</c> (prefixed <c>{categoryPrefix}-</c> when given, to keep a test's tree apart).
    /// <paramref name="progress"/> is told the number of products of each batch once the batch is stored.
    /// </summary>
    public async Task<SeedResult> SeedAsync(int products, string skuPrefix = "SKU", int seed = 42, string? categoryPrefix = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Randomizer.Seed = new Random(seed);
        var categories = await SeedCategoriesAsync(categoryPrefix, cancellationToken);
        var leaves = categories.Where(c => c.Parent is not null).Select(c => c.Slug).ToArray();
        var faker = new Faker("en");
        int created = 0, stocked = 0;
        for (var start = 0; start < products; start += BatchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(BatchSize, products - start)).Select(i => new Product(
                $"{skuPrefix}-{i + 1:D7}",
                faker.Commerce.ProductName(),
                faker.Commerce.ProductDescription(),
                faker.Company.CompanyName(0),
                faker.PickRandom(leaves),
                new Dictionary<string, string> { ["colour"] = faker.Commerce.Color(), ["material"] = faker.Commerce.ProductMaterial() },
                Math.Round(faker.Random.Decimal(1m, 500m), 2),
                "EUR")).ToList();
            created += await InsertProductsAsync(batch, cancellationToken);
            var stock = batch.Select(p => ($"inventory-sku-{p.Sku}",
                serializer.Serialize(new StockReceived(p.Sku, faker.Random.Int(0, 500), "opening stock"), new EventMetadata(Actor: "seed")))).ToList();
            stocked += await events.AppendFirstEventsAsync(stock, cancellationToken);
            progress?.Report(batch.Count);
        }
        return new SeedResult(categories.Count, created, stocked);
    }

    private async Task<List<Category>> SeedCategoriesAsync(string? prefix, CancellationToken cancellationToken)
    {
        string[] roots = ["Electronics", "Home", "Garden", "Sports", "Fashion", "Books", "Toys", "Grocery"];
        string[] kinds = ["Essentials", "Premium", "Accessories", "Outlet"];
        var categories = new List<Category>();
        foreach (var root in roots)
        {
            var rootSlug = prefix is null ? root.ToLowerInvariant() : $"{prefix.ToLowerInvariant()}-{root.ToLowerInvariant()}";
            categories.Add(new Category(rootSlug, root, null));
            categories.AddRange(kinds.Select(kind => new Category($"{rootSlug}/{kind.ToLowerInvariant()}", $"{root} {kind}", rootSlug)));
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO categories (slug, name, parent_slug)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (slug) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = categories.Select(c => c.Slug).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = categories.Select(c => c.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = categories.Select(c => c.Parent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return categories;
    }

    private async Task<int> InsertProductsAsync(IReadOnlyList<Product> products, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH inserted AS (
                INSERT INTO products (sku, name, description, brand, category_slug, attributes, price, currency)
                SELECT sku, name, description, brand, category, attributes::jsonb, price, 'EUR'
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
                     AS p(sku, name, description, brand, category, attributes, price)
                ON CONFLICT (sku) DO NOTHING
                RETURNING sku, price)
            INSERT INTO prices (sku, effective_from, amount) SELECT sku, now(), price FROM inserted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Sku).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Description).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Brand).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Category).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => System.Text.Json.JsonSerializer.Serialize(p.Attributes)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = products.Select(p => p.Price).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
