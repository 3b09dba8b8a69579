namespace FirstViscount.SiloHost.Gateway;

/// <summary>The embedded default has no PostgreSQL: the catalog and order routes say so instead of failing.</summary>
internal static class NeedsPostgres
{
    public static void MapNeedsPostgres(this IEndpointRouteBuilder app, params string[] patterns)
    {
        foreach (var pattern in patterns)
        {
            app.MapMethods(pattern, ["GET", "POST", "PUT", "DELETE"], () => TypedResults.Problem(statusCode: 503,
                title: "This silo runs without PostgreSQL.",
                detail: "The catalog, checkout and orders need PostgreSQL: set Postgres:ConnectionString (deploy/up.sh does)."));
        }
    }
}
