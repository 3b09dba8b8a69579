using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FirstViscount.SiloHost.Gateway.Tokens;

/// <summary>The answer of POST /v1/auth/token.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>Issues bearer tokens: JWTs with <c>sub</c>, <c>email</c>, <c>role</c>, <c>iat</c> and <c>exp</c>, signed ES256 with the ring's current key (its <c>kid</c> in the header).</summary>
public sealed class TokenIssuer(SigningKeyRing keys, TokenOptions options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<TokenResponse> IssueAsync(string customerId, string email, string role, CancellationToken cancellationToken = default)
    {
        var credentials = await keys.SigningAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenOptions.Issuer,
            Audience = TokenOptions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.TokenLifetime,
            Claims = new Dictionary<string, object> { [Claims.Subject] = customerId, [Claims.Email] = email, [Claims.Role] = role },
            SigningCredentials = credentials,
        });
        return new TokenResponse(token, "Bearer", (int)options.TokenLifetime.TotalSeconds);
    }

    /// <summary>The claim names API.md gives (JWT registered names; <c>role</c> is <c>customer</c> or <c>admin</c>).</summary>
    public static class Claims
    {
        public const string Subject = "sub";
        public const string Email = "email";
        public const string Role = "role";
    }
}
