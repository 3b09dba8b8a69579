using System.Collections.Concurrent;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>
/// The silo's data sources: one per connection string (so one pool per database), created on first use and
/// disposed with the silo's services, which closes their connections.
/// </summary>
public sealed class PostgresDataSources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> sources = new();

    public NpgsqlDataSource Get(string connectionString) => sources.GetOrAdd(connectionString, static cs => NpgsqlDataSource.Create(cs));

    public async ValueTask DisposeAsync()
    {
        foreach (var source in sources.Values)
        {
            await source.DisposeAsync();
        }
        sources.Clear();
    }
}
