using FirstViscount.Membership;
using FirstViscount.Reminders;
using FirstViscount.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FirstViscount.Hosting;

/// <summary>
/// Builds a silo. Unconfigured parts default to in-memory providers, so a silo with no configuration
/// runs alone in its process (the embedded default).
/// </summary>
public sealed class SiloBuilder : RuntimeBuilder
{
    public new SiloBuilder Configure(Action<SiloOptions> configure)
    {
        base.Configure(configure);
        return this;
    }

    public Silo Build()
    {
        var options = BuildOptions();
        RuntimeDefaults.AddTo(Services);
        return new Silo(Services.BuildServiceProvider(validateScopes: true), options);
    }
}

/// <summary>The defaults every runtime gets unless configured otherwise.</summary>
internal static class RuntimeDefaults
{
    public static void AddTo(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<InMemoryMembershipTable>();
        services.TryAddSingleton<InMemoryNetwork>();
        services.TryAddSingleton<IClusterMembership>(sp => new InMemoryMembership(sp.GetRequiredService<InMemoryMembershipTable>()));
        services.TryAddSingleton<IMessageTransport>(sp => new InMemoryTransport(sp.GetRequiredService<InMemoryNetwork>()));
        services.TryAddSingleton<IReminderTable, InMemoryReminderTable>();
        services.TryAddSingleton<IReminderRegistry>(sp => sp.GetRequiredService<IReminderTable>());
    }
}
