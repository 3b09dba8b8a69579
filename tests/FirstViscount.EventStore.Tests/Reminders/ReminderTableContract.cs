using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.EventStore.Tests.Reminders;

/// <summary>The behaviour Orleans's reminder service relies on from a reminder table; each table's suite runs it.</summary>
public abstract class ReminderTableContract(Storage.StorageSilo silo)
{
    private IReminderTable Table => silo.Services.GetRequiredService<IReminderTable>();

    private static GrainId NewGrain(string test) => GrainId.Create("reminder-contract", $"{test}-{Guid.NewGuid():N}");

    private static ReminderEntry Entry(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };

    [Fact]
    public async Task An_upserted_reminder_reads_back_with_its_start_period_and_etag()
    {
        var grain = NewGrain("roundtrip");
        var startAt = new DateTime(2026, 12, 1, 10, 30, 15, 123, DateTimeKind.Utc);

        var etag = await Table.UpsertRow(Entry(grain, "resume", startAt, TimeSpan.FromMinutes(1)));
        var read = await Table.ReadRow(grain, "resume");

        Assert.NotNull(etag);
        Assert.Equal((grain, "resume", startAt, TimeSpan.FromMinutes(1), etag), (read!.GrainId, read.ReminderName, read.StartAt.ToUniversalTime(), read.Period, read.ETag));
        Assert.Null(await Table.ReadRow(grain, "never registered"));
    }

    [Fact]
    public async Task Upserting_again_changes_the_etag_and_only_the_current_etag_removes_it()
    {
        var grain = NewGrain("etag");
        var first = await Table.UpsertRow(Entry(grain, "expire", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var second = await Table.UpsertRow(Entry(grain, "expire", DateTime.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(2)));

        Assert.NotEqual(first, second);
        Assert.False(await Table.RemoveRow(grain, "expire", first!));
        Assert.NotNull(await Table.ReadRow(grain, "expire"));
        Assert.True(await Table.RemoveRow(grain, "expire", second!));
        Assert.Null(await Table.ReadRow(grain, "expire"));
    }

    [Fact]
    public async Task A_grain_s_reminders_are_read_together_and_apart_from_other_grains()
    {
        var grain = NewGrain("rows");
        var other = NewGrain("rows-other");
        await Table.UpsertRow(Entry(grain, "a", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(grain, "b", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(other, "a", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        var rows = await Table.ReadRows(grain);

        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hash_range_holds_exactly_the_reminders_of_grains_that_hash_into_it(bool wrapsAround)
    {
        var grains = Enumerable.Range(0, 60).Select(i => NewGrain($"range{i}")).ToList();
        foreach (var grain in grains)
        {
            await Table.UpsertRow(Entry(grain, "tick", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        }
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        // (begin, end]: a slice in the middle of the ring, or one that wraps past uint.MaxValue to the start.
        var (begin, end) = wrapsAround ? (hashes[45], hashes[15]) : (hashes[15], hashes[45]);
        bool InRange(uint hash) => wrapsAround ? hash > begin || hash <= end : hash > begin && hash <= end;

        var rows = await Table.ReadRows(begin, end);

        var ours = grains.ToHashSet();
        var found = rows.Reminders.Where(r => ours.Contains(r.GrainId)).Select(r => r.GrainId).ToHashSet();
        Assert.Equal(grains.Where(g => InRange(g.GetUniformHashCode())).ToHashSet(), found);
        Assert.Equal(wrapsAround ? 30 : 30, found.Count);
    }
}

[Trait("Category", "Cluster")]
public sealed class InMemoryReminderTableContract(Storage.InMemoryStorageSilo silo) : ReminderTableContract(silo), IClassFixture<Storage.InMemoryStorageSilo>;

[Trait("Category", "Cluster")]
public sealed class PostgresReminderTableContract(Storage.PostgresStorageSilo silo) : ReminderTableContract(silo), IClassFixture<Storage.PostgresStorageSilo>;
