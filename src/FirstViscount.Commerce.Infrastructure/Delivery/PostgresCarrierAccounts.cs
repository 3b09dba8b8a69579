using Npgsql;

namespace FirstViscount.Commerce.Delivery;

/// <summary>Carrier accounts in PostgreSQL (sql/postgres/0017_carrier_accounts.sql), their secrets encrypted by <see cref="CarrierSecretProtector"/>.</summary>
public sealed class PostgresCarrierAccounts(NpgsqlDataSource dataSource, CarrierSecretProtector protector) : ICarrierAccounts
{
    public async Task<CarrierAccount?> GetAsync(string carrier, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT webhook_secret, credentials, updated_at FROM carrier_accounts WHERE carrier = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = carrier });
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
            throw new CarrierAccountUnreadableException($"The account of carrier {carrier} was encrypted under another Delivery:CarrierKey: " +
                $"restore that key, or set the carrier's secret again (PUT /v1/admin/carriers/{carrier}).", error);
        }
    }

    public async Task<CarrierAccount> SetAsync(string carrier, string webhookSecret, string? credentials, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO carrier_accounts (carrier, webhook_secret, credentials) VALUES ($1, $2, $3)
            ON CONFLICT (carrier) DO UPDATE SET webhook_secret = excluded.webhook_secret, credentials = excluded.credentials, updated_at = now()
            RETURNING updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = carrier });
        command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(webhookSecret) });
        command.Parameters.Add(new NpgsqlParameter { Value = credentials is null ? DBNull.Value : protector.Protect(credentials), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var updatedAt = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new CarrierAccount(carrier, webhookSecret, credentials, new DateTimeOffset(updatedAt, TimeSpan.Zero));
    }

    public async Task<CarrierAccount> EnsureAsync(string carrier, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand("INSERT INTO carrier_accounts (carrier, webhook_secret) VALUES ($1, $2) ON CONFLICT (carrier) DO NOTHING"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = carrier });
            command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(CarrierAccount.NewWebhookSecret()) });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await GetAsync(carrier, cancellationToken))!;
    }
}
