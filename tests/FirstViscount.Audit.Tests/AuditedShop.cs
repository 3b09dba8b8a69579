using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.Commerce;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.Sagas;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Npgsql;
using Orleans.TestingHost;

namespace FirstViscount.Audit.Tests;

/// <summary>
/// A shop that real checkouts went through once (one confirmed, one confirmed and then delivered, one declined, one cancelled), three hours ago: its
/// database is a template that each test copies, to inject one inconsistency into its own copy.
/// </summary>
public sealed class AuditedShop : IAsyncLifetime
{
    public static readonly ShippingAddress Address = new("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB");

    private readonly string template = $"fv_audit_tpl_{Guid.NewGuid():N}"[..28];

    public string ConfirmedOrder { get; } = $"o-confirmed-{Guid.NewGuid():N}";

    /// <summary>Confirmed, then shipped and delivered: for the money and the stock still a confirmed order.</summary>
    public string DeliveredOrder { get; } = $"o-delivered-{Guid.NewGuid():N}";

    public string DeclinedOrder { get; } = $"o-declined-{Guid.NewGuid():N}";

    public string CancelledOrder { get; } = $"o-cancelled-{Guid.NewGuid():N}";

    public string[] Skus { get; } = [$"AUD-{Guid.NewGuid():N}"[..16], $"AUD-{Guid.NewGuid():N}"[..16]];

    public async Task InitializeAsync()
    {
        await TestServers.EnsureDatabaseAsync(template);
        var connection = TestServers.PostgresDatabase(template);
        await using (var dataSource = NpgsqlDataSource.Create(connection))
        {
            await PostgresMigrator.MigrateAsync(dataSource);
        }
        var cluster = await new CommerceTestCluster(silos: 1).UsePostgresAndRedis(connection, TestServers.Redis)
            .ConfigureCommerce(options => options.Checkout = new CheckoutOptions
            {
                Payment = new StepPolicy(TimeSpan.FromMilliseconds(400), 2),
                ResumeInterval = TimeSpan.FromSeconds(1),
                RetryBackoff = TimeSpan.FromMilliseconds(50),
            })
            .DeployAsync();
        try
        {
            await ShopAsync(cluster);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        await using (var dataSource = NpgsqlDataSource.Create(connection))
        {
            // Three hours ago: settled for the audit, and in closed hours the sales roll-up covers.
            await using var age = dataSource.CreateCommand("UPDATE events SET recorded_at = recorded_at - interval '3 hours'");
            await age.ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearAllPools(); // a template must have no sessions
    }

    private async Task ShopAsync(InProcessTestCluster cluster)
    {
        await Task.WhenAll(Skus.Select(sku => cluster.Client.GetGrain<IInventorySkuGrain>(sku).Receive(10, "opening stock")));
        var lines = Skus.Select((sku, i) => new OrderLine(sku, $"Product {sku}", i + 1, 12.50m)).ToArray();
        CheckoutRequest Request(string order, string token) => new(order, "customer-1", lines, "EUR", Address, token, new PayerDetails("Ada Lovelace", "ada@example.com"));

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(ConfirmedOrder).Start(Request(ConfirmedOrder, "tok_ok"));
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(DeliveredOrder).Start(Request(DeliveredOrder, "tok_ok"));
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(DeclinedOrder).Start(Request(DeclinedOrder, "tok_declined"));
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(CancelledOrder).Start(Request(CancelledOrder, "tok_timeout"));
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(CancelledOrder).Cancel("changed my mind");
        foreach (var (order, phase) in new[] { (ConfirmedOrder, CheckoutPhase.Completed), (DeliveredOrder, CheckoutPhase.Completed), (DeclinedOrder, CheckoutPhase.Failed), (CancelledOrder, CheckoutPhase.Cancelled) })
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            CheckoutStatus status;
            while ((status = await cluster.Client.GetGrain<ICheckoutSagaGrain>(order).Status()).Phase != phase)
            {
                Assert.True(DateTime.UtcNow < deadline, $"checkout {order} is {status}, not {phase}");
                await Task.Delay(50);
            }
        }
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(DeliveredOrder);
        var at = DateTimeOffset.UtcNow;
        await shipment.Track(new TrackingUpdate("evt-1", ShipmentStatus.Shipped, "PICKED_UP", "Rotterdam", "Picked up", at));
        await shipment.Track(new TrackingUpdate("evt-2", ShipmentStatus.Delivered, "DELIVERED", "Utrecht", "Delivered", at.AddHours(1)));
        Assert.Equal(OrderStatus.Delivered, (await cluster.Client.GetGrain<IOrderGrain>(DeliveredOrder).Get())!.Status);
    }

    /// <summary>A copy of the shop's database, with ClickHouse fed by the sink up to the end of the log.</summary>
    public async Task<ShopCopy> CopyAsync()
    {
        var name = $"fv_audit_{Guid.NewGuid():N}"[..24];
        await using (var admin = NpgsqlDataSource.Create(TestServers.Postgres))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        var copy = new ShopCopy(this, name, NpgsqlDataSource.Create(TestServers.PostgresDatabase(name)),
            new ClickHouseClient(new HttpClient { BaseAddress = new Uri(TestServers.ClickHouse), Timeout = TimeSpan.FromSeconds(30) }, name));
        await ClickHouseSchema.EnsureAsync(copy.ClickHouse);
        await copy.DeliverAsync();
        return copy;
    }

    public async Task DisposeAsync() => await TestServers.DropDatabaseAsync(template);
}

/// <summary>One test's copy of the shop: its PostgreSQL database and ClickHouse database of the same name.</summary>
public sealed class ShopCopy(AuditedShop shop, string database, NpgsqlDataSource postgres, ClickHouseClient clickHouse) : IAsyncDisposable
{
    public AuditedShop Shop { get; } = shop;

