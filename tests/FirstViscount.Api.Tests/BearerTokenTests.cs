using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FirstViscount.SiloHost.Gateway.Tokens;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace FirstViscount.Api.Tests;

/// <summary>
/// Bearer tokens are JWTs signed with keys every silo shares: one silo's token is good on every silo, a rotated key
/// keeps the tokens it signed valid until they expire, and an expired, tampered or foreign-signed token is refused.
/// </summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class BearerTokenTests(GatewayCluster cluster)
{
    private static JsonElement Part(string token, int index)
    {
        var segment = token.Split('.')[index].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(segment.PadRight(segment.Length + (4 - segment.Length % 4) % 4, '='))).RootElement;
    }

    private async Task<HttpStatusCode> MeAsync(int silo, string token)
    {
        using var client = cluster.Client(silo, token);
        return (await client.GetAsync("/v1/customers/me")).StatusCode;
    }

    private static string Sign(ECDsa key, string kid, string customerId, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenOptions.Issuer,
            Audience = TokenOptions.Audience,
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = customerId, ["role"] = "customer" },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
        });

    /// <summary>
    /// A key as another silo would have made it just long enough ago to be past its publication delay (so it is the
    /// newest key the silos sign with), stored where every silo reads.
    /// </summary>
    private async Task<(string Kid, ECDsa Key)> AddPublishedKeyAsync()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = $"test-{Guid.NewGuid():N}"[..21];
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        await using var insert = dataSource.CreateCommand("INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, now() - $3)");
        insert.Parameters.Add(new NpgsqlParameter { Value = kid });
        insert.Parameters.Add(new NpgsqlParameter { Value = key.ExportPkcs8PrivateKey() });
        insert.Parameters.Add(new NpgsqlParameter { Value = SigningKeyRing.PublishedAfter });
        await insert.ExecuteNonQueryAsync();
        foreach (var silo in new[] { 0, 1 })
        {
            cluster.Services(silo).GetRequiredService<SigningKeyRing>().RequestRefresh(); // as each silo's one-minute cache would have
        }
        return (kid, key);
    }

    [Fact]
    public async Task A_token_is_a_signed_jwt_with_the_claims_of_api_md_and_is_good_on_every_silo()
    {
        var (customerId, _, email) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0);
        var answer = await (await client.PostAsJsonAsync("/v1/auth/token", new { email, password = "s3cret-password" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = answer.GetProperty("accessToken").GetString()!;

        var (header, payload) = (Part(token, 0), Part(token, 1));
        Assert.Equal(("Bearer", 3600), (answer.GetProperty("tokenType").GetString(), answer.GetProperty("expiresIn").GetInt32()));
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal((customerId, "customer"), (payload.GetProperty("sub").GetString(), payload.GetProperty("role").GetString()));
        Assert.InRange(payload.GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3500, 3600);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (await MeAsync(0, token), await MeAsync(1, token)));
    }

    [Fact]
    public async Task After_a_key_rotation_tokens_signed_earlier_stay_valid_and_new_ones_use_the_new_key()
    {
        var (_, before, email) = await cluster.NewCustomerAsync();
        var (kid, _) = await AddPublishedKeyAsync(); // another silo rotated

        var after = await cluster.TokenAsync(email, "s3cret-password", silo: 1);

        Assert.NotEqual(Part(before, 0).GetProperty("kid").GetString(), kid);
        Assert.Equal(kid, Part(after, 0).GetProperty("kid").GetString());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK],
            [await MeAsync(0, before), await MeAsync(1, before), await MeAsync(0, after), await MeAsync(1, after)]);
    }

    [Fact]
    public async Task An_expired_a_tampered_and_a_foreign_signed_token_answer_401()
    {
        var (customerId, token, _) = await cluster.NewCustomerAsync();
        var (kid, key) = await AddPublishedKeyAsync();
        var valid = Sign(key, kid, customerId, DateTime.UtcNow.AddMinutes(10));
        var expired = Sign(key, kid, customerId, DateTime.UtcNow.AddMinutes(-5));
        var foreign = Sign(ECDsa.Create(ECCurve.NamedCurves.nistP256), kid, customerId, DateTime.UtcNow.AddMinutes(10));
        var parts = token.Split('.');
        var admin = Convert.ToBase64String(Encoding.UTF8.GetBytes(Part(token, 1).GetRawText().Replace("\"customer\"", "\"admin\""))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var tampered = $"{parts[0]}.{admin}.{parts[2]}";

        Assert.Equal(HttpStatusCode.OK, await MeAsync(0, valid)); // the same key signs what the silos accept
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(0, expired));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(0, foreign));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(0, tampered));
        using var client = cluster.Client(0);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/customers/me")).StatusCode);
    }
}
