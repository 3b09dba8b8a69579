using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Catalog;

/// <summary>Products in process memory (tests and the embedded default).</summary>
public sealed class InMemoryProductCatalog : IProductCatalog
{
    private readonly ConcurrentDictionary<string, ProductSummary> products = new();

    public void Upsert(ProductSummary product) => products[product.Sku] = product;

    public Task<ProductSummary?> FindAsync(string sku, CancellationToken cancellationToken) => Task.FromResult(products.GetValueOrDefault(sku));
}
