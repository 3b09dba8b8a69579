namespace FirstViscount.Commerce.Catalog;

public sealed record Product(string Sku, string Name, string Description, string Brand, string? Category,
    IReadOnlyDictionary<string, string> Attributes, decimal Price, string Currency);

/// <summary>A search hit; <see cref="Available"/> is from the inventory-levels read model (stock on hand beyond what is reserved).</summary>
public sealed record ProductListItem(string Sku, string Name, string Brand, string? Category, decimal Price, string Currency, bool Available);

public enum ProductSort { Relevance, Price, PriceDescending, Name }

public sealed record ProductQuery(string? Text = null, string? Category = null, decimal? MinPrice = null, decimal? MaxPrice = null,
    ProductSort Sort = ProductSort.Relevance, int Page = 1, int PageSize = 20);

public sealed record ProductPage(IReadOnlyList<ProductListItem> Items, long Total, int Page, int PageSize);

public sealed record Category(string Slug, string Name, string? Parent);

/// <summary>What a category write did, or why it was refused.</summary>
public enum CategoryWrite { Created, Updated, UnknownParent, Cycle }

public sealed record CategoryNode(string Slug, string Name, IReadOnlyList<CategoryNode> Children);
