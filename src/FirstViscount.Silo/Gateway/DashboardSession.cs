using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>
/// Lets an administrator open the Orleans dashboard from the operations page: a browser cannot add a bearer header to a
/// navigation, so the page trades the admin's token for an HttpOnly cookie that holds the same token and is sent only to
/// <c>/dashboard</c>. The token in it is checked as a bearer token would be (signature, expiry, the admin policy), and only
/// for reads: SameSite=Strict keeps other sites from sending it, and GET-only keeps it from authorizing a change.
/// </summary>
internal static class DashboardSession
{
    public const string CookieName = "fv_dashboard";
    private const string DashboardPath = "/dashboard";
    private const string SessionPath = "/ops/dashboard-session";

    public static void MapDashboardSession(this IEndpointRouteBuilder app)
    {
        app.MapPost(SessionPath, Open).RequireAuthorization(Principals.AdminPolicy).ExcludeFromDescription();
        app.MapDelete(SessionPath, (HttpContext context) =>
        {
            context.Response.Cookies.Delete(CookieName, CookieOptions(context, expires: null));
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>Reads the token from the cookie for the dashboard's reads when no Authorization header came.</summary>
    public static Task ReadCookie(MessageReceivedContext context)
    {
        var request = context.Request;
        if (context.Token is null && !request.Headers.Authorization.Any() && HttpMethods.IsGet(request.Method)
            && request.Path.StartsWithSegments(DashboardPath) && request.Cookies.TryGetValue(CookieName, out var token))
        {
            context.Token = token;
        }
        return Task.CompletedTask;
    }

    /// <summary>The admin's bearer token (the route's authorization has checked it) as the cookie, until the token expires.</summary>
    private static IResult Open(HttpContext context)
    {
        var token = AuthenticationHeaderValue.Parse(context.Request.Headers.Authorization.ToString()).Parameter!;
        var expires = long.TryParse(context.User.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.UtcNow.AddMinutes(15);
        context.Response.Cookies.Append(CookieName, token, CookieOptions(context, expires));
        return Results.NoContent();
    }

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        Path = DashboardPath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Expires = expires,
        IsEssential = true,
    };
}
