namespace FirstViscount.Commerce.Catalog;

/// <summary>What the cart needs of a product: its name and its current price.</summary>
public sealed record ProductSummary(string Sku, string Name, decimal Price, string Currency);

/// <summary>
/// Reads products for the domain (eventually consistent: a change is visible within a second). The PostgreSQL
/// catalog with its Redis cache implements it for silos; <see cref="InMemoryProductCatalog"/> for tests and the embedded default.
/// </summary>
public interface IProductCatalog
{
    Task<ProductSummary?> FindAsync(string sku, CancellationToken cancellationToken);
}
