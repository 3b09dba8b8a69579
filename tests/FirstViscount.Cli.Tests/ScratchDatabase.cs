using FirstViscount.Tests;

namespace FirstViscount.Cli.Tests;

/// <summary>A PostgreSQL database of the test's own on the test server, dropped on dispose.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string name = $"fv_cli_{Guid.NewGuid():N}"[..24];

    public string ConnectionString => TestServers.PostgresDatabase(name);

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var database = new ScratchDatabase();
        await TestServers.EnsureDatabaseAsync(database.name);
        return database;
    }

    public async ValueTask DisposeAsync() => await TestServers.DropDatabaseAsync(name);
}
