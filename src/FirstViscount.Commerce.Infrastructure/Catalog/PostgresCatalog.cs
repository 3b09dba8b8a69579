using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace FirstViscount.Commerce.Catalog;

/// <summary>
/// The catalog on PostgreSQL with a Redis cache-aside for single-product reads. A change deletes the cached
/// copy after it commits, so readers see it at once (the promise is within 1 s). Search is full text over name
/// (weight A), brand (B) and description (C), ranked, with category (and its subcategories) and price filters.
/// </summary>
public sealed class PostgresCatalog(NpgsqlDataSource dataSource, IConnectionMultiplexer redisConnection, TimeProvider time, ReplicaLagMonitor? replica = null)
    : IProductCatalog
{
    private readonly IDatabase redis = redisConnection.GetDatabase();

    private static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task UpsertCategoryAsync(Category category, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO categories (slug, name, parent_slug) VALUES ($1, $2, $3) ON CONFLICT (slug) DO UPDATE SET name = excluded.name, parent_slug = excluded.parent_slug");
        command.Parameters.Add(new NpgsqlParameter { Value = category.Slug });
        command.Parameters.Add(new NpgsqlParameter { Value = category.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)category.Parent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Creates or updates a category (PUT /v1/categories/{slug}), refusing a parent that does not exist or that lies in
    /// the category's own subtree. Category writes take one lock, so two concurrent moves cannot close a cycle.
    /// </summary>
    public async Task<CategoryWrite> PutCategoryAsync(Category category, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('fv.categories'))", connection, transaction))
        {
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }
        if (category.Parent is { } parent)
        {
            await using var ancestry = new NpgsqlCommand("""
                WITH RECURSIVE up AS (
                    SELECT slug, parent_slug FROM categories WHERE slug = $1
                    UNION ALL
                    SELECT c.slug, c.parent_slug FROM categories c JOIN up ON c.slug = up.parent_slug)
                SELECT count(*), count(*) FILTER (WHERE slug = $2) FROM up
                """, connection, transaction);
            ancestry.Parameters.Add(new NpgsqlParameter { Value = parent });
            ancestry.Parameters.Add(new NpgsqlParameter { Value = category.Slug });
            await using var reader = await ancestry.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (exists, throughItself) = (reader.GetInt64(0) > 0, reader.GetInt64(1) > 0);
            if (!exists || throughItself)
            {
                return exists ? CategoryWrite.Cycle : CategoryWrite.UnknownParent;
            }
        }
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO categories (slug, name, parent_slug) VALUES ($1, $2, $3)
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, parent_slug = excluded.parent_slug
            RETURNING (xmax = 0)
            """, connection, transaction);
        upsert.Parameters.Add(new NpgsqlParameter { Value = category.Slug });
        upsert.Parameters.Add(new NpgsqlParameter { Value = category.Name });
        upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)category.Parent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var created = (bool)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return created ? CategoryWrite.Created : CategoryWrite.Updated;
    }

    /// <summary>Creates or updates a product with its price effective now; true if it was created.</summary>
    public async Task<bool> UpsertProductAsync(Product product, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO products (sku, name, description, brand, category_slug, attributes, price, currency)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
            ON CONFLICT (sku) DO UPDATE SET name = excluded.name, description = excluded.description, brand = excluded.brand,
                category_slug = excluded.category_slug, attributes = excluded.attributes, price = excluded.price,
                currency = excluded.currency, updated_at = now()
            RETURNING (xmax = 0) AS created
            """);
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Sku });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Name });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Description });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Brand });
        upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)product.Category ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(product.Attributes, Json), NpgsqlDbType = NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Price });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Currency });
        batch.BatchCommands.Add(upsert);
        var history = new NpgsqlBatchCommand("INSERT INTO prices (sku, effective_from, amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        history.Parameters.Add(new NpgsqlParameter { Value = product.Sku });
        history.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        history.Parameters.Add(new NpgsqlParameter { Value = product.Price });
        batch.BatchCommands.Add(history);
        var created = (bool)(await batch.ExecuteScalarAsync(cancellationToken))!;
        await redis.KeyDeleteAsync(CacheKey(product.Sku));
        return created;
    }

    /// <summary>Records a price that takes effect at <paramref name="effectiveFrom"/> (made current by <see cref="ApplyDuePricesAsync"/>).</summary>
    public async Task SchedulePriceAsync(string sku, decimal amount, DateTimeOffset effectiveFrom, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO prices (sku, effective_from, amount) VALUES ($1, $2, $3) ON CONFLICT (sku, effective_from) DO UPDATE SET amount = excluded.amount");
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        command.Parameters.Add(new NpgsqlParameter { Value = effectiveFrom });
        command.Parameters.Add(new NpgsqlParameter { Value = amount });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Makes each product's latest price whose time has come its current price; returns the skus that changed.</summary>
    public async Task<IReadOnlyList<string>> ApplyDuePricesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE products p SET price = due.amount, updated_at = now()
            FROM (SELECT DISTINCT ON (sku) sku, amount FROM prices WHERE effective_from <= $1 ORDER BY sku, effective_from DESC) AS due
            WHERE p.sku = due.sku AND p.price <> due.amount
            RETURNING p.sku
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        var changed = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                changed.Add(reader.GetString(0));
            }
        }
        foreach (var sku in changed)
        {
            await redis.KeyDeleteAsync(CacheKey(sku));
        }
        return changed;
    }

    /// <summary>A product by sku: from the cache, or from PostgreSQL (then cached).</summary>
    public async Task<Product?> GetProductAsync(string sku, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await redis.StringGetAsync(CacheKey(sku)) is { HasValue: true } cached)
            {
                return JsonSerializer.Deserialize<Product>((string)cached!, Json);
            }
        }
        catch (Exception error) when (error is RedisConnectionException or RedisTimeoutException)
        {
            return await LoadAsync(sku, cancellationToken); // the cache is an optimisation: PostgreSQL is the truth
        }
        var product = await LoadAsync(sku, cancellationToken);
        if (product is not null)
        {
            await redis.StringSetAsync(CacheKey(sku), JsonSerializer.Serialize(product, Json), CacheTime);
        }
        return product;
    }

    public async Task<ProductSummary?> FindAsync(string sku, CancellationToken cancellationToken) =>
        await GetProductAsync(sku, cancellationToken) is { } product ? new ProductSummary(product.Sku, product.Name, product.Price, product.Currency) : null;

    /// <summary>
    /// Totals are exact up to this many matches; beyond it the total says "at least this many" (as a shop shows
    /// "1,000+ results"). Counting is a heap visit per match: at a million products, counting to 10,000 matches of a
    /// broad word cost 25-47 ms of a 50 ms search, counting to 1,000 about 3.
    /// </summary>
    public const int MaxCountedTotal = 1_000;

    /// <summary>
    /// Relevance is ranked among at most this many matches. Fetching every match of a very broad word (tens of
    /// thousands at a million products) costs more than the search budget; selective queries rank exactly.
    /// </summary>
    public const int MaxRankedCandidates = 2_000;

    public async Task<ProductPage> SearchAsync(ProductQuery query, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        var page = Math.Max(1, query.Page);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        var ranked = query.Sort == ProductSort.Relevance && text is not null;
        var order = query.Sort switch
        {
            ProductSort.Price => "p.price, p.sku",
            ProductSort.PriceDescending => "p.price DESC, p.sku",
            ProductSort.Name => "p.name, p.sku",
            _ => ranked ? "p.rank DESC, p.sku" : "p.name, p.sku",
        };
        // The category's subtree is looked up first and passed as a list: the planner then estimates how many products
        // it holds from the column's statistics (a recursive CTE inline is guessed at a thousand rows, which made it walk
        // the name index through most of the catalog for a small category). A category without children is an equality,
        // so its page is read in order from the (category, name) or (category, price) index.
        var source = replica?.ForReads(dataSource) ?? dataSource;
        var scope = query.Category is null ? null : await CategorySubtreeAsync(source, query.Category, cancellationToken);
        var inScope = scope switch
        {
            null => "$2::text[] IS NULL",
            [_] => "p.category_slug = ($2::text[])[1]",
            _ => "p.category_slug = ANY($2)",
        };
        var filter = $$"""
            SELECT {0} FROM products p
            WHERE ($1::text IS NULL OR p.search @@ websearch_to_tsquery('english', $1))
              AND {{inScope}}
              AND ($3::numeric IS NULL OR p.price >= $3)
              AND ($4::numeric IS NULL OR p.price <= $4)
            """;
        // Two statements, one round trip: the page (which can walk an index in sort order) and a count that
        // stops at MaxCountedTotal, so a broad query never counts a million rows.
        // From the read replica while it is close enough behind that a price change still shows within a second.
        // Availability comes from the inventory-levels read model in the same query (the stream consumers keep it from
        // the SKU ledgers), not from a grain call per hit. It is looked up around the page's rows: in the same SELECT,
        // PostgreSQL would look it up for every row OFFSET skips too (8,000 at page 400).
        await using var batch = source.CreateBatch();
        const string columns = "p.sku, p.name, p.brand, p.category_slug, p.price, p.currency";
        const string available = "coalesce((SELECT l.on_hand - l.reserved > 0 FROM inventory_levels l WHERE l.sku = p.sku), false)";
        var pageRows = ranked
            ? $"SELECT {columns}, ts_rank_cd(p.search, websearch_to_tsquery('english', $1)) AS rank FROM ({string.Format(CultureInfo.InvariantCulture, filter, columns + ", p.search")} LIMIT {MaxRankedCandidates}) AS p ORDER BY rank DESC, p.sku LIMIT $5 OFFSET $6"
            : string.Format(CultureInfo.InvariantCulture, filter, columns) + $" ORDER BY {order} LIMIT $5 OFFSET $6";
        batch.BatchCommands.Add(SearchCommand($"SELECT {columns}, {available} FROM ({pageRows}) AS p ORDER BY {order}", query, text, scope, pageSize, page));
        batch.BatchCommands.Add(SearchCommand($"SELECT count(*) FROM ({string.Format(CultureInfo.InvariantCulture, filter, "1")} LIMIT $5) AS matches", query, text, scope, MaxCountedTotal, 1));
        var items = new List<ProductListItem>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ProductListItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetDecimal(4), reader.GetString(5), reader.GetBoolean(6)));
        }
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ProductPage(items, reader.GetInt64(0), page, pageSize);
    }

    /// <summary>The category and every category below it (empty when it does not exist).</summary>
    private static async Task<string[]> CategorySubtreeAsync(NpgsqlDataSource source, string category, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            WITH RECURSIVE scope AS (
                SELECT slug FROM categories WHERE slug = $1
                UNION ALL
                SELECT c.slug FROM categories c JOIN scope s ON c.parent_slug = s.slug)
            SELECT array_agg(slug) FROM scope
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = category });
        return await command.ExecuteScalarAsync(cancellationToken) as string[] ?? [];
    }

    private static NpgsqlBatchCommand SearchCommand(string sql, ProductQuery query, string? text, string[]? scope, int limit, int page)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.MinPrice ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.MaxPrice ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * limit });
        return command;
    }

    public async Task<IReadOnlyList<CategoryNode>> GetCategoryTreeAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<Category>();
        await using var command = dataSource.CreateCommand("SELECT slug, name, parent_slug FROM categories ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(new Category(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        IReadOnlyList<CategoryNode> Children(string? parent) =>
            [.. all.Where(c => c.Parent == parent).Select(c => new CategoryNode(c.Slug, c.Name, Children(c.Slug)))];
        return Children(null);
    }

    private async Task<Product?> LoadAsync(string sku, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sku, name, description, brand, category_slug, attributes::text, price, currency FROM products WHERE sku = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new Product(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), Json) ?? [], reader.GetDecimal(6), reader.GetString(7).Trim());
    }

    private static string CacheKey(string sku) => $"fv:catalog:product:{sku}";
}
