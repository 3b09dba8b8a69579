using System.Collections.Concurrent;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>
/// The silo's data sources: one per connection string (so one pool per database), created on first use and
/// disposed with the silo's services, which closes their connections. Statements the silo repeats (appends, state
/// writes, reminder upserts) are prepared automatically unless the connection string says otherwise: PostgreSQL then
/// parses and plans each once per connection instead of on every call.
/// </summary>
public sealed class PostgresDataSources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> sources = new();

    public NpgsqlDataSource Get(string connectionString) => sources.GetOrAdd(connectionString, static cs => NpgsqlDataSource.Create(WithAutoPrepare(cs)));

    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }
        return builder.ConnectionString;
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
