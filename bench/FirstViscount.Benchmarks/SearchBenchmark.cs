using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Cluster.Tests.Processes;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Postgres;
using FirstViscount.SiloHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// search: p95 of GET /v1/products through a silo's HTTP gateway over a million products, for each query shape
/// (relevance, two words, text + price sort, category subtree + price sort, category only, text + price range, a deep
/// page), each against the same catalog query made in-process without HTTP. Then availability propagation: a SKU
/// out of stock is given stock through its grain, and the time until search shows it available is measured (the
/// inventory-levels read model on the event-log streams; the catalog's rule is within a minute).
/// </summary>
internal static class SearchBenchmark
{
    private const int Runs = 40;

    private static readonly (string Name, string Query, ProductQuery Catalog)[] Shapes =
    [
        ("relevance", "q=steel", new ProductQuery("steel")),
        ("two-words", "q=steel%20lamp", new ProductQuery("steel lamp")),
        ("text-price-sort", "q=steel&sort=price", new ProductQuery("steel", Sort: ProductSort.Price)),
        ("category-subtree-price-sort", "category=home&sort=price", new ProductQuery(Category: "home", Sort: ProductSort.Price)),
        ("category-only", "category=home/c3", new ProductQuery(Category: "home/c3")),
        ("text-price-range", "q=steel&minPrice=10&maxPrice=200", new ProductQuery("steel", MinPrice: 10, MaxPrice: 200)),
        ("deep-page", "sort=price&page=400", new ProductQuery(Sort: ProductSort.Price, Page: 400)),
    ];

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        const int products = 1_000_000;
        var postgres = await BenchClickHouse.FreshPostgresAsync("fv_bench_search");
        await using (var dataSource = NpgsqlDataSource.Create(postgres))
        {
            await PostgresMigrator.MigrateAsync(dataSource);
            await GenerateAsync(dataSource, products);
        }
        var port = 17_900 + Random.Shared.Next(0, 200) * 2;
        await using var app = SiloHostApp.Create([
            $"--Urls=http://127.0.0.1:{port}", $"--Silo:ClusterId=bench-{Guid.NewGuid():N}", $"--Silo:Port={port + 1}",
            $"--Redis:Configuration={BenchDatabase.Redis}", $"--Postgres:ConnectionString={postgres}",
            $"--Payments:PayerKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            $"--Delivery:CarrierKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            "--Delivery:Simulator:Webhooks=false", // the carriers' reports would load the silo the benchmark measures
            "--Admin:Email=bench-admin@firstviscount.local", "--Admin:Password=bench-admin-password", "--RateLimit:PermitsPerMinute=1000000",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var catalog = app.Services.GetRequiredService<PostgresCatalog>();

        var results = new List<BenchResult>();
        foreach (var (name, query, catalogQuery) in Shapes)
        {
            var hits = 0;
            var served = await Latency.P95MillisecondsAsync(Runs, async () =>
            {
                var page = await http.GetFromJsonAsync<JsonElement>($"/v1/products?{query}");
                hits = page.GetProperty("items").GetArrayLength();
            });
            if (hits == 0)
            {
                throw new InvalidOperationException($"search {name} ({query}) found nothing: the benchmark would measure an empty page.");
            }
            var direct = await Latency.P95MillisecondsAsync(Runs, () => catalog.SearchAsync(catalogQuery));
            results.Add(new BenchResult($"search/{name}-p95", served, "ms", "the same catalog query in-process, p95", direct));
        }

        var propagation = await AvailabilityPropagationAsync(http, app.Services.GetRequiredService<IGrainFactory>(), quick ? 10 : 30);
        results.Add(new BenchResult("search/availability-propagation-max", propagation.Max(), "ms", "", 0));
        Console.Error.WriteLine($"search: availability showed after {string.Join(", ", propagation.Select(ms => ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        await app.StopAsync();
        return results;
    }

    /// <summary>
    /// A million products in 110 categories (ten top-level ones with ten children each), names of two words out of
    /// twenty and a kind (so a word matches about a tenth of them), with stock for nine in ten.
    /// </summary>
    private static async Task GenerateAsync(NpgsqlDataSource dataSource, int products)
    {
        var clock = Stopwatch.StartNew();
        await using var generate = dataSource.CreateBatch();
        generate.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO categories (slug, name, parent_slug)
            SELECT top, initcap(top), NULL FROM unnest(ARRAY['home','office','kitchen','garden','outdoor','books','toys','sports','tools','music']) AS top
            """));
        generate.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO categories (slug, name, parent_slug)
            SELECT c.slug || '/c' || n, initcap(c.slug) || ' ' || n, c.slug FROM categories c, generate_series(0, 9) AS n WHERE c.parent_slug IS NULL
            """));
        generate.BatchCommands.Add(new NpgsqlBatchCommand($"""
            INSERT INTO products (sku, name, description, brand, category_slug, price, currency)
            SELECT 'S' || g,
                   w[1 + g % 20] || ' ' || w[1 + (g / 20) % 20] || ' ' || k[1 + (g / 400) % 7],
                   'A ' || w[1 + (g / 7) % 20] || ' piece for every day, made to last.',
                   'Brand ' || (g % 50),
                   t[1 + g % 10] || '/c' || ((g / 10) % 10),
                   round((1 + (g::bigint * 7919) % 50000 / 100.0)::numeric, 2), 'EUR'
            FROM generate_series(0, {products - 1}) AS g,
                 (SELECT ARRAY['steel','oak','walnut','linen','cotton','copper','glass','stone','wool','bamboo',
                               'brass','leather','marble','ceramic','silk','cedar','iron','paper','clay','rattan'] AS w,
                         ARRAY['lamp','desk','chair','mug','rug','shelf','vase'] AS k,
                         ARRAY['home','office','kitchen','garden','outdoor','books','toys','sports','tools','music'] AS t) AS words
            """) { });
        generate.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO inventory_levels (sku, on_hand, reserved, reorder_point, units_sold, version)
            SELECT sku, 10, 0, 0, 0, 1 FROM products WHERE right(sku, 1) <> '7'
            """));
        generate.Timeout = 1200;
        await generate.ExecuteNonQueryAsync();
        foreach (var table in new[] { "products", "inventory_levels" })
        {
            await using var analyze = dataSource.CreateCommand($"VACUUM ANALYZE {table}");
            analyze.CommandTimeout = 1200;
            await analyze.ExecuteNonQueryAsync();
        }
        // A streaming replica replaying the generated WAL would compete for the CPU while the queries are measured.
        await using var replicaBehind = dataSource.CreateCommand("SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0) FROM pg_stat_replication");
        while (Convert.ToDecimal(await replicaBehind.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            await Task.Delay(500);
        }
        Console.Error.WriteLine($"search: generated {products:N0} products in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Per sample: a product nobody stocks gets stock through its grain; ms until a search shows it available.</summary>
    private static async Task<List<double>> AvailabilityPropagationAsync(HttpClient http, IGrainFactory grains, int samples)
    {
        var token = await ShopApi.TokenAsync(http, "bench-admin@firstviscount.local", "bench-admin-password");
        var times = new List<double>();
        for (var sample = 0; sample < samples; sample++)
        {
            var sku = $"PROP-{Guid.NewGuid():N}"[..20];
            await ShopApi.SendAsync(http, HttpMethod.Put, $"/v1/products/{sku}", token, new { name = $"Propagation probe {sku}", price = 5m, currency = "EUR" });
            var clock = Stopwatch.StartNew();
            await grains.GetGrain<IInventorySkuGrain>(sku).Receive(1, "bench");
            while (true)
            {
                var page = await http.GetFromJsonAsync<JsonElement>($"/v1/products?q={sku}");
                if (page.GetProperty("items").EnumerateArray().Any(item => item.GetProperty("available").GetBoolean()))
                {
                    break;
                }
                if (clock.Elapsed > TimeSpan.FromMinutes(1))
                {
                    throw new InvalidOperationException($"{sku} was not available in search a minute after it was stocked.");
                }
                await Task.Delay(5);
            }
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }
}
