using FirstViscount.EventSourcing;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Postgres.Streams;

/// <summary>Each queue's checkpoint (stream_checkpoints): where the provider's consumers have been delivered up to.</summary>
public sealed class EventLogCheckpoints(NpgsqlDataSource dataSource, string provider)
{
    public async Task<GlobalCheckpoint> LoadAsync(int partition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT transaction_id, position FROM stream_checkpoints WHERE provider = $1 AND queue = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = provider });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)partition });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GlobalCheckpoint(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCheckpoint.Start;
    }

    /// <summary>Moves the checkpoint forward (never back: a slower writer of an older batch cannot undo a newer one).</summary>
    public async Task SaveAsync(int partition, GlobalCheckpoint delivered, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO stream_checkpoints (provider, queue, transaction_id, position) VALUES ($1, $2, $3, $4)
            ON CONFLICT (provider, queue) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()
            WHERE (stream_checkpoints.transaction_id, stream_checkpoints.position) < (excluded.transaction_id, excluded.position)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = provider });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)partition });
        command.Parameters.Add(new NpgsqlParameter { Value = delivered.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter { Value = delivered.Position });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
