using FirstViscount.Activations;
using FirstViscount.Membership;
using FirstViscount.State;
using FirstViscount.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Hosting;

/// <summary>Registration of the in-memory providers and of a clock.</summary>
public static class InMemoryProviderExtensions
{
    /// <summary>Joins the in-process cluster whose membership is <paramref name="table"/>.</summary>
    public static TBuilder UseInMemoryMembership<TBuilder>(this TBuilder builder, InMemoryMembershipTable table) where TBuilder : RuntimeBuilder
    {
        builder.Services.AddSingleton(table);
        return builder;
    }

    /// <summary>Talks to the other silos of <paramref name="network"/> in this process.</summary>
    public static TBuilder UseInMemoryTransport<TBuilder>(this TBuilder builder, InMemoryNetwork network) where TBuilder : RuntimeBuilder
    {
        builder.Services.AddSingleton(network);
        return builder;
    }

    /// <summary>Uses <paramref name="time"/> for timers, timeouts and idle collection (a fake clock in tests).</summary>
    public static TBuilder UseTimeProvider<TBuilder>(this TBuilder builder, TimeProvider time) where TBuilder : RuntimeBuilder
    {
        builder.Services.AddSingleton(time);
        return builder;
    }

    /// <summary>Adds grain storage named <paramref name="name"/> in memory; pass one instance to share it between silos.</summary>
    public static SiloBuilder AddMemoryGrainStorage(this SiloBuilder builder, string name, InMemoryGrainStorage? storage = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, storage ?? new InMemoryGrainStorage());
        return builder;
    }

    public static SiloBuilder AddMemoryGrainStorageAsDefault(this SiloBuilder builder, InMemoryGrainStorage? storage = null) =>
        builder.AddMemoryGrainStorage(GrainInstanceFactory.DefaultStorageName, storage);
}
