using FirstViscount.Postgres;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Commerce.Tests;

/// <summary>Tests that each run in a database of their own (migrated, dropped afterwards), for a read model to start from an empty log.</summary>
public abstract class ScratchDatabaseTests(string prefix) : IAsyncLifetime
{
    protected string Database { get; } = $"{prefix}_{Guid.NewGuid():N}"[..24];

    protected NpgsqlDataSource Postgres { get; private set; } = null!;

    protected string ConnectionString => TestServers.PostgresDatabase(Database);

    public async Task InitializeAsync()
    {
        await TestServers.EnsureDatabaseAsync(Database);
        Postgres = NpgsqlDataSource.Create(ConnectionString);
        await PostgresMigrator.MigrateAsync(Postgres);
    }

    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await TestServers.DropDatabaseAsync(Database);
    }
}
