using FirstViscount.Analytics.Sink;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Analytics.Queries;

public static class SinkFreshness
{
    /// <summary>
    /// The sink's lag behind the event log, from PostgreSQL: the events after each queue's checkpoint, how many, and the
    /// age of the oldest; every event at or below <see cref="Freshness.LastSinkPosition"/> is in ClickHouse.
    /// </summary>
    public static async Task<Freshness> ReadAsync(NpgsqlDataSource postgres, CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("""
            WITH queues AS (
                SELECT q.n, c.transaction_id, c.position
                FROM generate_series(0, $2 - 1) AS q(n) LEFT JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = q.n
            ), pending AS (
                SELECT e.position, e.recorded_at FROM queues, LATERAL (
                    SELECT position, recorded_at FROM events
                    WHERE log_partition = queues.n
                      AND (log_partition, transaction_id, position) > (queues.n, coalesce(queues.transaction_id, '0'::xid8), coalesce(queues.position, 0))
                ) AS e
            )
            SELECT (SELECT coalesce(max(position), 0) FROM events), count(*), min(position), min(recorded_at), now() FROM pending
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = AnalyticsStreams.ProviderName });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresEventStore.LogPartitions });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var last = reader.GetInt64(0);
        var lagSeconds = reader.IsDBNull(3) ? 0 : Math.Max(0, (reader.GetFieldValue<DateTime>(4) - reader.GetFieldValue<DateTime>(3)).TotalSeconds);
        return new Freshness(last, reader.IsDBNull(2) ? last : reader.GetInt64(2) - 1, reader.GetInt64(1), Math.Round(lagSeconds, 3));
    }

    /// <summary>
    /// Whether every queue's checkpoint is at the end of its partition (everything committed is in ClickHouse): one
    /// index probe per queue, cheap enough to poll, unlike counting the lag.
    /// </summary>
    public static async Task<bool> CaughtUpAsync(NpgsqlDataSource postgres, CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("""
            SELECT NOT EXISTS (
                SELECT 1 FROM generate_series(0, $2 - 1) AS q(n) LEFT JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = q.n
                WHERE EXISTS (
                    SELECT 1 FROM events
                    WHERE log_partition = q.n
                      AND (log_partition, transaction_id, position) > (q.n, coalesce(c.transaction_id, '0'::xid8), coalesce(c.position, 0))))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = AnalyticsStreams.ProviderName });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresEventStore.LogPartitions });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
