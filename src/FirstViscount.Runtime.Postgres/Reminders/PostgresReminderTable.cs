using FirstViscount.Reminders;
using Npgsql;

namespace FirstViscount.Postgres.Reminders;

/// <summary>Reminders in PostgreSQL (sql/postgres/0003_reminders.sql).</summary>
public sealed class PostgresReminderTable(NpgsqlDataSource dataSource, string serviceId) : IReminderTable
{
    public async Task RegisterOrUpdateAsync(GrainId grain, string name, DateTimeOffset dueAt, TimeSpan? period, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO reminders (service_id, grain_type, grain_key, name, due_at, period_ms) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (service_id, grain_type, grain_key, name) DO UPDATE SET due_at = excluded.due_at, period_ms = excluded.period_ms
            """);
        AddKey(command, grain, name);
        command.Parameters.Add(new NpgsqlParameter { Value = dueAt });
        command.Parameters.Add(new NpgsqlParameter { Value = period is { } p ? (long)p.TotalMilliseconds : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM reminders WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND name = $4");
        AddKey(command, grain, name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT grain_type, grain_key, name, due_at, period_ms FROM reminders WHERE service_id = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        var due = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new ReminderEntry(new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(4))));
        }
        return due;
    }

    public async Task CompleteAsync(ReminderEntry delivered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Conditional on due_at: a reminder re-registered during delivery is left as it now is.
        await using var command = dataSource.CreateCommand(delivered.Period is null
            ? "DELETE FROM reminders WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND name = $4 AND due_at = $5"
            : "UPDATE reminders SET due_at = $6 WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND name = $4 AND due_at = $5");
        AddKey(command, delivered.Grain, delivered.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = delivered.DueAt });
        if (delivered.Period is { } period)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = InMemoryReminderTable.NextDue(delivered.DueAt, period, now) });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void AddKey(NpgsqlCommand command, GrainId grain, string name)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
    }
}
