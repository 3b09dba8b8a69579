namespace FirstViscount.Postgres;

/// <summary>Where a PostgreSQL grain storage keeps its rows.</summary>
public sealed class PostgresGrainStorageOptions
{
    /// <summary>
    /// One connection string per shard. With more than one, a grain's state lives in the shard chosen by a
    /// stable hash of its key (for example the customer id), so all state of one key shares a database.
    /// </summary>
    public List<string> ConnectionStrings { get; set; } = [];

    /// <summary>Apply the migrations of sql/postgres/ to every shard when the silo starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    internal void Validate(string name)
    {
        if (ConnectionStrings.Count == 0 || ConnectionStrings.Any(string.IsNullOrWhiteSpace))
        {
            throw new FirstViscountException($"Grain storage '{name}': setting ConnectionStrings must list at least one non-empty PostgreSQL connection string.");
        }
    }
}
