using FirstViscount.Postgres;
using FirstViscount.Postgres.Reminders;
using FirstViscount.Reminders;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Reminders;

/// <summary>What every reminder table must do; each backend's suite subclasses this.</summary>
public abstract class ReminderTableContract
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IReminderTable> CreateAsync(string serviceId);

    private static GrainId Grain() => new("reminder-test", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Only_due_reminders_are_read()
    {
        var table = await CreateAsync($"svc-{Guid.NewGuid():N}");
        var grain = Grain();
        await table.RegisterOrUpdateAsync(grain, "soon", Now.AddMinutes(1), null);
        await table.RegisterOrUpdateAsync(grain, "due", Now.AddMinutes(-1), null);

        var due = await table.ReadDueAsync(Now, 100, CancellationToken.None);

        Assert.Equal(["due"], due.Select(r => r.Name));
    }

    [Fact]
    public async Task Completing_deletes_a_one_shot_reminder_and_moves_a_periodic_one_past_now()
    {
        var table = await CreateAsync($"svc-{Guid.NewGuid():N}");
        var grain = Grain();
        await table.RegisterOrUpdateAsync(grain, "once", Now, null);
        await table.RegisterOrUpdateAsync(grain, "every-10s", Now.AddSeconds(-35), TimeSpan.FromSeconds(10));

        foreach (var entry in await table.ReadDueAsync(Now, 100, CancellationToken.None))
        {
            await table.CompleteAsync(entry, Now, CancellationToken.None);
        }

        Assert.Empty(await table.ReadDueAsync(Now, 100, CancellationToken.None));
        var next = Assert.Single(await table.ReadDueAsync(Now.AddSeconds(10), 100, CancellationToken.None));
        Assert.Equal("every-10s", next.Name);
        Assert.Equal(Now.AddSeconds(5), next.DueAt);
    }

    [Fact]
    public async Task A_reminder_re_registered_during_delivery_is_not_lost_by_the_completion()
    {
        var table = await CreateAsync($"svc-{Guid.NewGuid():N}");
        var grain = Grain();
        await table.RegisterOrUpdateAsync(grain, "expire", Now, null);
        var delivering = Assert.Single(await table.ReadDueAsync(Now, 100, CancellationToken.None));

        await table.RegisterOrUpdateAsync(grain, "expire", Now.AddMinutes(15), null); // the grain scheduled the next one
        await table.CompleteAsync(delivering, Now, CancellationToken.None);

        Assert.Single(await table.ReadDueAsync(Now.AddMinutes(15), 100, CancellationToken.None));
    }

    [Fact]
    public async Task Unregistering_removes_the_reminder()
    {
        var table = await CreateAsync($"svc-{Guid.NewGuid():N}");
        var grain = Grain();
        await table.RegisterOrUpdateAsync(grain, "x", Now, null);

        await table.UnregisterAsync(grain, "x");

        Assert.Empty(await table.ReadDueAsync(Now, 100, CancellationToken.None));
    }
}

[Trait("Category", "Cluster")]
public sealed class InMemoryReminderTableContract : ReminderTableContract
{
    protected override Task<IReminderTable> CreateAsync(string serviceId) => Task.FromResult<IReminderTable>(new InMemoryReminderTable());
}

[Trait("Category", "Cluster")]
public sealed class PostgresReminderTableContract : ReminderTableContract
{
    private static readonly Lazy<Task<NpgsqlDataSource>> DataSource = new(async () =>
    {
        var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        return dataSource;
    });

    protected override async Task<IReminderTable> CreateAsync(string serviceId) => new PostgresReminderTable(await DataSource.Value, serviceId);
}
