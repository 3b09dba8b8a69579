using FirstViscount.Postgres;
using Npgsql;
using FirstViscount.Tests;

namespace FirstViscount.Cli.Tests;

/// <summary>A PostgreSQL database of the test's own on the test server, dropped on dispose.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string name = $"fv_cli_{Guid.NewGuid():N}"[..24];
    private NpgsqlDataSource? dataSource;

    public string ConnectionString => TestServers.PostgresDatabase(name);

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var database = new ScratchDatabase();
        await TestServers.EnsureDatabaseAsync(database.name);
        return database;
    }

    /// <summary>Migrates the database's schema and runs <paramref name="sql"/> in it (the events a test starts from); the data source stays open for the test.</summary>
    public async Task<NpgsqlDataSource> MigratedWithAsync(string sql)
    {
        dataSource ??= NpgsqlDataSource.Create(ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
        await TestServers.DropDatabaseAsync(name);
    }
}
