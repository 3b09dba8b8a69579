using System.Text.Json;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>
/// A read model in PostgreSQL with one row per event stream of a kind (per SKU, per order), folded from the stream's
/// events as the event log's streams deliver them. Each row keeps the stream version it has folded; a write states the
/// version it read, so a delivery repeated or racing a rebuild never folds an event twice or drops one: a row that moved
/// meanwhile is read and folded again. A gap (the row is behind the batch's first event, e.g. after the table was
/// emptied) is filled from the stream itself, so the model heals itself from any state. An event the model cannot read
/// (a payload that does not deserialize, a move its fold refuses) is logged and passed over, never retried: the queue's
/// other consumers wait for every consumer, so one bad event must not stop the shop's streams.
/// </summary>
public abstract class StreamFoldedModel<TRow>(NpgsqlDataSource dataSource, PostgresEventStore store, ILogger? logger = null) : IEventLogProjection
    where TRow : class, IStreamFoldedRow<TRow>
{
    private readonly ILogger log = logger ?? NullLogger.Instance;

    private const int MaxAttempts = 5;

    protected NpgsqlDataSource DataSource => dataSource;

    /// <summary>The model's name (for replay and errors).</summary>
    public abstract string Name { get; }

    /// <summary>The table that holds the rows (emptied by a rebuild).</summary>
    protected abstract string Table { get; }

    /// <summary>The streams the model folds: <c>{prefix}{key}</c>.</summary>
    protected abstract string StreamPrefix { get; }

    /// <summary>The row of a stream nothing has been folded from (version 0).</summary>
    protected abstract TRow Empty(string key);

    /// <summary>The row after <paramref name="recorded"/>, the next event of its stream; its version is the event's.</summary>
    protected abstract TRow Apply(TRow row, RecordedEvent recorded);

    /// <summary>The rows of <paramref name="keys"/> (all rows when null), by key.</summary>
    protected abstract Task<Dictionary<string, TRow>> LoadAsync(string[]? keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes each change whose row is still at <c>Expected</c> (0: absent, so inserted); returns the keys written.
    /// </summary>
    protected abstract Task<HashSet<string>> WriteAsync(IReadOnlyList<(string Key, TRow Row, long Expected)> changes, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a write whose last two parameters are still to come (each change's new version, and the version it read)
    /// and which returns the keys it wrote.
    /// </summary>
    protected static async Task<HashSet<string>> WrittenAsync(NpgsqlCommand command, IReadOnlyList<(string Key, TRow Row, long Expected)> changes,
        CancellationToken cancellationToken)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Row.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Expected).ToArray() });
        var written = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            written.Add(reader.GetString(0));
        }
        return written;
    }

    /// <summary>Each row <paramref name="command"/> answers, made by <paramref name="read"/>.</summary>
    protected static async Task<List<TRow>> ReadRowsAsync(NpgsqlCommand command, Func<NpgsqlDataReader, TRow> read, CancellationToken cancellationToken)
    {
        var rows = new List<TRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>
    /// The rows <paramref name="select"/> (a SELECT from the table, its first column the key) answers for
    /// <paramref name="keys"/> in <paramref name="keyColumn"/>, or all rows when null; by key.
    /// </summary>
    protected async Task<Dictionary<string, TRow>> LoadRowsAsync(string select, string keyColumn, string[]? keys, Func<NpgsqlDataReader, TRow> read,
        CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(keys is null ? select : $"{select} WHERE {keyColumn} = ANY($1)");
        if (keys is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys });
        }
        var rows = new Dictionary<string, TRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = read(reader);
        }
        return rows;
    }

    /// <summary>Folds the events of the model's streams among <paramref name="events"/> (in log order) into it.</summary>
    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var byKey = events.Where(e => e.StreamId.StartsWith(StreamPrefix, StringComparison.Ordinal))
            .GroupBy(e => e.StreamId[StreamPrefix.Length..]).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());
        for (var attempt = 1; byKey.Count > 0; attempt++)
        {
            var current = await LoadAsync([.. byKey.Keys], cancellationToken);
            var changes = new List<(string Key, TRow Row, long Expected)>();
            foreach (var (key, stream) in byKey)
            {
                var read = current.GetValueOrDefault(key) ?? Empty(key);
                var readVersion = read.Version;
                if (stream[0].Version is var firstDelivered && firstDelivered > readVersion + 1)
                {
                    var missing = await store.ReadStreamAsync(StreamPrefix + key, readVersion, cancellationToken);
                    stream.InsertRange(0, [.. missing.Where(e => e.Version < firstDelivered)]);
                }
                var row = read;
                foreach (var recorded in stream.Where(e => e.Version > readVersion))
                {
                    row = ApplyReadable(row, recorded);
                }
                if (row.Version > readVersion)
                {
                    changes.Add((key, row, readVersion));
                }
            }
            var written = changes.Count == 0 ? [] : await WriteAsync(changes, cancellationToken);
            // Done: the rows written, and those with nothing newer than they had. Left: rows that moved since they were read.
            byKey = changes.Where(change => !written.Contains(change.Key)).ToDictionary(change => change.Key, change => byKey[change.Key]);
            if (byKey.Count > 0 && attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"The {Name} model kept changing under {byKey.Count} rows ({string.Join(", ", byKey.Keys.Take(5))}); the delivery is retried.");
            }
        }
    }

    private TRow ApplyReadable(TRow row, RecordedEvent recorded)
    {
        try
        {
            return Apply(row, recorded);
        }
        catch (Exception unreadable) when (unreadable is JsonException or FirstViscountException or ArgumentException or FormatException
                                               or InvalidCastException or NotSupportedException or NullReferenceException)
        {
            log.LogError(unreadable, "The {Model} model passes over event {EventId} ({Type}, version {Version} of {Stream}): it cannot be read ({Reason})",
                Name, recorded.EventId, recorded.Type, recorded.Version, recorded.StreamId, unreadable.Message);
            return row.AtVersion(recorded.Version);
        }
    }

    /// <summary>Empties the model and folds the whole log into it again, reporting each page's events; returns the rows in the model.</summary>
    public async Task<long> RebuildAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using (var truncate = dataSource.CreateCommand($"TRUNCATE {Table}"))
        {
            await truncate.ExecuteNonQueryAsync(cancellationToken);
        }
        await store.ReadToEndAsync(GlobalCheckpoint.Start, 10_000, async page =>
        {
            await ApplyAsync(page.Events, cancellationToken);
            progress?.Report(page.Events.Count);
        }, cancellationToken);
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {Table}");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>A row of a <see cref="StreamFoldedModel{TRow}"/>: the version of its stream it has folded so far.</summary>
public interface IStreamFoldedRow<out TRow>
{
    long Version { get; }

    /// <summary>The row unchanged but at <paramref name="version"/> (an event passed over).</summary>
    TRow AtVersion(long version);
}
