using Npgsql;

namespace FirstViscount.Commerce.Catalog;

/// <summary>The supplier of each SKU, by e-mail (sql/postgres/0020_product_suppliers.sql).</summary>
public sealed class SupplierDirectory(NpgsqlDataSource dataSource)
{
    public async Task<string?> EmailOfAsync(string sku, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT email FROM product_suppliers WHERE sku = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task SetAsync(string sku, string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO product_suppliers (sku, email) VALUES ($1, $2)
            ON CONFLICT (sku) DO UPDATE SET email = excluded.email, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
