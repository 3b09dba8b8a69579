using System.Text;
using System.Text.Json;
using FirstViscount.EventSourcing;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Postgres.EventStore;

/// <summary>
/// The event store on PostgreSQL (sql/postgres/0002_event_store.sql). An append is one INSERT ... SELECT that
/// checks the stream's version in the same statement; a concurrent append that slips in between fails on the
/// unique (stream_id, version) key; both surface as <see cref="WrongExpectedVersionException"/>.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    private const string Columns = "stream_id, version, position, event_id, event_type, schema_version, payload::text, metadata::text, recorded_at, transaction_id";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = AppendCommand(streamId, expected, events);
        command.Connection = connection;
        return await ExecuteAppendAsync(command, streamId, expected, cancellationToken);
    }

    /// <summary>The append as a command, to run inside a caller's transaction (state change and events together).</summary>
    public static NpgsqlCommand AppendCommand(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        if (events.Count == 0)
        {
            throw new ArgumentException("Append at least one event.", nameof(events));
        }
        return new NpgsqlCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, schema_version, payload, metadata)
            SELECT $1, current.version + e.ordinal, e.id, e.type, e.schema_version, e.payload::jsonb, e.metadata::jsonb
            FROM (SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1) AS current,
                 unnest($2::uuid[], $3::text[], $4::integer[], $5::text[], $6::text[])
                   WITH ORDINALITY AS e(id, type, schema_version, payload, metadata, ordinal)
            WHERE $7::bigint IS NULL OR current.version = $7
            RETURNING version, position
            """)
        {
            Parameters =
            {
                new() { Value = streamId },
                new() { Value = events.Select(e => e.EventId).ToArray() },
                new() { Value = events.Select(e => e.Type).ToArray() },
                new() { Value = events.Select(e => e.SchemaVersion).ToArray() },
                new() { Value = events.Select(e => Encoding.UTF8.GetString(e.Payload)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = events.Select(e => JsonSerializer.Serialize(e.Metadata, MetadataJson.Options)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = (object?)expected.Exact ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
            },
        };
    }

    public static async Task<AppendResult> ExecuteAppendAsync(NpgsqlCommand command, string streamId, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        try
        {
            long version = 0, position = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                version = Math.Max(version, reader.GetInt64(0));
                position = Math.Max(position, reader.GetInt64(1));
            }
            return version == 0 ? throw new WrongExpectedVersionException(streamId, expected) : new AppendResult(version, position);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation && error.ConstraintName == "events_stream_id_version_key")
        {
            throw new WrongExpectedVersionException(streamId, expected, error);
        }
    }

    /// <summary>
    /// Bulk load for seeding: the first event of many new streams in one statement. Streams that already have
    /// events are left alone, so loading twice adds nothing. Returns how many streams were created.
    /// </summary>
    public async Task<int> AppendFirstEventsAsync(IReadOnlyList<(string StreamId, EventData Event)> streams, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, schema_version, payload, metadata)
            SELECT s.stream_id, 1, s.id, s.type, s.schema_version, s.payload::jsonb, s.metadata::jsonb
            FROM unnest($1::text[], $2::uuid[], $3::text[], $4::integer[], $5::text[], $6::text[])
                 AS s(stream_id, id, type, schema_version, payload, metadata)
            ON CONFLICT (stream_id, version) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Event.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Event.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Event.SchemaVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => Encoding.UTF8.GetString(s.Event.Payload)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => JsonSerializer.Serialize(s.Event.Metadata, MetadataJson.Options)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long afterVersion, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"SELECT {Columns} FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterVersion });
        return (await ReadEventsAsync(command, cancellationToken)).Events;
    }

    public Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken) =>
        ReadLogAsync(null, after, maxCount, cancellationToken);

    /// <summary>
    /// Like <see cref="ReadAllAsync"/>, within one of the log's <see cref="LogPartitions"/> partitions (a hash of the
    /// stream id the database stores with each event): the queues of the event log's Orleans streams.
    /// </summary>
    public Task<GlobalPage> ReadPartitionAsync(int partition, GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, LogPartitions);
        return ReadLogAsync((short)partition, after, maxCount, cancellationToken);
    }

    private async Task<GlobalPage> ReadLogAsync(short? partition, GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken)
    {
        // The horizon filter is applied after the LIMIT: rows at or above it sort after every row below it, so the
        // result is still a prefix of the log; inside, the filter would make the planner sort the whole remainder.
        // Within a partition the comparison and order name the partition too, so that they match its index exactly
        // (else the planner walks the global order and throws away the other partitions' rows).
        var (filter, order) = partition is null
            ? ("(transaction_id, position) > ($1::xid8, $2)", "transaction_id, position")
            : ("log_partition = $4 AND (log_partition, transaction_id, position) > ($4, $1::xid8, $2)", "log_partition, transaction_id, position");
        await using var command = DataSource.CreateCommand($"""
            SELECT {Columns} FROM (
                SELECT * FROM events WHERE {filter} ORDER BY {order} LIMIT $3
            ) AS page
            WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id, position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Position });
        command.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        if (partition is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        var (events, last) = await ReadEventsAsync(command, cancellationToken);
        return new GlobalPage(events, last ?? after);
    }

    /// <summary>
    /// Where the log ends now: the last event in commit order (<see cref="GlobalCheckpoint.Start"/> when empty). A reader
    /// that must read everything up to now keeps reading until it is there: a page can come back empty before that while
    /// an older transaction (in any database of the server) is still open and holds the horizon back.
    /// </summary>
    public async Task<GlobalCheckpoint> EndAsync(CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("SELECT transaction_id, position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GlobalCheckpoint(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCheckpoint.Start;
    }

    /// <summary>
    /// Reads the whole log after <paramref name="after"/> up to its <see cref="EndAsync"/> as of the call, page by page,
    /// waiting while an open transaction holds the horizon back; returns how many events it read.
    /// </summary>
    public async Task<long> ReadToEndAsync(GlobalCheckpoint after, int pageSize, Func<GlobalPage, Task> onPage, CancellationToken cancellationToken = default)
    {
        var (end, read) = (await EndAsync(cancellationToken), 0L);
        while (after.CompareTo(end) < 0)
        {
            var page = await ReadAllAsync(after, pageSize, cancellationToken);
            if (page.Events.Count == 0)
            {
                await Task.Delay(100, cancellationToken);
                continue;
            }
            await onPage(page);
            (after, read) = (page.Next, read + page.Events.Count);
        }
        return read;
    }

    /// <summary>How many partitions the log has (sql/postgres/0012): an event's is a hash of its stream id modulo this.</summary>
    public const int LogPartitions = 16;

    public async Task SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            INSERT INTO snapshots (stream_id, version, state) VALUES ($1, $2, $3::jsonb)
            ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state = excluded.state, saved_at = now()
            WHERE snapshots.version < excluded.version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.StreamId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = Encoding.UTF8.GetString(snapshot.State), NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Snapshot?> LoadSnapshotAsync(string streamId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT version, state::text FROM snapshots WHERE stream_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Snapshot(streamId, reader.GetInt64(0), Encoding.UTF8.GetBytes(reader.GetString(1)))
            : null;
    }

    /// <summary>
    /// The snapshot and the events after it in one round trip and one statement, so both come from the same database
    /// snapshot (a snapshot saved in between cannot make the events read skip the ones it covers).
    /// </summary>
    public async Task<StreamLoad> LoadAsync(string streamId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            WITH snapshot AS (SELECT version, state FROM snapshots WHERE stream_id = $1)
            SELECT 0 AS kind, version, NULL::bigint, NULL::uuid, NULL::text, NULL::integer, state::text, NULL::text, NULL::timestamptz FROM snapshot
            UNION ALL
            SELECT 1, version, position, event_id, event_type, schema_version, payload::text, metadata::text, recorded_at FROM events
            WHERE stream_id = $1 AND version > coalesce((SELECT version FROM snapshot), 0)
            ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        Snapshot? snapshot = null;
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt32(0) == 0)
            {
                snapshot = new Snapshot(streamId, reader.GetInt64(1), reader.GetFieldValue<byte[]>(6));
                continue;
            }
            events.Add(new RecordedEvent(streamId, reader.GetInt64(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<byte[]>(6), Metadata(reader.GetString(7)), reader.GetFieldValue<DateTimeOffset>(8)));
        }
        return new StreamLoad(snapshot, events);
    }

    private static async Task<(List<RecordedEvent> Events, GlobalCheckpoint? Last)> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        GlobalCheckpoint? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new RecordedEvent(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<byte[]>(6), // the text's UTF-8 bytes, as they arrived
                Metadata(reader.GetString(7)),
                reader.GetFieldValue<DateTimeOffset>(8)));
            last = new GlobalCheckpoint(reader.GetFieldValue<ulong>(9), reader.GetInt64(2));
        }
        return (events, last);
    }

    private static readonly EventMetadata NoMetadata = new();

    private static EventMetadata Metadata(string json) =>
        json == "{}" ? NoMetadata : JsonSerializer.Deserialize<EventMetadata>(json, MetadataJson.Options) ?? NoMetadata;
}

/// <summary>Metadata is stored camelCase, the way the API shows it.</summary>
internal static class MetadataJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
