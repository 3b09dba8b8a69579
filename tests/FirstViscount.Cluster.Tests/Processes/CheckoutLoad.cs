using System.Collections.Concurrent;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>A checkout the API acknowledged: its order, the status it answered, when it was sent and answered.</summary>
internal sealed record AcknowledgedCheckout(string OrderId, string Status, DateTimeOffset SentAt, DateTimeOffset AcknowledgedAt)
{
    /// <summary>The event the order's stream must hold for the status the client was told.</summary>
    public string EventType => $"order.{Status.ToLowerInvariant()}";
}

/// <summary>
/// Checkouts as the shop's customers make them, through the HTTP gateways: each customer puts one unit of a
/// well-stocked product in the cart and checks out with <c>Prefer: wait</c>, over and over. It keeps every
/// acknowledged checkout with its times, so that a restore can be audited against what clients were told.
/// </summary>
internal sealed class CheckoutLoad : IAsyncDisposable
{
    private static readonly object ShippingAddress = new { name = "Drill", line1 = "1 Loop Rd", city = "Testville", postalCode = "12345", country = "DE" };

    private readonly HttpClient[] gateways;
    private readonly string[] tokens;
    private readonly string sku;
    private readonly ConcurrentQueue<AcknowledgedCheckout> acknowledged = new();
    private readonly List<Task> customers = [];
    private CancellationTokenSource stopping = new();
    private long failed;

    private CheckoutLoad(HttpClient[] gateways, string[] tokens, string sku)
    {
        this.gateways = gateways;
        this.tokens = tokens;
        this.sku = sku;
    }

    public IReadOnlyCollection<AcknowledgedCheckout> Acknowledged => acknowledged;

    public long Failed => Interlocked.Read(ref failed);

    /// <summary>A product with ample stock and <paramref name="customerCount"/> registered customers, through <paramref name="cluster"/>'s gateways.</summary>
    public static async Task<CheckoutLoad> CreateAsync(ProcessCluster cluster, int customerCount = 16)
    {
        var gateways = cluster.Silos.Select(silo => new HttpClient { BaseAddress = silo.Gateway, Timeout = TimeSpan.FromSeconds(30) }).ToArray();
        var http = gateways[0];
        var admin = await ShopApi.TokenAsync(http, SiloProcess.AdminEmail, SiloProcess.AdminPassword);
        var sku = $"DRILL-{Guid.NewGuid():N}"[..20];
        await ShopApi.SendAsync(http, HttpMethod.Put, $"/v1/products/{sku}", admin, new { name = "Drill item", price = 4.5m, currency = "EUR" });
        await ShopApi.SendAsync(http, HttpMethod.Post, $"/v1/inventory/{sku}/adjustments", admin, new { delta = 999_999, reason = "drill stock" });
        var tokens = await Task.WhenAll(Enumerable.Range(0, customerCount).Select(async i =>
        {
            var email = $"drill-{Guid.NewGuid():N}@example.com";
            await ShopApi.SendAsync(http, HttpMethod.Post, "/v1/customers", null, new { email, password = "drill-password", name = $"Drill {i}" });
            return await ShopApi.TokenAsync(http, email, "drill-password");
        }));
        return new CheckoutLoad(gateways, tokens, sku);
    }

    public void Start()
    {
        stopping = new CancellationTokenSource();
        for (var customer = 0; customer < tokens.Length; customer++)
        {
            var index = customer;
            customers.Add(Task.Run(async () =>
            {
                for (var round = 0; !stopping.IsCancellationRequested; round++)
                {
                    if (await TryCheckoutAsync(gateways[(index + round) % gateways.Length], tokens[index], stopping.Token) is null)
                    {
                        Interlocked.Increment(ref failed);
                        await Task.Delay(50);
                    }
                }
            }));
        }
    }

    public async Task StopAsync()
    {
        stopping.Cancel();
        await Task.WhenAll(customers);
        customers.Clear();
    }

    /// <summary>Waits until <paramref name="count"/> checkouts in all were acknowledged.</summary>
    public async Task WaitForAcknowledgedAsync(int count, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (acknowledged.Count < count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Checkouts until one is acknowledged (a cluster serving again); the time it took.</summary>
    public async Task<TimeSpan> WaitUntilServingAsync(TimeSpan limit)
    {
        var started = DateTimeOffset.UtcNow;
        for (var attempt = 0; DateTimeOffset.UtcNow - started < limit; attempt++)
        {
            using var attemptLimit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            if (await TryCheckoutAsync(gateways[attempt % gateways.Length], tokens[0], attemptLimit.Token) is not null)
            {
                return DateTimeOffset.UtcNow - started;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No checkout was acknowledged within {limit}.");
    }

    /// <summary>The event types each of <paramref name="orders"/> has in the event store of <paramref name="connectionString"/>.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> StoredEventsAsync(string connectionString, IEnumerable<AcknowledgedCheckout> orders)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT stream_id, event_type FROM events WHERE stream_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = orders.Select(order => $"order-{order.OrderId}").ToArray() });
        var stored = new Dictionary<string, HashSet<string>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var orderId = reader.GetString(0)["order-".Length..];
            (stored.TryGetValue(orderId, out var types) ? types : stored[orderId] = []).Add(reader.GetString(1));
        }
        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var gateway in gateways)
        {
            gateway.Dispose();
        }
    }

    private async Task<AcknowledgedCheckout?> TryCheckoutAsync(HttpClient gateway, string token, CancellationToken cancellationToken)
    {
        try
        {
            await ShopApi.SendAsync(gateway, HttpMethod.Put, $"/v1/cart/items/{sku}", token, new { quantity = 1 }, cancellationToken: cancellationToken);
            var sentAt = DateTimeOffset.UtcNow;
            var answer = await ShopApi.SendAsync(gateway, HttpMethod.Post, "/v1/checkout", token, new { shippingAddress = ShippingAddress, paymentToken = "tok_ok" },
                idempotencyKey: Guid.NewGuid().ToString(), prefer: "wait=10", cancellationToken: cancellationToken);
            var checkout = new AcknowledgedCheckout(answer.GetProperty("orderId").GetString()!, answer.GetProperty("status").GetString()!, sentAt, DateTimeOffset.UtcNow);
            acknowledged.Enqueue(checkout);
            return checkout;
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            return null; // not acknowledged: an outage, a restart, or the load stopping
        }
    }
}
