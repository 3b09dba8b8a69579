using System.Reflection;
using FirstViscount.Commerce;
using FirstViscount.Hosting;
using FirstViscount.Invocation;
using FirstViscount.Postgres;
using FirstViscount.Redis;
using FirstViscount.Transport.Tcp;

namespace FirstViscount.SiloHost;

/// <summary>
/// Chooses the silo's providers from configuration (appsettings or environment, e.g. Redis__Configuration).
/// Whatever is not configured stays in memory, so a silo with no configuration runs alone: the embedded default.
/// </summary>
internal static class SiloConfiguration
{
    public static Silo Build(IConfiguration configuration, Action<ILoggingBuilder> logging)
    {
        var silo = new SiloBuilder();
        silo.Configure(options => configuration.GetSection("Silo").Bind(options));
        silo.Services.AddLogging(logging);

        var redis = configuration["Redis:Configuration"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            silo.UseRedisMembership(options =>
            {
                configuration.GetSection("Membership").Bind(options);
                options.Configuration = redis;
            });
        }
        if (configuration.GetSection("Transport").Exists())
        {
            silo.UseTcpTransport(options => configuration.GetSection("Transport").Bind(options));
        }
        var postgres = PostgresConnectionStrings(configuration);
        if (postgres.Count > 0)
        {
            silo.AddPostgresGrainStorageAsDefault(options => options.ConnectionStrings.AddRange(postgres));
        }
        else
        {
            silo.AddMemoryGrainStorageAsDefault();
        }
        CommerceWiring.AddCommerce(silo, configuration, postgres.Count > 0 ? postgres[0] : null, string.IsNullOrWhiteSpace(redis) ? null : redis);
        GrainCodeRegistry.EnsureRegistered(typeof(CommerceEvents).Assembly);
        foreach (var path in configuration.GetSection("Silo:GrainAssemblies").Get<string[]>() ?? [])
        {
            GrainCodeRegistry.EnsureRegistered(Assembly.LoadFrom(path));
        }
        return silo.Build();
    }

    public static IReadOnlyList<string> PostgresConnectionStrings(IConfiguration configuration)
    {
        var single = configuration["Postgres:ConnectionString"];
        var shards = configuration.GetSection("Postgres:ConnectionStrings").Get<string[]>() ?? [];
        return [.. shards.Concat(string.IsNullOrWhiteSpace(single) ? [] : [single]).Distinct()];
    }
}
