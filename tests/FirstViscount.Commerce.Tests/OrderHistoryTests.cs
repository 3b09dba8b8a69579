using System.Text.Json;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Testing;
using FirstViscount.Tests;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// The order-history read model (what GET /v1/orders lists): kept from the event log's streams as orders move, it
/// lists each customer's orders newest first, as their grains answer, and a rebuild from the start of the log equals
/// what was kept live.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class OrderHistoryTests() : ScratchDatabaseTests("fv_history")
{
    private static readonly ShippingAddress Address = new("Ada", "1 Main St", null, "Berlin", "10115", "DE");
    private OrderHistory Model => new(Postgres, new PostgresEventStore(Postgres), CommerceEvents.CreateSerializer());

    private static string Json(IEnumerable<OrderView> orders) => JsonSerializer.Serialize(orders);

    [Fact]
    public async Task Orders_reach_each_customers_history_newest_first_as_their_grains_answer_and_a_rebuild_equals_the_live_model()
    {
        var cluster = await new CommerceTestCluster(silos: 2).UsePostgresAndRedis(ConnectionString, TestServers.Redis)
            .ConfigureSilo(silo => silo.AddEventLogReadModels(streams => streams.PollInterval = TimeSpan.FromMilliseconds(20)))
            .DeployAsync();
        try
        {
            var (ada, bob) = ($"c-ada-{Guid.NewGuid():N}", $"c-bob-{Guid.NewGuid():N}");
            var placed = new List<(string OrderId, string Customer)>();
            foreach (var customer in new[] { ada, bob, ada, ada })
            {
                var orderId = $"o-{Guid.NewGuid():N}";
                await cluster.Client.GetGrain<IOrderGrain>(orderId).Place(new PlaceOrder(customer, [new OrderLine("MUG", "Mug", 2, 9.99m)], "EUR", Address));
                placed.Add((orderId, customer));
            }
            var (confirmed, cancelled) = (cluster.Client.GetGrain<IOrderGrain>(placed[0].OrderId), cluster.Client.GetGrain<IOrderGrain>(placed[2].OrderId));
            await confirmed.MarkReserved();
            await confirmed.MarkPaid("pay-1");
            await confirmed.Confirm();
            await cancelled.Cancel("changed my mind");
            var grainsAnswer = (await Task.WhenAll(placed.OrderBy(p => p.OrderId, StringComparer.Ordinal)
                .Select(p => cluster.Client.GetGrain<IOrderGrain>(p.OrderId).Get()))).Select(view => view!).ToList();

            // The orders' streams may sit in different queues, delivered independently: wait for all four.
            var live = await Eventually.ReadAsync(() => Model.AllAsync(), orders => Json(orders) == Json(grainsAnswer),
                "the four orders are in the model as their grains answer");
            var adaHistory = await Model.OfCustomerAsync(ada, null, 1, 20);

            Assert.Equal([placed[3].OrderId, placed[2].OrderId, placed[0].OrderId], adaHistory.Select(o => o.OrderId));
            Assert.Equal([OrderStatus.Pending, OrderStatus.Cancelled, OrderStatus.Confirmed], adaHistory.Select(o => o.Status));
            Assert.Equal("changed my mind", adaHistory[1].FailureReason);
            Assert.Equal([placed[0].OrderId], (await Model.OfCustomerAsync(ada, OrderStatus.Confirmed, 1, 20)).Select(o => o.OrderId));
            Assert.Equal([placed[1].OrderId], (await Model.OfCustomerAsync(bob, null, 1, 20)).Select(o => o.OrderId));
            Assert.Equal([placed[2].OrderId], (await Model.OfCustomerAsync(ada, null, 2, 1)).Select(o => o.OrderId));
            Assert.Equal(4, live.Count);

            Assert.Equal(4, await Model.RebuildAsync());
            Assert.Equal(Json(live), Json(await Model.AllAsync()));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_batch_delivered_twice_or_after_the_model_was_emptied_is_folded_once()
    {
        var store = new PostgresEventStore(Postgres);
        var serializer = CommerceEvents.CreateSerializer();
        var (orderId, at) = ($"o-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await store.AppendAsync($"order-{orderId}", ExpectedVersion.NoStream,
            [serializer.Serialize(new OrderPlaced(orderId, "c-1", [new OrderLine("MUG", "Mug", 1, 5m)], 5m, "EUR", Address, at), new EventMetadata())], CancellationToken.None);
        var first = await store.ReadStreamAsync($"order-{orderId}", 0, CancellationToken.None);
        await store.AppendAsync($"order-{orderId}", ExpectedVersion.At(1),
            [serializer.Serialize(new OrderCancelled(orderId, "test", at.AddSeconds(1)), new EventMetadata())], CancellationToken.None);
        var second = await store.ReadStreamAsync($"order-{orderId}", 1, CancellationToken.None);

        await Model.ApplyAsync(first);
        await Model.ApplyAsync(first);
        await Model.ApplyAsync(second);
        await Model.ApplyAsync(second);
        var once = Json(await Model.AllAsync());
        await using (var empty = Postgres.CreateCommand("TRUNCATE order_history"))
        {
            await empty.ExecuteNonQueryAsync();
        }
        await Model.ApplyAsync(second); // the placement before it is read from the order's stream

        var order = Assert.Single(await Model.AllAsync());
        Assert.Equal((OrderStatus.Cancelled, 5m, at.AddSeconds(1)), (order.Status, order.Total, order.UpdatedAt));
        Assert.Equal(once, Json([order]));
    }

    [Fact]
    public async Task An_event_the_model_cannot_read_is_passed_over_and_the_stream_folds_on()
    {
        var store = new PostgresEventStore(Postgres);
        var serializer = CommerceEvents.CreateSerializer();
        var (orderId, at) = ($"o-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        await store.AppendAsync($"order-{orderId}", ExpectedVersion.NoStream,
            [serializer.Serialize(new OrderPlaced(orderId, "c-1", [new OrderLine("MUG", "Mug", 1, 5m)], 5m, "EUR", Address, at), new EventMetadata())], CancellationToken.None);
        await using (var unreadable = Postgres.CreateCommand(
            $"INSERT INTO events (stream_id, version, event_id, event_type, payload) VALUES ('order-{orderId}', 2, gen_random_uuid(), 'order.reserved', '{{\"orderId\": 7, \"at\": []}}')"))
        {
            await unreadable.ExecuteNonQueryAsync();
        }
        await store.AppendAsync($"order-{orderId}", ExpectedVersion.At(2),
            [serializer.Serialize(new OrderCancelled(orderId, "test", at.AddSeconds(1)), new EventMetadata())], CancellationToken.None);

        await Model.ApplyAsync(await store.ReadStreamAsync($"order-{orderId}", 0, CancellationToken.None));

        var order = Assert.Single(await Model.AllAsync());
        Assert.Equal((OrderStatus.Cancelled, "test"), (order.Status, order.FailureReason));
        await using var version = Postgres.CreateCommand($"SELECT version FROM order_history WHERE order_id = '{orderId}'");
        Assert.Equal(3L, await version.ExecuteScalarAsync());
    }
}
