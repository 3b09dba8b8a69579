using System.Text;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Tests;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.EventStore.Tests.EventStore;

[Trait("Category", "Commerce")]
public sealed class PostgresEventStoreTests
{
    private static readonly Lazy<Task<PostgresEventStore>> Store = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return new PostgresEventStore(dataSource);
    });

    private static string Stream(string test) => $"test-{test}-{Guid.NewGuid():N}";

    private static EventData Event(string type, string json = "{}") =>
        new(Guid.NewGuid(), type, 1, Encoding.UTF8.GetBytes(json), new EventMetadata("corr-1", "cause-1", "tester"));

    [Fact]
    public async Task Appends_state_their_expected_version_and_a_mismatch_is_rejected()
    {
        var store = await Store.Value;
        var stream = Stream("expected");

        var first = await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A"), Event("B")], CancellationToken.None);
        Assert.Equal(2, first.NextExpectedVersion);
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("C")], CancellationToken.None));
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => store.AppendAsync(stream, ExpectedVersion.At(1), [Event("C")], CancellationToken.None));
        Assert.Equal(3, (await store.AppendAsync(stream, ExpectedVersion.At(2), [Event("C")], CancellationToken.None)).NextExpectedVersion);
        Assert.Equal(4, (await store.AppendAsync(stream, ExpectedVersion.Any, [Event("D")], CancellationToken.None)).NextExpectedVersion);

        var events = await store.ReadStreamAsync(stream, afterVersion: 1, CancellationToken.None);
        Assert.Equal(["B", "C", "D"], events.Select(e => e.Type));
        Assert.Equal([2L, 3, 4], events.Select(e => e.Version));
        Assert.Equal(new EventMetadata("corr-1", "cause-1", "tester"), events[0].Metadata);
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
    }

    [Fact]
    public async Task Of_concurrent_appends_at_the_same_version_exactly_one_wins()
    {
        var store = await Store.Value;
        var stream = Stream("race");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Opened")], CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.AppendAsync(stream, ExpectedVersion.At(1), [Event($"Racer{i}")], CancellationToken.None);
                return true;
            }
            catch (WrongExpectedVersionException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
        Assert.Single(await store.ReadStreamAsync(stream, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_global_reader_never_skips_an_event_whose_transaction_commits_late()
    {
        var store = await Store.Value;
        var early = Stream("late-commit-early");
        var late = Stream("late-commit-late");
        var checkpoint = await TailAsync(store);

        // The first writer takes the lower position but commits last.
        await using var connection = await store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var slowAppend = PostgresEventStore.AppendCommand(late, ExpectedVersion.NoStream, [Event("Slow")]);
        slowAppend.Connection = connection;
        slowAppend.Transaction = transaction;
        var slow = await PostgresEventStore.ExecuteAppendAsync(slowAppend, late, ExpectedVersion.NoStream, CancellationToken.None);
        var fast = await store.AppendAsync(early, ExpectedVersion.NoStream, [Event("Fast")], CancellationToken.None);
        Assert.True(slow.LastPosition < fast.LastPosition);

        var seen = new List<RecordedEvent>();
        checkpoint = await DrainAsync(store, checkpoint, seen);
        Assert.DoesNotContain(seen, e => e.StreamId == early); // delivering it now would let the reader move past the slow one

        await transaction.CommitAsync();
        // Other tests' transactions still in flight may hold the horizon back a little longer: wait for it.
        var deadline = Environment.TickCount64 + 10_000;
        while (!(seen.Any(e => e.StreamId == late) && seen.Any(e => e.StreamId == early)) && Environment.TickCount64 < deadline)
        {
            checkpoint = await DrainAsync(store, checkpoint, seen);
            await Task.Delay(20);
        }
        Assert.Contains(seen, e => e.StreamId == late);
        Assert.Contains(seen, e => e.StreamId == early);
    }

    [Fact]
    public async Task A_snapshot_is_replaced_only_by_a_newer_one()
    {
        var store = await Store.Value;
        var stream = Stream("snapshot");

        await store.SaveSnapshotAsync(new Snapshot(stream, 1000, """{"n":1000}"""u8.ToArray()), CancellationToken.None);
        await store.SaveSnapshotAsync(new Snapshot(stream, 500, """{"n":500}"""u8.ToArray()), CancellationToken.None);

        var snapshot = await store.LoadSnapshotAsync(stream, CancellationToken.None);
        Assert.Equal(1000, snapshot!.Version);
        Assert.Contains("1000", Encoding.UTF8.GetString(snapshot.State));
        Assert.Null(await store.LoadSnapshotAsync(Stream("none"), CancellationToken.None));
    }

    [Fact]
    public async Task Loading_a_stream_gives_its_latest_snapshot_and_exactly_the_events_after_it_in_one_read()
    {
        var store = await Store.Value;
        var stream = Stream("load");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A"), Event("B"), Event("C")], CancellationToken.None);
        Assert.Equal(["A", "B", "C"], (await store.LoadAsync(stream, CancellationToken.None)).Events.Select(e => e.Type));

        await store.SaveSnapshotAsync(new Snapshot(stream, 2, """{"upTo":"B"}"""u8.ToArray()), CancellationToken.None);
        await store.AppendAsync(stream, ExpectedVersion.At(3), [Event("D")], CancellationToken.None);
        var load = await store.LoadAsync(stream, CancellationToken.None);

        Assert.Equal(2, load.Snapshot!.Version);
        Assert.Contains("upTo", Encoding.UTF8.GetString(load.Snapshot.State));
        Assert.Equal([(3L, "C"), (4L, "D")], load.Events.Select(e => (e.Version, e.Type)));
        Assert.Empty((await store.LoadAsync(Stream("never"), CancellationToken.None)).Events);
    }

    private static async Task<GlobalCheckpoint> TailAsync(PostgresEventStore store) => await DrainAsync(store, GlobalCheckpoint.Start, null);

    private static async Task<GlobalCheckpoint> DrainAsync(PostgresEventStore store, GlobalCheckpoint from, List<RecordedEvent>? into)
    {
        while (true)
        {
            var page = await store.ReadAllAsync(from, 1_000, CancellationToken.None);
            into?.AddRange(page.Events);
            if (page.Events.Count == 0)
            {
                return from;
            }
            from = page.Next;
        }
    }
}
