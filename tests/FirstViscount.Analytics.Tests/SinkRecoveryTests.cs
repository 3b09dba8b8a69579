using System.Globalization;
using System.Text;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

/// <summary>The sink's promise under failure: after any interruption, ClickHouse ends up equal to the event log.</summary>
[Trait("Category", "Analytics")]
public sealed class SinkRecoveryTests
{
    private const int Orders = 200;
    private const int EventsPerOrder = 50;

    /// <summary>Appends <see cref="Orders"/> streams of confirmed-order events: 10,000 events worth 2.50 each, 1 unit each.</summary>
    private static async Task<string> AppendOrdersAsync(PostgresEventStore store)
    {
        var customer = $"recovery-{Guid.NewGuid():N}";
        for (var order = 0; order < Orders; order++)
        {
            var orderId = $"{customer}-{order}";
            var events = Enumerable.Range(0, EventsPerOrder).Select(_ => new EventData(Guid.NewGuid(), "order.confirmed", 1, Encoding.UTF8.GetBytes(
                $$"""{"orderId":"{{orderId}}","customerId":"{{customer}}","total":2.50,"currency":"EUR","lines":[{"sku":"R-1","quantity":1,"unitPrice":2.50}]}"""),
                new EventMetadata())).ToList();
            await store.AppendAsync($"order-{orderId}", ExpectedVersion.NoStream, events, CancellationToken.None);
        }
        return customer;
    }

    private static async Task<(long Rows, decimal Total)> DeliveredAsync(ClickHouseClient clickHouse, string customer)
    {
        var row = (await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT count(), sum(total) FROM fv_orders FINAL WHERE customer_id = {0}", customer)))[0];
        return (long.Parse(row[0]!, CultureInfo.InvariantCulture), decimal.Parse(row[1]!, CultureInfo.InvariantCulture));
    }

    private static AnalyticsSinkWorker Worker(AnalyticsSink sink) => new(sink, Backends.Postgres, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task A_sink_killed_mid_batch_and_restarted_leaves_exact_totals()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var store = new PostgresEventStore(dataSource);
            var name = $"kill-{Guid.NewGuid():N}";
            await Backends.StartAtHorizonAsync(new AnalyticsSink(name, store, clickHouse, dataSource), dataSource);
            var customer = await AppendOrdersAsync(store);

            using var kill = new CancellationTokenSource();
            var first = Worker(new AnalyticsSink(name, store, clickHouse, dataSource, batchSize: 500)).RunAsync(kill.Token);
            await Backends.EventuallyAsync(async () => (await DeliveredAsync(clickHouse, customer)).Rows > 0, "the first batches arrived");
            await kill.CancelAsync(); // whatever batch is in flight is cut off
            await first;
            var atKill = await DeliveredAsync(clickHouse, customer);

            using var stop = new CancellationTokenSource();
            var second = Worker(new AnalyticsSink(name, store, clickHouse, dataSource, batchSize: 500)).RunAsync(stop.Token);
            await Backends.EventuallyAsync(async () => (await DeliveredAsync(clickHouse, customer)).Rows >= Orders * EventsPerOrder, "every event arrived");
            await Task.Delay(300); // would a re-delivered batch show up as extra rows?
            await stop.CancelAsync();
            await second;

            Assert.InRange(atKill.Rows, 1, Orders * EventsPerOrder - 1);
            Assert.Equal((Orders * EventsPerOrder, Orders * EventsPerOrder * 2.50m), await DeliveredAsync(clickHouse, customer));
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task While_clickhouse_is_stopped_the_worker_backs_off_keeps_its_checkpoint_and_catches_up_when_it_returns()
    {
        using var relay = new TcpRelay(new Uri(Backends.ClickHouseAddress));
        var clickHouse = await Backends.NewClickHouseDatabaseAsync(relay.Address);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var store = new PostgresEventStore(dataSource);
            var sink = new AnalyticsSink($"outage-{Guid.NewGuid():N}", store, clickHouse, dataSource, batchSize: 2_000);
            var start = await Backends.StartAtHorizonAsync(sink, dataSource);
            var direct = Backends.ClickHouse.ForDatabase(clickHouse.Database);

            relay.Stop(); // ClickHouse goes away before the events are written
            var customer = await AppendOrdersAsync(store);
            using var stop = new CancellationTokenSource();
            var worker = Worker(sink).RunAsync(stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var duringOutage = (await DeliveredAsync(direct, customer), await sink.LoadCheckpointAsync());

            relay.Start();
            await Backends.EventuallyAsync(async () => (await DeliveredAsync(direct, customer)).Rows == Orders * EventsPerOrder, "the sink caught up");
            await stop.CancelAsync();
            await worker;

            Assert.Equal(((0L, 0m), start), duringOutage);
            Assert.Equal((Orders * EventsPerOrder, Orders * EventsPerOrder * 2.50m), await DeliveredAsync(direct, customer));
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }
}
