using System.IO.Compression;
using System.Text.Json;
using Npgsql;

namespace FirstViscount.Postgres.EventStore;

public sealed record ArchiveResult(int Streams, long Events, string? File);

/// <summary>
/// Moves whole streams out of the event store once their newest event is older than the retention period: the
/// events are written to a gzip JSON-lines file (flushed to disk) first, and only then deleted, in batches.
/// A crash between the two leaves the streams in PostgreSQL to be archived again by the next run: never lost.
/// Only closed streams (orders, payments) should be archived: a live stream, such as a SKU's, needs its history.
/// Every run is recorded in the retention log (<see cref="RetentionLog.EventArchive"/>), also when it removed nothing.
/// </summary>
public static class EventArchive
{
    private const int StreamsPerBatch = 500;

    /// <summary>Archives the expired streams; <paramref name="progress"/> is told the number of streams of each batch once it is deleted.</summary>
    public static async Task<ArchiveResult> ArchiveAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> streamPrefixes, DateTimeOffset olderThan,
        string directory, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var patterns = LikePatterns(streamPrefixes);
        var path = Path.Combine(directory, $"events-{DateTime.UtcNow:yyyyMMddTHHmmssfff}.jsonl.gz");
        var (streams, events) = (0, 0L);
        Directory.CreateDirectory(directory);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            await using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            while (await ExpiredStreamsAsync(dataSource, patterns, olderThan, cancellationToken) is { Length: > 0 } batch)
            {
                events += await WriteStreamsAsync(dataSource, batch, gzip, cancellationToken);
                await gzip.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
                await DeleteAsync(dataSource, batch, olderThan, cancellationToken);
                streams += batch.Length;
                progress?.Report(batch.Length);
            }
        }
        if (streams == 0)
        {
            File.Delete(path);
        }
        await RetentionLog.RecordAsync(dataSource, RetentionLog.EventArchive, events, streams == 0
            ? $"no order or payment stream older than {olderThan:yyyy-MM-dd}"
            : $"{events} events of {streams} streams older than {olderThan:yyyy-MM-dd} moved to {path}", cancellationToken);
        return new ArchiveResult(streams, events, streams == 0 ? null : path);
    }

    /// <summary>How many streams a run with these arguments would archive now.</summary>
    public static async Task<long> CountExpiredStreamsAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> streamPrefixes, DateTimeOffset olderThan,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM (SELECT 1 FROM events WHERE stream_id LIKE ANY($1) GROUP BY stream_id HAVING max(recorded_at) < $2) AS expired");
        command.Parameters.Add(new NpgsqlParameter { Value = LikePatterns(streamPrefixes) });
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string[] LikePatterns(IReadOnlyList<string> streamPrefixes) =>
        streamPrefixes.Select(p => p.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%").ToArray();

    private static async Task<string[]> ExpiredStreamsAsync(NpgsqlDataSource dataSource, string[] patterns, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT stream_id FROM events WHERE stream_id LIKE ANY($1) GROUP BY stream_id HAVING max(recorded_at) < $2 ORDER BY stream_id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = patterns });
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        command.Parameters.Add(new NpgsqlParameter { Value = StreamsPerBatch });
        var streams = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            streams.Add(reader.GetString(0));
        }
        return [.. streams];
    }

    private static async Task<long> WriteStreamsAsync(NpgsqlDataSource dataSource, string[] streams, Stream output, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT stream_id, version, position, event_id, event_type, schema_version, payload::text, metadata::text, recorded_at
            FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = streams });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long count = 0;
        await using var json = new Utf8JsonWriter(output);
        while (await reader.ReadAsync(cancellationToken))
        {
            json.Reset(output);
            json.WriteStartObject();
            json.WriteString("streamId", reader.GetString(0));
            json.WriteNumber("version", reader.GetInt64(1));
            json.WriteNumber("position", reader.GetInt64(2));
            json.WriteString("eventId", reader.GetGuid(3));
            json.WriteString("type", reader.GetString(4));
            json.WriteNumber("schemaVersion", reader.GetInt32(5));
            json.WritePropertyName("payload");
            json.WriteRawValue(reader.GetString(6));
            json.WritePropertyName("metadata");
            json.WriteRawValue(reader.GetString(7));
            json.WriteString("recordedAt", reader.GetFieldValue<DateTimeOffset>(8));
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
            output.WriteByte((byte)'\n');
            count++;
        }
        return count;
    }

    /// <summary>Deletes the streams and their snapshots, unless an event was appended to one since it was selected.</summary>
    private static async Task DeleteAsync(NpgsqlDataSource dataSource, string[] streams, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH expired AS (
                SELECT stream_id FROM events WHERE stream_id = ANY($1) GROUP BY stream_id HAVING max(recorded_at) < $2
            ), gone AS (
                DELETE FROM snapshots WHERE stream_id IN (SELECT stream_id FROM expired)
            )
            DELETE FROM events WHERE stream_id IN (SELECT stream_id FROM expired)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = streams });
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
