using System.Security.Claims;
using FirstViscount.SiloHost.Gateway.Tokens;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Who is calling: customer id and role from the bearer token's claims (<c>sub</c>, <c>role</c>).</summary>
internal static class Principals
{
    public const string CustomerPolicy = "customer";
    public const string AdminPolicy = "admin";

    public static string CustomerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TokenIssuer.Claims.Subject) ?? throw new InvalidOperationException("An authenticated caller has no customer id.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");
}
