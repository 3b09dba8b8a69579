using System.IO.Compression;
using System.Text.Json;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Cli.Tests;

[Trait("Category", "Ops")]
public sealed class ArchiveEventsCommandTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static async Task AppendAsync(NpgsqlDataSource events, string stream, params DateTimeOffset[] recordedAt)
    {
        for (var version = 1; version <= recordedAt.Length; version++)
        {
            await using var command = events.CreateCommand(
                "INSERT INTO events (stream_id, version, event_id, event_type, payload, recorded_at) VALUES ($1, $2, $3, 'test.happened', $4::jsonb, $5)");
            command.Parameters.Add(new NpgsqlParameter { Value = stream });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)version });
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
            command.Parameters.Add(new NpgsqlParameter { Value = $$"""{"stream":"{{stream}}","n":{{version}}}""" });
            command.Parameters.Add(new NpgsqlParameter { Value = recordedAt[version - 1] });
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<string>> StreamsAsync(NpgsqlDataSource events)
    {
        await using var command = events.CreateCommand("SELECT stream_id || ':' || count(*) FROM events GROUP BY stream_id ORDER BY stream_id");
        var streams = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            streams.Add(reader.GetString(0));
        }
        return streams;
    }

    [Fact]
    public async Task Order_and_payment_streams_older_than_seven_years_move_to_the_archive_file_and_nothing_else_does()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var events = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(events);
        var eightYearsAgo = Now.AddYears(-8);
        await AppendAsync(events, "order-old", eightYearsAgo, eightYearsAgo.AddDays(2));
        await AppendAsync(events, "payment-old", eightYearsAgo.AddHours(1));
        await AppendAsync(events, "order-reopened", eightYearsAgo, Now.AddYears(-1)); // its newest event is recent: the whole stream stays
        await AppendAsync(events, "order-young", Now.AddYears(-7).AddDays(10));
        await AppendAsync(events, "inventory-sku-1", eightYearsAgo); // a live stream: never archived
        var directory = Path.Combine(Path.GetTempPath(), $"fv-archive-{Guid.NewGuid():N}");

        var (exit, output, _) = await Cli.RunAsync("archive-events", "--to", directory, "--connection", database.ConnectionString);
        var (_, again, _) = await Cli.RunAsync("archive-events", "--to", directory, "--connection", database.ConnectionString);

        Assert.Equal(0, exit);
        Assert.Contains("archived 3 events of 2 streams", output);
        Assert.Contains("nothing to archive", again);
        Assert.Equal(["inventory-sku-1:1", "order-reopened:2", "order-young:1"], await StreamsAsync(events));
        var file = Assert.Single(Directory.GetFiles(directory));
        using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
        var archived = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["order-old 1 1", "order-old 2 2", "payment-old 1 1"],
            archived.Select(e => $"{e.GetProperty("streamId")} {e.GetProperty("version")} {e.GetProperty("payload").GetProperty("n")}"));
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("'30'", "--older-than-days", "30", "--to", "/tmp/x")]
    [InlineData("'Host'", "--to", "/tmp/x", "--connection", "Host")]
    [InlineData("--to", "--to")]
    [InlineData("--to")]
    public async Task Bad_options_and_a_period_under_seven_years_exit_2_naming_them(string named, params string[] options)
    {
        var (exitCode, _, error) = await Cli.RunAsync(["archive-events", .. options]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(named, error);
        Assert.Contains("firstviscount archive-events --help", error);
    }
}
