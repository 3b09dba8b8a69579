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

            await Eventually.HoldsAsync(async () => Delivered(prefix).Count() >= 30, "30 events were delivered");

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

    [Fact]
    public async Task An_event_that_commits_after_a_later_one_is_delivered_once_it_commits()
    {
        var prefix = $"late-{Guid.NewGuid():N}-";
        var (early, late) = (prefix + "early", await SamePartitionAsAsync(prefix + "early", prefix + "late-"));
        var cluster = await ClusterAsync();
        try
        {
            await using var connection = await postgres.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var slow = PostgresEventStore.AppendCommand(early, ExpectedVersion.Any, [Event("test.slow", 1)]))
            {
                (slow.Connection, slow.Transaction) = (connection, transaction);
                await PostgresEventStore.ExecuteAppendAsync(slow, early, ExpectedVersion.Any, CancellationToken.None); // the lower position, not committed yet
            }
            await AppendAsync(late, 1);
            await Task.Delay(500); // the queue is polled every 20 ms: it would have read past the early event by now
            Assert.Empty(Delivered(prefix));

            await transaction.CommitAsync();

            await Eventually.HoldsAsync(async () => Delivered(prefix).Count() == 2, "both events were delivered");
            Assert.Equal([early, late], Delivered(prefix).Select(d => d.Event.StreamId));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_checkpoint_moves_after_delivery_and_a_new_cluster_resumes_after_it()
    {
        var prefix = $"resume-{Guid.NewGuid():N}-";
        var stream = prefix + "a";
        var cluster = await ClusterAsync();
        await AppendAsync(stream, 3);
        var partition = await PartitionOfAsync(stream);
        var checkpoints = new EventLogCheckpoints(postgres, RecordingConsumerGrain.Provider);
        try
        {
            await Eventually.HoldsAsync(async () => Delivered(prefix).Count() == 3, "the first three events were delivered");
            var last = await LastCheckpointOfAsync(stream);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await checkpoints.LoadAsync(partition)).CompareTo(last) < 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the checkpoint did not move past the delivered events");
                await Task.Delay(50);
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        await AppendAsync(stream, 2);
        cluster = await ClusterAsync();
        try
        {
            await Eventually.HoldsAsync(async () => Delivered(prefix).Count() >= 5, "the two new events were delivered");
            await Task.Delay(500);
            Assert.Equal([1L, 2, 3, 4, 5], Delivered(prefix).Select(d => d.Event.Version)); // nothing before the checkpoint came again
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task When_a_silo_dies_the_others_take_over_its_queues()
    {
        var prefix = $"failover-{Guid.NewGuid():N}-";
        var cluster = await ClusterAsync(silos: 2);
        try
        {
            // A stream in every partition, so that the dead silo's queues are among them.
            var streams = new Dictionary<int, string>();
            for (var i = 0; streams.Count < EventLogQueues.Count; i++)
            {
                await AppendAsync(prefix + i, 1);
                streams.TryAdd(await PartitionOfAsync(prefix + i), prefix + i);
            }
            await Eventually.HoldsAsync(async () => Delivered(prefix).Select(d => d.Queue).Distinct().Count() == EventLogQueues.Count, "every queue delivered");
            var before = Delivered(prefix).Count();

            await cluster.KillSiloAsync(cluster.Silos[1]);
            foreach (var stream in streams.Values)
            {
                await AppendAsync(stream, 1);
            }

            await Eventually.HoldsAsync(async () => streams.Values.All(stream => Delivered(prefix).Count(d => d.Event.StreamId == stream) >= 2), "every queue delivered again after the kill", 60);
            Assert.True(Delivered(prefix).Count() >= before + EventLogQueues.Count);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private async Task<GlobalCheckpoint> LastCheckpointOfAsync(string stream)
    {
        await using var command = postgres.CreateCommand("SELECT transaction_id, position FROM events WHERE stream_id = $1 ORDER BY transaction_id DESC, position DESC LIMIT 1");
        command.Parameters.AddWithValue(stream);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new GlobalCheckpoint(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
    }
}
