using FirstViscount.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Reminders;
using FirstViscount.Reminders;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>Registration of the PostgreSQL providers.</summary>
public static class PostgresProviderExtensions
{
    /// <summary>Adds grain storage named <paramref name="name"/> in PostgreSQL.</summary>
    public static SiloBuilder AddPostgresGrainStorage(this SiloBuilder builder, string name, Action<PostgresGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new PostgresGrainStorageOptions();
        configure(options);
        options.Validate(name);
        var connectionStrings = options.ConnectionStrings.ToArray();
        builder.Services.TryAddSingleton<PostgresDataSources>();
        // Created by a factory so that the container disposes it (and its group-commit writers) with the silo.
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) =>
            new PostgresGrainStorage(name, Shards(services, connectionStrings), options.GroupCommit));
        if (options.MigrateOnStart)
        {
            builder.Services.AddSingleton<ISiloStartupTask>(services => new MigrateShards(Shards(services, connectionStrings)));
        }
        return builder;
    }

    public static SiloBuilder AddPostgresGrainStorageAsDefault(this SiloBuilder builder, Action<PostgresGrainStorageOptions> configure) =>
        builder.AddPostgresGrainStorage("Default", configure);

    /// <summary>Keeps durable reminders and the event store in the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public static SiloBuilder UsePostgresRemindersAndEvents(this SiloBuilder builder, string connectionString)
    {
        builder.Services.TryAddSingleton<PostgresDataSources>();
        builder.Services.AddSingleton<ISiloStartupTask>(services => new MigrateShards(Shards(services, [connectionString])));
        builder.Services.AddSingleton<IReminderTable>(services =>
            new PostgresReminderTable(services.GetRequiredService<PostgresDataSources>().Get(connectionString), services.GetRequiredService<SiloOptions>().ServiceId));
        builder.Services.AddSingleton<PostgresEventStore>(services => new PostgresEventStore(services.GetRequiredService<PostgresDataSources>().Get(connectionString)));
        builder.Services.AddSingleton<IEventStore>(services => services.GetRequiredService<PostgresEventStore>());
        return builder;
    }

    private static NpgsqlDataSource[] Shards(IServiceProvider services, IEnumerable<string> connectionStrings) =>
        [.. connectionStrings.Select(services.GetRequiredService<PostgresDataSources>().Get)];

    private sealed class MigrateShards(IReadOnlyList<NpgsqlDataSource> shards) : ISiloStartupTask
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            foreach (var shard in shards)
            {
                await PostgresMigrator.MigrateAsync(shard, cancellationToken);
            }
        }
    }
}
