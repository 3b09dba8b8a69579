using Microsoft.Extensions.Options;

namespace FirstViscount.Postgres;

/// <summary>The databases whose schema the silo brings up to date when it starts.</summary>
public sealed class PostgresSchemaOptions
{
    public HashSet<string> ConnectionStrings { get; } = [];
}

/// <summary>
/// Applies sql/postgres/ to every configured database early in the silo's start, before Orleans's ADO.NET
/// providers read their statements from OrleansQuery. Silos starting together are safe: the migrator holds a
/// PostgreSQL advisory lock.
/// </summary>
internal sealed class PostgresSchemaMigration(IOptions<PostgresSchemaOptions> options, PostgresDataSources dataSources) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaMigration), ServiceLifecycleStage.RuntimeInitialize, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        foreach (var connectionString in options.Value.ConnectionStrings)
        {
            await PostgresMigrator.MigrateAsync(dataSources.Get(connectionString), cancellationToken);
        }
    }
}
