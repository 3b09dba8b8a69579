using System.Globalization;
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
    private const string Usage = "usage: archive-events --to <directory> [--older-than-days <days, at least 2557>] [--connection <connection string>]";
    private static readonly string[] ClosedStreams = ["order-", "payment-"];

    public static async Task<int> RunAsync(IReadOnlyList<string> options, TextWriter output, TextWriter error, DateTimeOffset? now = null)
    {
        string? directory = null;
        var days = SevenYearsInDays;
        var connection = MigrateCommand.ConfiguredConnection;
        for (var i = 0; i < options.Count; i++)
        {
            switch (options[i])
            {
                case "--to" when i + 1 < options.Count:
                    directory = options[++i];
                    break;
                case "--older-than-days" when i + 1 < options.Count && int.TryParse(options[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= SevenYearsInDays:
                    days = value;
                    i++;
                    break;
                case "--connection" when i + 1 < options.Count:
                    connection = options[++i];
                    break;
                default:
                    await error.WriteLineAsync($"error: unexpected '{options[i]}' (order and payment events stay at least seven years). {Usage}");
                    return ExitCodes.Usage;
            }
        }
        if (directory is null)
        {
            await error.WriteLineAsync($"error: --to is required. {Usage}");
            return ExitCodes.Usage;
        }
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            var cutoff = (now ?? DateTimeOffset.UtcNow).AddDays(-days);
            var result = await EventArchive.ArchiveAsync(dataSource, ClosedStreams, cutoff, directory);
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
