using FirstViscount.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
        var shards = options.ConnectionStrings.Select(cs => NpgsqlDataSource.Create(cs)).ToArray();
        // Created by a factory so that the container disposes it (and its group-commit writers) with the silo.
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new PostgresGrainStorage(name, shards, options.GroupCommit));
        if (options.MigrateOnStart)
        {
            builder.Services.AddSingleton<ISiloStartupTask>(new MigrateShards(shards));
        }
        return builder;
    }

    public static SiloBuilder AddPostgresGrainStorageAsDefault(this SiloBuilder builder, Action<PostgresGrainStorageOptions> configure) =>
        builder.AddPostgresGrainStorage("Default", configure);

    /// <summary>Keeps durable reminders and the event store in the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public static SiloBuilder UsePostgresRemindersAndEvents(this SiloBuilder builder, string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        builder.Services.AddSingleton<ISiloStartupTask>(new MigrateShards([dataSource]));
        builder.Services.AddSingleton<IReminderTable>(services => new PostgresReminderTable(dataSource, services.GetRequiredService<SiloOptions>().ServiceId));
        builder.Services.AddSingleton<IEventStore>(new PostgresEventStore(dataSource));
        return builder;
    }

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
