using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>`migrate [--connection CS]...`: applies pending migrations to each database (each shard).</summary>
internal static class MigrateCommand
{
    public const string DefaultConnection = "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=5";

    /// <summary>The database a command uses when none is given: FV_POSTGRES, else the one deploy/services.sh starts.</summary>
    public static string ConfiguredConnection => Environment.GetEnvironmentVariable("FV_POSTGRES") ?? DefaultConnection;

    public static async Task<int> RunAsync(IReadOnlyList<string> connections, TextWriter output, TextWriter error)
    {
        foreach (var connection in connections.Count == 0 ? [ConfiguredConnection] : connections)
        {
            NpgsqlConnectionStringBuilder parsed;
            try
            {
                parsed = new NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException invalid)
            {
                await error.WriteLineAsync($"error: '{connection}' is not a valid connection string: {invalid.Message}");
                return ExitCodes.Usage;
            }
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(parsed.ConnectionString);
                var applied = await PostgresMigrator.MigrateAsync(dataSource);
                await output.WriteLineAsync(applied.Count == 0
                    ? $"{parsed.Host}:{parsed.Port}/{parsed.Database}: up to date ({PostgresMigrator.Migrations.Count} migrations)"
                    : $"{parsed.Host}:{parsed.Port}/{parsed.Database}: applied {string.Join(", ", applied)}");
            }
            catch (NpgsqlException failure)
            {
                await error.WriteLineAsync($"error: cannot migrate {parsed.Host}:{parsed.Port}/{parsed.Database}: {failure.Message} (is it running? deploy/services.sh up)");
                return ExitCodes.Failure;
            }
        }
        return ExitCodes.Success;
    }
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>The audit found inconsistencies, or one of its checks could not run.</summary>
    public const int Inconsistent = 3;
}
