using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace FirstViscount.Postgres;

/// <summary>FirstViscount's PostgreSQL for Orleans: grain storage and reminders on Orleans's ADO.NET providers, with the project's schema.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Adds grain storage <paramref name="name"/> in PostgreSQL (one Orleans ADO.NET provider per shard), storing
    /// state with the Orleans serializer, so <c>[Alias]</c>/<c>[Id]</c> keep stored state readable across renames.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, Action<PostgresGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new PostgresGrainStorageOptions();
        configure(options);
        options.Validate(name);
        var shardNames = options.ConnectionStrings.Select((_, i) => $"{name}.shard{i}").ToArray();
        for (var i = 0; i < shardNames.Length; i++)
        {
            var connectionString = options.ConnectionStrings[i];
            builder.Services.AddAdoNetGrainStorage(shardNames[i], shard => shard.Configure<PostgresDataSources, Serializer>((adoNet, dataSources, serializer) =>
            {
                adoNet.Invariant = Invariant;
                adoNet.DataSource = dataSources.Get(connectionString);
                adoNet.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }
        builder.Services.TryAddSingleton<PostgresDataSources>();
        builder.Services.AddGrainStorage(name, (services, _) =>
            new PostgresGrainStorage([.. shardNames.Select(shard => services.GetRequiredKeyedService<IGrainStorage>(shard))]));
        if (options.MigrateOnStart)
        {
            builder.MigratePostgresOnStart([.. options.ConnectionStrings]);
        }
        return builder;
    }

    public static ISiloBuilder AddPostgresGrainStorageAsDefault(this ISiloBuilder builder, Action<PostgresGrainStorageOptions> configure) =>
        builder.AddPostgresGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Keeps durable reminders in the PostgreSQL database at <paramref name="connectionString"/> (migrated at start).</summary>
    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, string connectionString)
    {
        builder.UseAdoNetReminderService(reminders => reminders.Configure<PostgresDataSources>((adoNet, dataSources) =>
        {
            adoNet.Invariant = Invariant;
            adoNet.DataSource = dataSources.Get(connectionString);
        }));
        return builder.MigratePostgresOnStart(connectionString);
    }

    /// <summary>Brings the schema of these databases up to date when the silo starts, before any provider uses them.</summary>
    public static ISiloBuilder MigratePostgresOnStart(this ISiloBuilder builder, params string[] connectionStrings)
    {
        builder.Services.TryAddSingleton<PostgresDataSources>();
        builder.Services.Configure<PostgresSchemaOptions>(schema => schema.ConnectionStrings.UnionWith(connectionStrings));
        if (!builder.Services.Any(service => service.ImplementationType == typeof(PostgresSchemaMigration)))
        {
            builder.Services.AddSingleton<PostgresSchemaMigration>();
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<PostgresSchemaMigration>());
        }
        return builder;
    }
}
