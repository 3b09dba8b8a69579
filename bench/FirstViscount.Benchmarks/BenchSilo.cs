using FirstViscount.Commerce;
using FirstViscount.Hosting;
using FirstViscount.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Benchmarks;

/// <summary>One silo with the domain's events and reminders in the bench PostgreSQL, under a service id of its own.</summary>
internal static class BenchSilo
{
    public static async Task<Silo> StartAsync(Action<SiloBuilder>? configure = null)
    {
        var builder = new SiloBuilder();
        builder.Configure(options => options.ServiceId = $"bench-{Guid.NewGuid():N}");
        builder.UsePostgresRemindersAndEvents(BenchDatabase.ConnectionString);
        builder.Services.AddSingleton(CommerceEvents.CreateSerializer());
        configure?.Invoke(builder);
        var silo = builder.Build();
        await silo.StartAsync();
        return silo;
    }
}
