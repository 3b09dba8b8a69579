using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Postgres;

/// <summary>One conditional write (insert, update or tombstone) as a command; the result row holds the new version.</summary>
internal static class StateWrite
{
    public static NpgsqlBatchCommand Command(GrainStateKey key, string? payload, long? expectedVersion)
    {
        var command = new NpgsqlBatchCommand(expectedVersion is null
            ? "INSERT INTO grain_state (service_id, grain_type, grain_key, state_name, version, payload) VALUES ($1, $2, $3, $4, 1, $5::jsonb) ON CONFLICT DO NOTHING RETURNING version"
            : "UPDATE grain_state SET version = version + 1, payload = $5::jsonb, modified_at = now() WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND state_name = $4 AND version = $6 RETURNING version");
        command.Parameters.Add(new NpgsqlParameter { Value = key.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = key.GrainType });
        command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
        command.Parameters.Add(new NpgsqlParameter { Value = key.StateName });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)payload ?? DBNull.Value });
        if (expectedVersion is { } expected)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = expected });
        }
        return command;
    }

    /// <summary>Runs <paramref name="commands"/> in one round trip and one implicit transaction; a null version means "no row: conflict".</summary>
    public static async Task<long?[]> ExecuteAsync(NpgsqlDataSource dataSource, IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
        var versions = new long?[commands.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < commands.Count; i++)
        {
            versions[i] = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
            await reader.NextResultAsync(cancellationToken);
        }
        return versions;
    }
}
