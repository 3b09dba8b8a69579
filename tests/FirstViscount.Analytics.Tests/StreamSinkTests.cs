using System.Globalization;
using System.Text;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Sink;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Providers.Streams.Common;
using Orleans.TestingHost;

namespace FirstViscount.Analytics.Tests;

/// <summary>
/// The silos' ClickHouse sink: a consumer grain per queue of the event-log streams. Its promise: whatever happens to
/// silos and to ClickHouse, ClickHouse ends up equal to the log, each event counted once.
/// </summary>
[Trait("Category", "Analytics")]
[Trait("Speed", "Slow")]
public sealed class StreamSinkTests : IAsyncLifetime
{
    private const int Orders = 200;
    private const int EventsPerOrder = 100; // 20,000 events
    private const int Total = Orders * EventsPerOrder;

    private readonly string database = $"fv_sink_{Guid.NewGuid():N}"[..22];
    private NpgsqlDataSource postgres = null!;
    private PostgresEventStore store = null!;
    private ClickHouseClient clickHouse = null!;

    public async Task InitializeAsync()
    {
        await TestServers.EnsureDatabaseAsync(database);
        postgres = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));
        await PostgresMigrator.MigrateAsync(postgres);
        store = new PostgresEventStore(postgres);
        clickHouse = await Backends.NewClickHouseDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await Backends.DropAsync(clickHouse);
        await postgres.DisposeAsync();
        await TestServers.DropDatabaseAsync(database);
    }

    private Task<InProcessTestCluster> ClusterAsync(short silos, ClickHouseClient? through = null) =>
        new CommerceTestCluster(silos).UsePostgresAndRedis(TestServers.PostgresDatabase(database), TestServers.Redis)
            .ConfigureSilo(silo =>
            {
                silo.Services.AddSingleton(through ?? clickHouse);
                silo.AddEventLogStreams(AnalyticsStreams.ProviderName, streams => (streams.BatchSize, streams.PollInterval) = (500, TimeSpan.FromMilliseconds(20)));
                silo.AddClickHouseSink(new AnalyticsStreamsOptions());
            })
            .DeployAsync();

    /// <summary>Orders spread over every partition: <see cref="EventsPerOrder"/> confirmed-order events each, worth 2.50 each.</summary>
    private async Task<string> AppendOrdersAsync(int orders = Orders)
    {
        var customer = $"sink-{Guid.NewGuid():N}";
        for (var order = 0; order < orders; order++)
        {
            var orderId = $"{customer}-{order}";
            var events = Enumerable.Range(0, EventsPerOrder).Select(_ => new EventData(Guid.NewGuid(), "order.confirmed", 1, Encoding.UTF8.GetBytes(
                $$"""{"orderId":"{{orderId}}","customerId":"{{customer}}","total":2.50,"currency":"EUR","lines":[{"sku":"S-1","quantity":1,"unitPrice":2.50}]}"""),
                new EventMetadata())).ToList();
            await store.AppendAsync($"order-{orderId}", ExpectedVersion.NoStream, events, CancellationToken.None);
        }
        return customer;
    }

    private static async Task<(long Rows, decimal Total)> InClickHouseAsync(ClickHouseClient clickHouse, string customer)
    {
        var row = (await clickHouse.QueryAsync(ClickHouseSql.Format("SELECT count(), sum(total) FROM fv_orders FINAL WHERE customer_id = {0}", customer)))[0];
        return (long.Parse(row[0]!, CultureInfo.InvariantCulture), decimal.Parse(row[1]!, CultureInfo.InvariantCulture));
    }

    private async Task<(long Rows, decimal Total)> WhenAllArrivedAsync(string customer, int seconds = 60, int total = Total)
    {
        await Eventually.HoldsAsync(async () => (await InClickHouseAsync(clickHouse, customer)).Rows >= total, "every event is in ClickHouse", seconds);
        await Task.Delay(500); // would a batch delivered again show up as extra rows?
        return await InClickHouseAsync(clickHouse, customer);
    }

    [Fact]
    public async Task Totals_are_exact_after_a_silo_holding_queues_is_killed_in_the_middle_of_its_batches()
    {
        const int backlog = 5 * Total; // waiting before the silos start, so the kill lands while batches are on their way
        var customer = await AppendOrdersAsync(5 * Orders);
        var cluster = await ClusterAsync(silos: 2);
        try
        {
            await Eventually.HoldsAsync(async () => (await InClickHouseAsync(clickHouse, customer)).Rows > 0, "the first batches arrived");

            await cluster.KillSiloAsync(cluster.Silos[1]);
            var atKill = await InClickHouseAsync(clickHouse, customer);

            Assert.Equal((backlog, backlog * 2.50m), await WhenAllArrivedAsync(customer, total: backlog));
            Assert.True(atKill.Rows < backlog, $"everything had arrived before the kill ({atKill.Rows})");
            Assert.Equal(0, (await SinkFreshness.ReadAsync(postgres)).LagEvents);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task While_ClickHouse_is_stopped_the_checkpoints_wait_and_when_it_returns_nothing_is_lost()
    {
        using var relay = new TcpRelay(new Uri(Backends.ClickHouseAddress));
        var throughRelay = new ClickHouseClient(new HttpClient { BaseAddress = relay.Address, Timeout = TimeSpan.FromSeconds(5) }, clickHouse.Database);
        relay.Stop();
        var cluster = await ClusterAsync(silos: 1, throughRelay);
        try
        {
            var customer = await AppendOrdersAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var duringOutage = (await InClickHouseAsync(clickHouse, customer), (await SinkFreshness.ReadAsync(postgres)).LagEvents);

            relay.Start();

            Assert.Equal((Total, Total * 2.50m), await WhenAllArrivedAsync(customer));
            Assert.Equal(((0L, 0m), (long)Total), duringOutage);
            Assert.Equal(0, (await SinkFreshness.ReadAsync(postgres)).LagEvents);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_that_joins_takes_over_queues_and_totals_stay_exact()
    {
        var cluster = await ClusterAsync(silos: 1);
        try
        {
            var first = await AppendOrdersAsync();
            Assert.Equal((Total, Total * 2.50m), await WhenAllArrivedAsync(first));
            Assert.Equal([EventLogQueues.Count], await RunningAgentsAsync(cluster));

            await cluster.StartAdditionalSiloAsync();
            var second = await AppendOrdersAsync();

            Assert.Equal((Total, Total * 2.50m), await WhenAllArrivedAsync(second));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            int[] agents;
            while ((agents = await RunningAgentsAsync(cluster)).Length < 2 || agents.Contains(0))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the queues were not shared: {string.Join(", ", agents)}");
                await Task.Delay(200);
            }
            Assert.Equal(EventLogQueues.Count, agents.Sum());
            Assert.Equal((Total, Total * 2.50m), await InClickHouseAsync(clickHouse, first));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_event_whose_transaction_commits_after_later_events_still_arrives()
    {
        var cluster = await ClusterAsync(silos: 1);
        try
        {
            var customer = $"late-{Guid.NewGuid():N}";
            await using var connection = await postgres.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var late = new EventData(Guid.NewGuid(), "order.confirmed", 1, Encoding.UTF8.GetBytes(
                $$"""{"orderId":"{{customer}}-late","customerId":"{{customer}}","total":7.00,"currency":"EUR","lines":[]}"""), new EventMetadata());
            await using (var append = PostgresEventStore.AppendCommand($"order-{customer}-late", ExpectedVersion.NoStream, [late]))
            {
                (append.Connection, append.Transaction) = (connection, transaction);
                await PostgresEventStore.ExecuteAppendAsync(append, $"order-{customer}-late", ExpectedVersion.NoStream, CancellationToken.None);
            }
            var orders = await AppendOrdersAsync(); // later positions, committed first
            await Task.Delay(TimeSpan.FromSeconds(1));
            // Nothing after the open transaction is read until it ends: reading past it could skip its event for good.
            var whileOpen = await InClickHouseAsync(clickHouse, orders);

            await transaction.CommitAsync();

            Assert.Equal((Total, Total * 2.50m), await WhenAllArrivedAsync(orders));
            Assert.Equal((1L, 7.00m), await InClickHouseAsync(clickHouse, customer));
            Assert.Equal((0L, 0m), whileOpen);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<int[]> RunningAgentsAsync(InProcessTestCluster cluster)
    {
        var counts = await cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PersistentStreamProvider>(
            AnalyticsStreams.ProviderName, (int)PersistentStreamProviderCommand.GetNumberRunningAgents, null);
        return [.. counts.Select(count => (int)count!)];
    }
}
