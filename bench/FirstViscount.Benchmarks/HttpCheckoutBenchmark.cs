using System.Diagnostics;
using FirstViscount.Cluster.Tests.Processes;
using FirstViscount.SiloHost;

namespace FirstViscount.Benchmarks;

/// <summary>
/// http-checkout: checkouts/s with p50/p99 latency through the HTTP API (register once, then per checkout: put a
/// cart line, POST /v1/checkout, poll the order until it ends) with 32 clients over distinct customers, against
/// the grain-level checkout measured in the same run.
/// </summary>
internal static class HttpCheckoutBenchmark
{
    private const int Clients = 32;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 8 : 30);
        var grainLevel = await CheckoutBenchmark.GrainCheckoutsPerSecondAsync(duration);

        var port = 17_900 + Random.Shared.Next(0, 200) * 2;
        var postgres = BenchDatabase.ConnectionString;
        await using var app = SiloHostApp.Create([
            $"--Urls=http://127.0.0.1:{port}", $"--Silo:ClusterId=bench-{Guid.NewGuid():N}", $"--Silo:Port={port + 1}",
            "--Redis:Configuration=127.0.0.1:16379", $"--Postgres:ConnectionString={postgres}",
            $"--Payments:PayerKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            $"--Delivery:CarrierKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            "--Delivery:Simulator:Webhooks=false", // the carriers' reports would load the silo the benchmark measures
            "--Admin:Email=bench-admin@firstviscount.local", "--Admin:Password=bench-admin-password", "--RateLimit:PermitsPerMinute=1000000",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var admin = await ShopApi.TokenAsync(http, "bench-admin@firstviscount.local", "bench-admin-password");
        var sku = $"HTTP-{Guid.NewGuid():N}"[..20];
        await ShopApi.SendAsync(http, HttpMethod.Put, $"/v1/products/{sku}", admin, new { name = "Bench item", price = 9.99m, currency = "EUR" });
        await ShopApi.SendAsync(http, HttpMethod.Post, $"/v1/inventory/{sku}/adjustments", admin, new { delta = 999_999, reason = "bench" });
        var tokens = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i =>
        {
            var email = $"bench-{Guid.NewGuid():N}@example.com";
            await ShopApi.SendAsync(http, HttpMethod.Post, "/v1/customers", null, new { email, password = "bench-password", name = $"Bench {i}" });
            return await ShopApi.TokenAsync(http, email, "bench-password");
        }));

        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var perSecond = await Throughput.MeasureAsync(Clients, duration, async client =>
        {
            var started = Stopwatch.GetTimestamp();
            await ShopApi.SendAsync(http, HttpMethod.Put, $"/v1/cart/items/{sku}", tokens[client], new { quantity = 1 });
            // Prefer: wait lets the gateway answer once the checkout has ended: no polling on the hot path.
            var accepted = await ShopApi.SendAsync(http, HttpMethod.Post, "/v1/checkout", tokens[client],
                new { shippingAddress = new { name = "Bench", line1 = "1 Loop Rd", city = "Testville", postalCode = "12345", country = "DE" }, paymentToken = "tok_ok" },
                idempotencyKey: Guid.NewGuid().ToString(), prefer: "wait=10");
            var orderId = accepted.GetProperty("orderId").GetString();
            var status = accepted.GetProperty("status").GetString();
            while (status is "Pending" or "Reserved" or "Paid")
            {
                await Task.Delay(5);
                status = (await ShopApi.SendAsync(http, HttpMethod.Get, $"/v1/orders/{orderId}", tokens[client], null)).GetProperty("status").GetString();
            }
            if (status != "Confirmed")
            {
                throw new InvalidOperationException($"Order {orderId} ended {status}.");
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        var sorted = latencies.Order().ToArray();
        Console.Error.WriteLine($"http-checkout: p50 {sorted[sorted.Length / 2]:0} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:0} ms over {sorted.Length} checkouts");
        await app.StopAsync();
        return
        [
            new BenchResult($"http-checkout/{Clients}-clients", perSecond, "checkouts/s", "grain-level checkout, same run", grainLevel),
            new BenchResult("http-checkout/p50", sorted[sorted.Length / 2], "ms", "none (a latency)", 0),
            new BenchResult("http-checkout/p99", sorted[(int)(sorted.Length * 0.99)], "ms", "none (a latency)", 0),
        ];
    }
}
