using System.CommandLine;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>`migrate [--connection CS]...`: applies pending migrations to each database (each shard).</summary>
internal static class MigrateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connections = PostgresOptions.Connections();
        var command = new Command("migrate", "Apply pending PostgreSQL migrations (once per shard). Silos also migrate when they start.") { connections };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(connections)!, output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> connections, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        foreach (var connection in connections)
        {
            var parsed = new NpgsqlConnectionStringBuilder(connection);
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(parsed.ConnectionString);
                var applied = await PostgresMigrator.MigrateAsync(dataSource, cancellationToken);
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
