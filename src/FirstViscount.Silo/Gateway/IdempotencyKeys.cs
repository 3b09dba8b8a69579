using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// Checkout idempotency in PostgreSQL. The order id is derived from (customer, key), so even concurrent duplicates
/// reach the same saga; the stored request hash tells a retry (same body) from a reuse of the key (another body).
/// </summary>
internal sealed class IdempotencyKeys(NpgsqlDataSource dataSource)
{
    public static string OrderIdFor(string customerId, string key) =>
        "o-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(customerId + "\n" + key)))[..24];

    public static string Hash(string canonicalRequest) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    /// <summary>Records the key for this request if new; returns the request hash the key is bound to.</summary>
    public async Task<string> ClaimAsync(string customerId, string key, string requestHash, string orderId, CancellationToken cancellationToken)
    {
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, key) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = customerId });
            insert.Parameters.Add(new NpgsqlParameter { Value = key });
            insert.Parameters.Add(new NpgsqlParameter { Value = requestHash });
            insert.Parameters.Add(new NpgsqlParameter { Value = orderId });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return requestHash;
            }
        }
        // A separate statement, so that its snapshot sees the concurrent duplicate that won the insert.
        await using var select = dataSource.CreateCommand("SELECT request_hash FROM idempotency_keys WHERE customer_id = $1 AND key = $2");
        select.Parameters.Add(new NpgsqlParameter { Value = customerId });
        select.Parameters.Add(new NpgsqlParameter { Value = key });
        return (string)(await select.ExecuteScalarAsync(cancellationToken))!;
    }
}
