using Npgsql;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// Carrier accounts in PostgreSQL (sql/postgres/0017, 0021), their secrets encrypted by <see cref="CarrierSecretProtector"/>;
/// each silo sees only the accounts of its own key.
/// </summary>
public sealed class PostgresCarrierAccounts(NpgsqlDataSource dataSource, CarrierSecretProtector protector) : ICarrierAccounts
{
    public async Task<CarrierAccount?> GetAsync(string carrier, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT webhook_secret, credentials, updated_at FROM carrier_accounts WHERE carrier = $1 AND key_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = carrier });
        command.Parameters.Add(new NpgsqlParameter { Value = protector.KeyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        try
        {
            return new CarrierAccount(carrier, protector.Unprotect(reader.GetString(0)), reader.IsDBNull(1) ? null : protector.Unprotect(reader.GetString(1)),
                reader.GetFieldValue<DateTimeOffset>(2));
        }
        catch (System.Security.Cryptography.CryptographicException error)
        {
            throw new CarrierAccountUnreadableException($"The account of carrier {carrier} does not decrypt under Delivery:CarrierKey (was the row altered?): " +
                $"set the carrier's secret again (PUT /v1/admin/carriers/{carrier}).", error);
        }
    }

    public async Task<CarrierAccount> SetAsync(string carrier, string webhookSecret, string? credentials, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO carrier_accounts (carrier, key_id, webhook_secret, credentials) VALUES ($1, $4, $2, $3)
            ON CONFLICT (carrier, key_id) DO UPDATE SET webhook_secret = excluded.webhook_secret, credentials = excluded.credentials, updated_at = now()
            RETURNING updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = carrier });
        command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(webhookSecret) });
        command.Parameters.Add(new NpgsqlParameter { Value = credentials is null ? DBNull.Value : protector.Protect(credentials), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = protector.KeyId });
        var updatedAt = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new CarrierAccount(carrier, webhookSecret, credentials, new DateTimeOffset(updatedAt, TimeSpan.Zero));
    }

    public async Task<CarrierAccount> EnsureAsync(string carrier, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand("INSERT INTO carrier_accounts (carrier, key_id, webhook_secret) VALUES ($1, $3, $2) ON CONFLICT (carrier, key_id) DO NOTHING"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = carrier });
            command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(CarrierAccount.NewWebhookSecret()) });
            command.Parameters.Add(new NpgsqlParameter { Value = protector.KeyId });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await GetAsync(carrier, cancellationToken))!;
    }
}
