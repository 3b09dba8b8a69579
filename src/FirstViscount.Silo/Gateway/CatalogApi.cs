using System.Security.Cryptography;
using System.Text.Json;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Inventory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record ProductItemDto(string Sku, string Name, string Brand, string? Category, decimal Price, string Currency, bool Available);
public sealed record ProductPageDto(IReadOnlyList<ProductItemDto> Items, long Total, int Page, int PageSize);
public sealed record ProductDto(string Sku, string Name, string Description, string Brand, string? Category,
    IReadOnlyDictionary<string, string> Attributes, decimal Price, string Currency, bool Available);
public sealed record PutCategoryRequest(string? Name, string? Parent);
public sealed record CategoryDto(string Slug, string Name, string? Parent);
public sealed record PutProductRequest(string? Name, string? Description, string? Category, string? Brand, Dictionary<string, string>? Attributes, decimal? Price, string? Currency);

/// <summary>The catalog (API.md, Catalog): search, product detail with ETag, admin upsert, category tree.</summary>
internal static class CatalogApi
{
    private static readonly Dictionary<string, ProductSort> Sorts = new(StringComparer.Ordinal)
    {
        ["relevance"] = ProductSort.Relevance, ["price"] = ProductSort.Price, ["-price"] = ProductSort.PriceDescending, ["name"] = ProductSort.Name,
    };

    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/products", SearchAsync).AllowAnonymous().WithTags("Catalog").WithName("SearchProducts").WithSummary("Search products by text, category and price");
        app.MapGet("/v1/products/{sku}", GetAsync).AllowAnonymous().WithTags("Catalog").WithName("GetProduct").WithSummary("A product, with an ETag");
        app.MapPut("/v1/products/{sku}", PutAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Catalog").WithName("PutProduct").WithSummary("Create or update a product");
        app.MapPut("/v1/categories/{**slug}", PutCategoryAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Catalog").WithName("PutCategory").WithSummary("Create or update a category");
        app.MapGet("/v1/categories", async (PostgresCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok(await catalog.GetCategoryTreeAsync(cancellationToken))).AllowAnonymous()
            .WithTags("Catalog").WithName("GetCategories").WithSummary("The category tree");
    }

    private static async Task<Results<Ok<ProductPageDto>, ValidationProblem>> SearchAsync(
        HttpContext http, PostgresCatalog catalog,
        string? q, string? category, string? minPrice, string? maxPrice, string? sort, string? page, string? pageSize)
    {
        var validation = new Validation();
        var min = Validation.ParseDecimal(minPrice, "minPrice", validation);
        var max = Validation.ParseDecimal(maxPrice, "maxPrice", validation);
        var pageNumber = Validation.ParseInt(page, "page", 1, 1, 10_000, validation);
        var size = Validation.ParseInt(pageSize, "pageSize", 20, 1, 100, validation);
        validation.Require(sort is null || Sorts.ContainsKey(sort), "sort", "sort must be relevance, price, -price or name.")
            .Require(min is null || max is null || min <= max, "minPrice", "minPrice must not exceed maxPrice.")
            .Require(q is null || q.Length <= 200, "q", "The search text has at most 200 characters.")
            .Require(Validation.IsPlainText(q), "q", "The search text must not contain control characters.")
            .Require(category is null || category.Length <= 100 && Validation.IsPlainText(category), "category", "category is a category slug.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var result = await catalog.SearchAsync(new ProductQuery(q, category, min, max, sort is null ? ProductSort.Relevance : Sorts[sort], pageNumber, size), http.RequestAborted);
        return TypedResults.Ok(new ProductPageDto(
            [.. result.Items.Select(item => new ProductItemDto(item.Sku, item.Name, item.Brand, item.Category, item.Price, item.Currency, item.Available))],
            result.Total, result.Page, result.PageSize));
    }

    private static async Task<Results<Ok<ProductDto>, NotFound, StatusCodeHttpResult>> GetAsync(string sku, HttpContext http, PostgresCatalog catalog, IGrainFactory grains)
    {
        if (!Validation.IsPlainText(sku) || sku.Length > 64 || await catalog.GetProductAsync(sku, http.RequestAborted) is not { } product)
        {
            return TypedResults.NotFound();
        }
        var dto = new ProductDto(product.Sku, product.Name, product.Description, product.Brand, product.Category, product.Attributes, product.Price,
            product.Currency, await IsAvailableAsync(grains, sku));
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(dto)))[..32]}\"";
        if (http.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        http.Response.Headers.ETag = etag;
        return TypedResults.Ok(dto);
    }

    private static async Task<Results<Created<ProductDto>, Ok<ProductDto>, ValidationProblem>> PutAsync(string sku, PutProductRequest body, PostgresCatalog catalog)
    {
        var validation = new Validation()
            .Require(sku.Length is > 0 and <= 64 && sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), "sku", "A sku has 1 to 64 letters, digits, '-', '_' or '.'.")
            .Require(body.Name is { Length: > 0 and <= 200 }, "name", "A name of 1 to 200 characters is required.")
            .Require(body.Price is >= 0 and < 100_000_000 && decimal.Round(body.Price.Value, 2) == body.Price, "price", "A price from 0 with at most two decimals is required.")
            .Require(body.Currency is { Length: 3 } && body.Currency.All(char.IsAsciiLetterUpper), "currency", "An ISO 4217 currency code such as EUR is required.")
            .Require((body.Description ?? "").Length <= 10_000, "description", "The description has at most 10,000 characters.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var product = new Product(sku, body.Name!, body.Description ?? "", body.Brand ?? "", body.Category, body.Attributes ?? [], body.Price!.Value, body.Currency!);
        try
        {
            var created = await catalog.UpsertProductAsync(product);
            var dto = new ProductDto(sku, product.Name, product.Description, product.Brand, product.Category, product.Attributes, product.Price, product.Currency, false);
            return created ? TypedResults.Created($"/v1/products/{sku}", dto) : TypedResults.Ok(dto);
        }
        catch (Npgsql.PostgresException error) when (error.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["category"] = [$"There is no category '{body.Category}'."] });
        }
    }

    /// <summary>A slug is lower-case words of letters and digits joined by '-', its levels separated by '/': <c>books/fiction</c>.</summary>
    private static bool IsCategorySlug(string? slug) =>
        slug is { Length: > 0 and <= 100 } && slug.Split('/').All(level => level.Length > 0 && level.Split('-').All(word => word.Length > 0 && word.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))));

    private static async Task<Results<Created<CategoryDto>, Ok<CategoryDto>, ValidationProblem>> PutCategoryAsync(string slug, PutCategoryRequest body, PostgresCatalog catalog, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Require(IsCategorySlug(slug), "slug", "A category slug is lower-case letters and digits, words joined by '-', levels by '/' (e.g. books/fiction), at most 100 characters.")
            .Require(body.Name is { Length: > 0 and <= 100 } && Validation.IsPlainText(body.Name), "name", "A name of 1 to 100 characters is required.")
            .Require(body.Parent is null || IsCategorySlug(body.Parent), "parent", "parent is a category slug or null.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var category = new Category(slug, body.Name!, body.Parent);
        var dto = new CategoryDto(slug, category.Name, category.Parent);
        return await catalog.PutCategoryAsync(category, cancellationToken) switch
        {
            CategoryWrite.Created => TypedResults.Created($"/v1/categories/{slug}", dto),
            CategoryWrite.Updated => TypedResults.Ok(dto),
            CategoryWrite.UnknownParent => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["parent"] = [$"There is no category '{body.Parent}'."] }),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["parent"] = [$"'{body.Parent}' is '{slug}' or lies below it: the tree would have a cycle."] }),
        };
    }

    private static async Task<bool> IsAvailableAsync(IGrainFactory grains, string sku) =>
        (await grains.GetGrain<IInventorySkuGrain>(sku).GetLevels()).Available > 0;
}
