using System.CommandLine;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>
/// `archive-events --to DIR [--older-than-days N] [--connection CS]`: order and payment streams whose newest event
/// is older than N days (default 2,557, seven years) move from PostgreSQL to a gzip JSON-lines file in DIR.
/// </summary>
internal static class ArchiveEventsCommand
{
    public const int SevenYearsInDays = 7 * 365 + 2;
    private static readonly string[] ClosedStreams = ["order-", "payment-"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = PostgresOptions.Connection();
        var directory = new Option<DirectoryInfo>("--to")
        {
            Description = "directory the archive file (events-<time>.jsonl.gz) is written to; created when missing", HelpName = "directory", Required = true,
        };
        var days = WholeNumberOption.Create("--older-than-days",
            "archive streams whose newest event is older than this many days; order and payment events stay at least seven years",
            "days", SevenYearsInDays, 100 * 366, SevenYearsInDays);
        var command = new Command("archive-events", "Move order and payment streams older than seven years (or --older-than-days) out of PostgreSQL into a gzip JSON-lines file.")
        {
            directory, days, connection,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(directory)!, parsed.GetValue(days), parsed.GetValue(connection)!,
            output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo directory, int days, string connection, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            var cutoff = DateTimeOffset.UtcNow.AddDays(-days);
            var streams = await EventArchive.CountExpiredStreamsAsync(dataSource, ClosedStreams, cutoff, cancellationToken);
            var result = await ConsoleProgress.RunAsync(error, "archiving streams", streams,
                counter => EventArchive.ArchiveAsync(dataSource, ClosedStreams, cutoff, directory.FullName, counter, cancellationToken));
            await output.WriteLineAsync(result.File is null
                ? $"nothing to archive: no order or payment stream is older than {cutoff:yyyy-MM-dd}"
                : $"archived {result.Events} events of {result.Streams} streams older than {cutoff:yyyy-MM-dd} to {result.File}");
            return ExitCodes.Success;
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot archive: {failure.Message}");
            return ExitCodes.Failure;
        }
    }
}
