using System.Text;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

[Trait("Category", "Analytics")]
public sealed class AnalyticsSinkTests
{
    private static string Postgres => Backends.Postgres;

    private static ClickHouseClient ClickHouse => Backends.ClickHouse;

    private static EventData Event(string type, string json) => new(Guid.NewGuid(), type, 1, Encoding.UTF8.GetBytes(json), new EventMetadata());

    /// <summary>A sink that starts just after everything already finished in the log, so the test moves only recent events.</summary>
    private static async Task<(AnalyticsSink Sink, GlobalCheckpoint Start, PostgresEventStore Store)> NewSinkAsync(NpgsqlDataSource dataSource, ClickHouseClient clickHouse)
    {
        await ClickHouseSchema.EnsureAsync(ClickHouse);
        var store = new PostgresEventStore(dataSource);
        var sink = new AnalyticsSink($"test-{Guid.NewGuid():N}", store, clickHouse, dataSource);
        return (sink, await Backends.StartAtHorizonAsync(sink, dataSource), store);
    }

    /// <summary>Runs a test against a ClickHouse database of its own, with a sink that starts at the log's horizon.</summary>
    private static async Task WithOwnClickHouseAsync(string name, Func<ClickHouseClient, AnalyticsSink, PostgresEventStore, Task> test)
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Postgres);
            var store = new PostgresEventStore(dataSource);
            var sink = new AnalyticsSink($"{name}-{Guid.NewGuid():N}", store, clickHouse, dataSource);
            await Backends.StartAtHorizonAsync(sink, dataSource);
            await test(clickHouse, sink, store);
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    private static readonly string?[] Expected = ["2", "25.00", "3", "25.00"];

    /// <summary>
    /// Runs the sink until the test's events are in ClickHouse. Other tests' open transactions can hold the read
    /// horizon back for a moment, so "nothing to read" is not yet "done".
    /// </summary>
    private static async Task DrainUntilDeliveredAsync(AnalyticsSink sink, string orderId, string sku)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await CountsAsync(orderId, sku)).SequenceEqual(Expected) && DateTime.UtcNow < deadline)
        {
            if (await sink.RunOnceAsync() == 0)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Runs the sink until its checkpoint is at or past <paramref name="target"/> again.</summary>
    private static async Task DrainPastAsync(AnalyticsSink sink, GlobalCheckpoint target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && await sink.LoadCheckpointAsync() is var at
            && (at.TransactionId, at.Position).CompareTo((target.TransactionId, target.Position)) < 0)
        {
            if (await sink.RunOnceAsync() == 0)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task<string?[]> CountsAsync(string orderId, string sku)
    {
        // One query each: ClickHouse 18.16 mistypes sum(Decimal) inside a scalar subquery.
        string[] queries =
        [
            "SELECT count() FROM fv_orders FINAL WHERE order_id = {0}",
            "SELECT sum(line_total) FROM fv_order_lines FINAL WHERE order_id = {0}",
            "SELECT count() FROM fv_inventory_movements FINAL WHERE sku = {1}",
            "SELECT sum(amount) FROM fv_payments FINAL WHERE order_id = {0}",
        ];
        var counts = new List<string?>();
        foreach (var query in queries)
        {
            counts.Add((await ClickHouse.QueryAsync(ClickHouseSql.Format(query, orderId, sku)))[0][0]);
        }
        return [.. counts];
    }

    private static async Task AppendShopEventsAsync(PostgresEventStore store, string orderId, string sku)
    {
        var customer = $"cust-{orderId}";
        await store.AppendAsync($"order-{orderId}", ExpectedVersion.NoStream,
        [
            Event("order.placed", $$"""{"orderId":"{{orderId}}","customerId":"{{customer}}","total":25.00,"currency":"EUR"}"""),
            Event("order.confirmed", $$"""{"orderId":"{{orderId}}","customerId":"{{customer}}","total":25.00,"currency":"EUR","lines":[{"sku":"{{sku}}","name":"Mug","quantity":2,"unitPrice":10.00},{"sku":"{{sku}}-b","name":"Tea","quantity":1,"unitPrice":5.00}]}"""),
        ], CancellationToken.None);
        await store.AppendAsync($"inventory-sku-{sku}", ExpectedVersion.NoStream,
        [
            Event("inventory.stock-received", $$"""{"sku":"{{sku}}","quantity":10,"reason":"delivery"}"""),
            Event("inventory.stock-reserved", $$"""{"sku":"{{sku}}","orderId":"{{orderId}}","quantity":2}"""),
            Event("inventory.reservation-committed", $$"""{"sku":"{{sku}}","orderId":"{{orderId}}","quantity":2}"""),
        ], CancellationToken.None);
        await store.AppendAsync($"payment-{orderId}", ExpectedVersion.NoStream,
            [Event("payment.captured", $$"""{"paymentId":"{{orderId}}","orderId":"{{orderId}}","amount":25.00,"currency":"EUR","captureReference":"cap_1"}""")], CancellationToken.None);
    }

    [Fact]
    public async Task After_a_crash_between_insert_and_checkpoint_the_redelivered_batch_still_counts_exactly_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        var (sink, start, store) = await NewSinkAsync(dataSource, ClickHouse);
        var orderId = Guid.NewGuid().ToString("N");
        var sku = $"SINK-{orderId[..8]}";
        await AppendShopEventsAsync(store, orderId, sku);

        await DrainUntilDeliveredAsync(sink, orderId, sku);
        var first = await CountsAsync(orderId, sku);
        var reached = await sink.LoadCheckpointAsync();
        await sink.SaveCheckpointAsync(start); // the crash: ClickHouse has the rows, the checkpoint never moved
        await DrainPastAsync(sink, reached);

        Assert.Equal(Expected, first);
        Assert.Equal(Expected, await CountsAsync(orderId, sku));
    }

    [Fact]
    public async Task While_clickhouse_is_down_the_checkpoint_stays_and_the_sink_catches_up_afterwards()
    {
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        var down = new ClickHouseClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/"), Timeout = TimeSpan.FromSeconds(5) });
        var (stalled, start, store) = await NewSinkAsync(dataSource, down);
        var orderId = Guid.NewGuid().ToString("N");
        var sku = $"DOWN-{orderId[..8]}";
        await AppendShopEventsAsync(store, orderId, sku);

        await Assert.ThrowsAsync<ClickHouseException>(async () =>
        {
            // Until the horizon lets the events be read there is nothing to insert, and so nothing to fail.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && await stalled.RunOnceAsync() == 0)
            {
                await Task.Delay(50);
            }
        });
        Assert.Equal(start, await stalled.LoadCheckpointAsync());

        var recovered = new AnalyticsSink(stalled.Name, store, ClickHouse, dataSource);
        await DrainUntilDeliveredAsync(recovered, orderId, sku);
        Assert.Equal(Expected, await CountsAsync(orderId, sku));
    }

    [Fact]
    public async Task Text_fields_arrive_exactly_as_the_payload_means_them_escaped_or_not()
    {
        await WithOwnClickHouseAsync("text", async (clickHouse, sink, store) =>
        {
            var customer = $"Grüße 東京 {Guid.NewGuid():N}";
            // JSON escapes (a quote, a tab, a backslash, \u00e9) and plain UTF-8, in the order and in its lines.
            var placed = Event("order.confirmed", $$"""{"orderId":"o\"1\tb\\c\u00e9","customerId":"{{customer}}","total":3,"currency":"EUR","lines":[{"sku":"Mug \"XL\"","quantity":1,"unitPrice":3}]}""");
            await store.AppendAsync($"order-{Guid.NewGuid():N}", ExpectedVersion.NoStream, [placed], CancellationToken.None);

            await Eventually.HoldsAsync(async () =>
            {
                await sink.RunOnceAsync();
                return await Backends.ScalarAsync(clickHouse, $"SELECT count() FROM fv_order_lines WHERE event_id = {ClickHouseSql.Literal(placed.EventId)}") == "1";
            }, "the order was delivered");

            var order = (await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT order_id, customer_id FROM fv_orders WHERE event_id = {0}", placed.EventId)))[0];
            Assert.Equal("o\"1\tb\\cé", order[0]);
            Assert.Equal(customer, order[1]);
            Assert.Equal("Mug \"XL\"", (await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT sku FROM fv_order_lines WHERE event_id = {0}", placed.EventId)))[0][0]);
        });
    }

    [Fact]
    public async Task Malformed_payloads_become_empty_fields_and_zeros_and_never_stop_the_sink()
    {
        await WithOwnClickHouseAsync("malformed", async (clickHouse, sink, store) =>
        {
            var customer = $"odd-{Guid.NewGuid():N}";
            EventData[] odd =
            [
                Event("order.confirmed", $$"""{"orderId":5,"customerId":"{{customer}}","total":"a lot","lines":[{"sku":"X","quantity":2.5,"unitPrice":1e30},{"sku":7}]}"""),
                Event("order.placed", "\"just a string\""),
                Event("order.placed", "[1, 2, 3]"),
            ];
            await store.AppendAsync($"order-{customer}", ExpectedVersion.NoStream, odd, CancellationToken.None);
            var ids = string.Join(", ", odd.Select(e => ClickHouseSql.Literal(e.EventId)));

            // Other tests' events flow into this database too: look only at these.
            await Eventually.HoldsAsync(async () =>
            {
                await sink.RunOnceAsync();
                return await Backends.ScalarAsync(clickHouse, $"SELECT count() FROM fv_orders WHERE event_id IN ({ids})") == "3";
            }, "the odd events were delivered");

            Assert.Equal("\t0\t0.00", string.Join('\t', (await clickHouse.QueryAsync(
                ClickHouseSql.Format("SELECT order_id, units, total FROM fv_orders WHERE customer_id = {0}", customer)))[0]));
            Assert.Equal("X 0 0.00| 0 0.00", string.Join('|', (await clickHouse.QueryAsync(
                ClickHouseSql.Format("SELECT sku, quantity, unit_price FROM fv_order_lines WHERE event_id = {0} ORDER BY line_no", odd[0].EventId)))
                .Select(row => string.Join(' ', row))));
        });
    }
}
