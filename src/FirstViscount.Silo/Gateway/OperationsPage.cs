using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// The operations page at <c>/ops/</c>: static files built into the silo (OperationsPage/), served to anyone, because
/// the page holds no data. It signs an administrator in and reads the admin routes with the token, so what it shows is
/// protected by those routes' authorization. Nothing is loaded from another origin, and the policy says so.
/// </summary>
internal static class OperationsPage
{
    private const string ResourcePrefix = "ops/";
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, Asset> Assets = LoadAssets();

    public static void MapOperationsPage(this IEndpointRouteBuilder app)
    {
        // Routing matches /ops and /ops/ alike; the page's relative links need the slash.
        app.MapGet("/ops/{file?}", (string? file, HttpContext context) =>
            file is null && !context.Request.Path.Value!.EndsWith('/') ? Results.Redirect("/ops/") : Serve(file ?? "index.html", context))
            .ExcludeFromDescription();
    }

    private static IResult Serve(string file, HttpContext context)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The operations page has no such file.");
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache"; // revalidated with the ETag, so a new silo version is picked up at once
        headers.ETag = asset.ETag;
        return context.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(OperationsPage).Assembly;
        return assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)).ToFrozenDictionary(
            name => name[ResourcePrefix.Length..],
            name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                return new Asset(content, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
            });
    }

    /// <summary>The static-file middleware's table of types; the page's text files are UTF-8.</summary>
    private static string ContentTypeOf(string name) => ContentTypes.TryGetContentType(name, out var type)
        ? type.StartsWith("text/", StringComparison.Ordinal) ? $"{type}; charset=utf-8" : type
        : throw new InvalidOperationException($"The operations page has a file of a type it does not know: {name}.");
}
