using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Clustering.Redis;
using StackExchange.Redis;

namespace FirstViscount.Commerce.Hosting;

/// <summary>
/// The silo's one Redis connection, owned by the container and shared by membership, cart storage, preferences and
/// the catalog cache. It keeps reconnecting in the background, so a silo rides out a Redis restart.
/// </summary>
public static class SharedRedis
{
    /// <summary>
    /// Connects to <paramref name="configuration"/>; with <c>ssl=true</c> in it, the server's certificate must chain to
    /// <paramref name="trustedCertificateAuthority"/> (a PEM file) when given, else to the machine's trusted roots.
    /// </summary>
    public static IConnectionMultiplexer Connect(string configuration, string? trustedCertificateAuthority = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        if (trustedCertificateAuthority is { Length: > 0 })
        {
            options.TrustIssuer(trustedCertificateAuthority);
        }
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>Registers the shared connection to <paramref name="configuration"/> (once, whoever asks first).</summary>
    public static IServiceCollection AddSharedRedis(this IServiceCollection services, string configuration, string? trustedCertificateAuthority = null)
    {
        services.TryAddSingleton<IConnectionMultiplexer>(_ => Connect(configuration, trustedCertificateAuthority));
        return services;
    }

    /// <summary>Orleans membership in Redis, on the shared connection.</summary>
    public static ISiloBuilder UseSharedRedisClustering(this ISiloBuilder silo, string configuration, string? trustedCertificateAuthority = null)
    {
        silo.Services.AddSharedRedis(configuration, trustedCertificateAuthority);
        silo.UseRedisClustering(_ => { });
        silo.Services.AddOptions<RedisClusteringOptions>().Configure<IConnectionMultiplexer>((membership, connection) =>
        {
            membership.ConfigurationOptions = ConfigurationOptions.Parse(configuration); // validated by the provider
            membership.CreateMultiplexer = _ => Task.FromResult((connection, IsShared: true));
        });
        return silo;
    }
}
