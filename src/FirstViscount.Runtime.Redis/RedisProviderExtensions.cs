using FirstViscount.Hosting;
using FirstViscount.Membership;
using FirstViscount.Redis.Membership;
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
}
