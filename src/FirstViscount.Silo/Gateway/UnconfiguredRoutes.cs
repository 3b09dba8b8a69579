namespace FirstViscount.SiloHost.Gateway;

/// <summary>Routes whose backing service this silo was started without: they say so (503) instead of failing.</summary>
internal static class UnconfiguredRoutes
{
    public static void MapNeedsPostgres(this IEndpointRouteBuilder app, params string[] patterns) =>
        app.MapUnavailable("This silo runs without PostgreSQL.",
            "The catalog, checkout and orders need PostgreSQL: set Postgres:ConnectionString (deploy/up.sh does).", patterns);

    public static void MapNeedsClickHouse(this IEndpointRouteBuilder app, params string[] patterns) =>
        app.MapUnavailable("This silo runs without ClickHouse.",
            "Analytics needs PostgreSQL and ClickHouse: set Postgres:ConnectionString and ClickHouse:Url (deploy/up.sh does).", patterns);

    private static void MapUnavailable(this IEndpointRouteBuilder app, string title, string detail, string[] patterns)
    {
        foreach (var pattern in patterns)
        {
            app.MapMethods(pattern, ["GET", "POST", "PUT", "DELETE"], () => TypedResults.Problem(statusCode: 503, title: title, detail: detail))
                .ExcludeFromDescription(); // not part of the API: what a silo without the dependency answers
        }
    }
}
