using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FirstViscount.Analytics.ClickHouse;

/// <summary>The HTTP connection a <see cref="ClickHouseClient"/> talks over: plain HTTP, or HTTPS verified against a given certificate authority.</summary>
public static class ClickHouseHttp
{
    /// <summary>
    /// An HttpClient for <paramref name="url"/>. Over https the server's certificate must name the host and chain to
    /// <paramref name="trustedCertificateAuthority"/> (a PEM file) when given, else to the machine's trusted roots.
    /// </summary>
    public static HttpClient Create(Uri url, TimeSpan timeout, string? trustedCertificateAuthority = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20) };
        if (trustedCertificateAuthority is { Length: > 0 })
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(trustedCertificateAuthority);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(authority, certificate, errors);
        }
        return new HttpClient(handler) { BaseAddress = url, Timeout = timeout };
    }

    private static bool ChainsTo(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        // A name mismatch or a missing certificate fails whatever the chain; only the chain is judged against our root.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }
}
