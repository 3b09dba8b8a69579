using Npgsql;

namespace FirstViscount.Cli.Tests;

/// <summary>A PostgreSQL database of the test's own on the test server, dropped on dispose.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    public static readonly string Server = Environment.GetEnvironmentVariable("FV_POSTGRES") ?? MigrateCommand.DefaultConnection;
    private readonly string name;

    private ScratchDatabase(string name)
    {
        this.name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var database = new ScratchDatabase($"fv_cli_{Guid.NewGuid():N}"[..24]);
        await using var admin = NpgsqlDataSource.Create(Server);
        await using var create = admin.CreateCommand($"CREATE DATABASE \"{database.name}\"");
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Server);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
