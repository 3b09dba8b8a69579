using Npgsql;

namespace FirstViscount.Commerce.Accounts;

/// <summary>Accounts in PostgreSQL (sql/postgres/0005_accounts.sql); e-mail unique regardless of case.</summary>
public sealed class PostgresAccountStore(NpgsqlDataSource dataSource) : IAccountStore
{
    public async Task CreateAsync(Account account, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO accounts (customer_id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (customer_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = account.CustomerId });
        command.Parameters.Add(new NpgsqlParameter { Value = account.Email });
        command.Parameters.Add(new NpgsqlParameter { Value = account.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = account.PasswordHash });
        command.Parameters.Add(new NpgsqlParameter { Value = account.Role });
        try
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0
                && await GetAsync(account.CustomerId, cancellationToken) is { } existing
                && !string.Equals(existing.Email, account.Email, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Customer {account.CustomerId} already exists with another e-mail.");
            }
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation && error.ConstraintName == "accounts_email")
        {
            throw new EmailTakenException($"The e-mail address {account.Email} is already registered.");
        }
    }

    public async Task DeleteAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM accounts WHERE customer_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = customerId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<Account?> GetAsync(string customerId, CancellationToken cancellationToken) => FindAsync("customer_id = $1", customerId, cancellationToken);

    public Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken) => FindAsync("lower(email) = lower($1)", email, cancellationToken);

    private async Task<Account?> FindAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT customer_id, email, name, password_hash, role FROM accounts WHERE {condition}");
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Account(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
            : null;
    }
}
