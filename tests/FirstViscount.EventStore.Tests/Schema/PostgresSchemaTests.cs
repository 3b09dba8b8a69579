using FirstViscount.Postgres;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.EventStore.Tests.Schema;

[Trait("Category", "Cluster")]
public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task Concurrent_migrations_apply_each_file_exactly_once()
    {
        var database = $"fv_migrate_{Guid.NewGuid():N}"[..30];
        await TestServers.EnsureDatabaseAsync(database);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(TestServers.PostgresDatabase(database));

            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMigrator.MigrateAsync(dataSource)));

            Assert.Equal(PostgresMigrator.Migrations.Select(m => m.Version), results.SelectMany(r => r).Order());
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
            Assert.Equal((long)PostgresMigrator.Migrations.Count, await count.ExecuteScalarAsync());
        }
        finally
        {
            await TestServers.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task The_orleans_providers_find_every_statement_they_need_in_OrleansQuery()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using var command = dataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery");
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        string[] persistence = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];
        string[] reminders = ["ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey"];
        Assert.Subset(keys.ToHashSet(), persistence.Concat(reminders).ToHashSet());
    }

    [Fact]
    public async Task A_silo_whose_database_does_not_answer_fails_to_start_with_an_error_naming_it_instead_of_hanging()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Port = 1, Timeout = 2 }.ConnectionString;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new CommerceTestCluster(silos: 1)
            .UsePostgresAndRedis(unreachable, TestServers.Redis).DeployAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.IsNotType<TimeoutException>(error);
        Assert.Contains(error.GetBaseException().GetType().Namespace!, "Npgsql System.Net.Sockets");
    }
}
