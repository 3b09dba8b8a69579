using System.Security.Cryptography;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FirstViscount.SiloHost.Gateway.Tokens;

/// <summary>Bearer-token settings (configuration section <c>Auth</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>How long a token is valid (1 h).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A signing key older than this is replaced by a new one when the next token is issued (7 days).</summary>
    public TimeSpan KeyRotationPeriod { get; set; } = TimeSpan.FromDays(7);

    public const string Issuer = "firstviscount";
    public const string Audience = "firstviscount-api";
}

/// <summary>
/// The signing keys as the silo uses them: the newest signs, and every key that can have signed a token still unexpired
/// verifies (a rotated key keeps its tokens valid until they expire). Read from the store and kept for a minute;
/// the JWT handler asks for a fresh read when a token names a key it does not know (another silo just rotated).
/// </summary>
public sealed class SigningKeyRing(ISigningKeyStore store, TokenOptions options, TimeProvider time) : IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    /// <summary>A new key signs only once every silo's cache has had time to read it, so no silo meets a kid it does not know.</summary>
    public static readonly TimeSpan PublishedAfter = CacheFor + TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim reading = new(1, 1);
    private volatile KeysRead? cached; // a reference, so requests read it whole while another thread replaces it

    /// <summary>
    /// The key to sign with now: the newest key every silo has had time to read (older than the one-minute cache), or
    /// the only key there is. A key due for rotation gets a successor, which signs once it has been published that long.
    /// </summary>
    public async Task<SigningCredentials> SigningAsync(CancellationToken cancellationToken = default)
    {
        var keys = (await ReadAsync(force: false, cancellationToken)).Keys;
        var now = time.GetUtcNow();
        if (keys is [] || now - keys[0].Stored.CreatedAt >= options.KeyRotationPeriod)
        {
            keys = (await RotateAndReadAsync(cancellationToken)).Keys;
        }
        var published = keys.FirstOrDefault(key => now - key.Stored.CreatedAt >= PublishedAfter).Key ?? keys[^1].Key;
        return new SigningCredentials(published, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>Makes a new signing key (unless another silo made one this instant); tokens signed earlier stay valid.</summary>
    public async Task RotateAsync(CancellationToken cancellationToken = default) => await RotateAndReadAsync(cancellationToken);

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => (await ReadAsync(force: false, cancel)).Configuration;

    public void RequestRefresh() => cached = null;

    private async Task<KeysRead> RotateAndReadAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = time.GetUtcNow();
        var kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await store.AddAsync(new StoredSigningKey(kid, key.ExportPkcs8PrivateKey(), now), onlyIfNoneSince: now - TimeSpan.FromSeconds(1), cancellationToken);
        return await ReadAsync(force: true, cancellationToken);
    }

    /// <summary>The keys, each parsed once per read, and the configuration the JWT handler verifies with.</summary>
    private async Task<KeysRead> ReadAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && IsFresh(cached) is { } fresh)
        {
            return fresh;
        }
        await reading.WaitAsync(cancellationToken);
        try
        {
            if (!force && IsFresh(cached) is { } readMeanwhile)
            {
                return readMeanwhile; // another request read them while this one waited
            }
            var now = time.GetUtcNow();
            // A key signs for at most a rotation period (plus a margin for a rotation that is late), and its tokens live a token lifetime more.
            var stored = await store.SinceAsync(now - options.KeyRotationPeriod - options.TokenLifetime - TimeSpan.FromDays(1), cancellationToken);
            var keys = stored.Select(key => (key, SecurityKey(key))).ToList();
            var configuration = new OpenIdConnectConfiguration { Issuer = TokenOptions.Issuer };
            foreach (var (_, key) in keys)
            {
                configuration.SigningKeys.Add(key);
            }
            return cached = new KeysRead(keys, configuration, now);
        }
        finally
        {
            reading.Release();
        }
    }

    private KeysRead? IsFresh(KeysRead? read) => read is not null && time.GetUtcNow() - read.ReadAt < CacheFor ? read : null;

    private static ECDsaSecurityKey SecurityKey(StoredSigningKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.PrivateKey, out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
    }

    private sealed record KeysRead(IReadOnlyList<(StoredSigningKey Stored, ECDsaSecurityKey Key)> Keys, OpenIdConnectConfiguration Configuration, DateTimeOffset ReadAt);
}
