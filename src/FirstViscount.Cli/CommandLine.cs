using System.CommandLine;

namespace FirstViscount.Cli;

/// <summary>
/// The `firstviscount` command tree (System.CommandLine). Every command answers `--help` with exit code 0; a value it
/// cannot use is named in a message on stderr with exit code 2; no arguments at all prints the help.
/// </summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("""
            FirstViscount operator CLI: migrate, seed, archive, audit and replay against the shop's PostgreSQL and ClickHouse.
            Environment: FV_POSTGRES (PostgreSQL connection string; default: the database deploy/services.sh starts on 127.0.0.1:15432),
            FV_CLICKHOUSE (ClickHouse URL). Options given on the command line win. Run 'firstviscount <command> --help' for a command's options.
            """)
        {
            MigrateCommand.Create(output, error),
            SeedCommand.Create(output, error),
            ArchiveEventsCommand.Create(output, error),
            AuditCommand.Create(output, error),
            ReplayCommand.Create(output, error),
        };
        var parsed = root.Parse(arguments.Length == 0 ? ["--help"] : arguments);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }
            var command = parsed.CommandResult.Command;
            await error.WriteLineAsync($"See 'firstviscount{(command == root ? "" : " " + command.Name)} --help'.");
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
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
