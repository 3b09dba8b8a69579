using System.Security.Claims;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Who is calling: customer id and role from the bearer token's claims.</summary>
internal static class Principals
{
    public const string CustomerPolicy = "customer";
    public const string AdminPolicy = "admin";

    public static string CustomerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated caller has no customer id.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");

    public static ClaimsPrincipal For(string customerId, string email, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, customerId), new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Role, role)],
            "Bearer"));
}
