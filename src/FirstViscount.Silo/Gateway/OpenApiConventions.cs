using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// What every operation of the OpenAPI document shares, added in one place: the bearer security scheme (so the UI
/// at /swagger can send a token) and each operation's requirement, the answers every route can give (401 and 403
/// behind authorization, 429 from the rate limiter), the tags with their descriptions, the license, and a server
/// address without a trailing slash.
/// </summary>
internal static class OpenApiConventions
{
    public const string BearerScheme = "Bearer";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Accounts", "Customers register and get bearer tokens."),
        ("Catalog", "Products, search and the category tree."),
        ("Inventory", "Stock levels, adjustments, movements and low-stock alerts (admin)."),
        ("Cart", "The customer's cart, kept seven days after its last change."),
        ("Orders", "Checkout, orders and their audit trail."),
        ("Analytics", "Sales, top products, the funnel and freshness, from ClickHouse (admin)."),
        ("Operations", "The cluster's silos and the consistency audit (admin)."),
    ];

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Description = "The FirstViscount shop's HTTP API: every silo serves it (docs/API.md).";
            document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A token from POST /v1/auth/token.",
            };
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            operation.Responses ??= new OpenApiResponses();
            if (anonymous)
            {
                operation.Security = [];
            }
            else
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                operation.Responses.TryAdd("401", Problem("No valid bearer token."));
                if (metadata.OfType<IAuthorizeData>().Any(data => data.Policy == Principals.AdminPolicy))
                {
                    operation.Responses.TryAdd("403", Problem("The caller is not an administrator."));
                }
            }
            operation.Responses.TryAdd("429", Problem("Too many requests from this client; retry after Retry-After seconds."));
            return Task.CompletedTask;
        });
    }

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
    };
}
