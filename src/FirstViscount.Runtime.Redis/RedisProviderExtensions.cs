using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Redis.Client;
using FirstViscount.Redis.Membership;
using FirstViscount.Redis.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Redis;

/// <summary>Registration of the Redis providers.</summary>
public static class RedisProviderExtensions
{
    /// <summary>Keeps cluster membership as leases in Redis (silos and clients alike).</summary>
    public static TBuilder UseRedisMembership<TBuilder>(this TBuilder builder, Action<RedisMembershipOptions> configure) where TBuilder : RuntimeBuilder
    {
        var options = new RedisMembershipOptions();
        configure(options);
        options.Validate();
        builder.Services.AddSingleton<IClusterMembership>(services => new RedisMembership(
            services.GetRequiredService<SiloOptions>().ClusterId, options, services.GetRequiredService<ILogger<RedisMembership>>()));
        return builder;
    }

    /// <summary>Adds grain storage named <paramref name="name"/> in Redis, whose states expire after <paramref name="timeToLive"/> without change.</summary>
    public static SiloBuilder AddRedisGrainStorage(this SiloBuilder builder, string name, string configuration, TimeSpan timeToLive)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new FirstViscountException($"Grain storage '{name}': the time to live must be positive.");
        }
        var options = RedisConnectionOptions.Parse(configuration);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new RedisGrainStorage(name, new RedisClient(options), timeToLive));
        return builder;
    }
}