    public string ConnectionString { get; } = TestServers.PostgresDatabase(database);

    public NpgsqlDataSource Postgres { get; } = postgres;

    public ClickHouseClient ClickHouse { get; } = clickHouse;

    public EventSerializer Serializer { get; } = CommerceEvents.CreateSerializer();

    public AnalyticsSink Sink => new(AnalyticsSink.DefaultName, new PostgresEventStore(Postgres), ClickHouse, Postgres);

    /// <summary>An auditor as a silo runs it (default settle time), over this copy.</summary>
    public ConsistencyAuditor Auditor(AuditOptions? options = null) => new(Postgres, ClickHouse, options ?? new AuditOptions());

    /// <summary>
    /// Puts the log into ClickHouse (and rolls up the closed hours), then records every queue of the silos' sink as
    /// delivered up to its last event: the state the stream sink leaves once it has caught up.
    /// </summary>
    public async Task DeliverAsync()
    {
        await Sink.CatchUpAsync();
        await ExecuteAsync("""
            INSERT INTO stream_checkpoints (provider, queue, transaction_id, position)
            SELECT DISTINCT ON (log_partition) $1, log_partition, transaction_id, position FROM events ORDER BY log_partition, transaction_id DESC, position DESC
            ON CONFLICT (provider, queue) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position
            """, AnalyticsStreams.ProviderName);
    }

    /// <summary>Appends domain events as the grains would, recorded <paramref name="ago"/> (default: settled, three hours ago).</summary>
    public async Task AppendAsync(string stream, IReadOnlyList<object> events, TimeSpan? ago = null)
    {
        var data = events.Select(e => Serializer.Serialize(e, new EventMetadata(Actor: "test"))).ToArray();
        await new PostgresEventStore(Postgres).AppendAsync(stream, ExpectedVersion.Any, data, CancellationToken.None);
        await ExecuteAsync("UPDATE events SET recorded_at = now() - $1 WHERE event_id = ANY($2)", ago ?? TimeSpan.FromHours(3), data.Select(d => d.EventId).ToArray());
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Postgres.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await ClickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS {ClickHouse.Database}");
        await TestServers.DropDatabaseAsync(database);
    }
}
