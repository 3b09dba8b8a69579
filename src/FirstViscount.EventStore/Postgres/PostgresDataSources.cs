using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>
/// The silo's data sources: one per connection string (so one pool per database), created on first use and
/// disposed with the silo's services, which closes their connections. Statements the silo repeats (appends, state
/// writes, reminder upserts) are prepared automatically unless the connection string sets Max Auto Prepare (0 behind
/// PgBouncer): PostgreSQL then parses and plans each once per connection instead of on every call.
/// </summary>
public sealed class PostgresDataSources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> sources = new();

    public NpgsqlDataSource Get(string connectionString) => sources.GetOrAdd(connectionString, static cs => NpgsqlDataSource.Create(WithAutoPrepare(cs)));

    private static string WithAutoPrepare(string connectionString)
    {
        // An explicit "Max Auto Prepare=0" stays: behind PgBouncer's transaction pooling prepared statements break.
        // (NpgsqlConnectionStringBuilder reads an absent setting as 0 and claims every key it knows, so the raw keys decide.)
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in sources.Values)
        {
            await source.DisposeAsync();
        }
        sources.Clear();
    }
}
