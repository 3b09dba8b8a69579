using System.Text;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Npgsql;
using Orleans.TestingHost;

namespace FirstViscount.EventStore.Tests.Streams;

/// <summary>
/// The event log as Orleans streams (AddEventLogStreams): what is appended and committed reaches the consumer of its
/// queue, in commit order, never skipped when it commits late, with each queue's checkpoint moved after delivery and
/// the queues taken over when a silo dies.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class EventLogStreamsTests : IAsyncLifetime
{
    private readonly string database = $"fv_streams_{Guid.NewGuid():N}"[..24];
    private NpgsqlDataSource postgres = null!;
    private PostgresEventStore store = null!;

    private string ConnectionString => TestServers.PostgresDatabase(database);

    public async Task InitializeAsync()
    {
        await TestServers.EnsureDatabaseAsync(database);
        postgres = NpgsqlDataSource.Create(ConnectionString);
        await PostgresMigrator.MigrateAsync(postgres);
        store = new PostgresEventStore(postgres);
    }

    public async Task DisposeAsync()
    {
        await postgres.DisposeAsync();
        await TestServers.DropDatabaseAsync(database);
    }

    private Task<InProcessTestCluster> ClusterAsync(short silos = 1) =>
        new CommerceTestCluster(silos).UsePostgresAndRedis(ConnectionString, TestServers.Redis)
            .ConfigureSilo(silo => silo.AddEventLogStreams(RecordingConsumerGrain.Provider, options => options.PollInterval = TimeSpan.FromMilliseconds(20)))
            .DeployAsync();

    private static EventData Event(string type, int n) =>
        new(Guid.NewGuid(), type, 1, Encoding.UTF8.GetBytes($$"""{"n":{{n}}}"""), new EventMetadata(Actor: "test"));

    private async Task AppendAsync(string stream, int count)
    {
        for (var n = 1; n <= count; n++)
        {
            await store.AppendAsync(stream, ExpectedVersion.Any, [Event("test.happened", n)], CancellationToken.None);
        }
    }

    private static IEnumerable<(string Queue, string Silo, RecordedEvent Event)> Delivered(string streamPrefix) =>
        RecordingConsumerGrain.Deliveries.SelectMany(d => d.Events.Select(e => (d.Queue, d.Silo, Event: e))).Where(d => d.Event.StreamId.StartsWith(streamPrefix, StringComparison.Ordinal));

    private static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    private async Task<int> PartitionOfAsync(string stream)
    {
        await using var command = postgres.CreateCommand("SELECT log_partition FROM events WHERE stream_id = $1 LIMIT 1");
        command.Parameters.AddWithValue(stream);
        return (short)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stream ids that fall in the same partition of the log as <paramref name="first"/>.</summary>
    private async Task<string> SamePartitionAsAsync(string first, string prefix)
    {
        await using var command = postgres.CreateCommand("""
            SELECT candidate FROM (SELECT $2 || n AS candidate FROM generate_series(1, 1000) AS n) AS c
            WHERE (hashtext(candidate) & 2147483647) % 16 = (hashtext($1) & 2147483647) % 16 LIMIT 1
            """);
        command.Parameters.AddWithValue(first);
        command.Parameters.AddWithValue(prefix);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Committed_events_reach_the_consumer_of_their_partition_in_order()
    {
        var prefix = $"ordered-{Guid.NewGuid():N}-";
        var cluster = await ClusterAsync();
        try
        {
            var streams = Enumerable.Range(0, 6).Select(i => prefix + i).ToArray();
            foreach (var stream in streams)
            {
                await AppendAsync(stream, 5);
            }

            await EventuallyAsync(() => Delivered(prefix).Count() >= 30, "30 events were delivered");

            var delivered = Delivered(prefix).ToArray();
            Assert.Equal(30, delivered.Length);
            foreach (var stream in streams)
            {
                var ofStream = delivered.Where(d => d.Event.StreamId == stream).ToArray();
                var partition = (await PartitionOfAsync(stream)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal([1L, 2, 3, 4, 5], ofStream.Select(d => d.Event.Version));
                Assert.All(ofStream, d => Assert.Equal(partition, d.Queue));
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
