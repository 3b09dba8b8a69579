namespace FirstViscount.Postgres;

/// <summary>Where a PostgreSQL grain storage keeps its rows.</summary>
public sealed class PostgresGrainStorageOptions
{
    /// <summary>
    /// One connection string per shard. With more than one, a grain's rows live in the shard chosen by a
    /// stable hash of its key (for example the customer id), so all state of one key shares a database.
    /// </summary>
    public List<string> ConnectionStrings { get; set; } = [];

    /// <summary>Batch concurrent writes into one transaction per round trip (each still acknowledged only after commit).</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Apply the migrations of sql/postgres/ when the silo starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    internal void Validate(string name)
    {
        if (ConnectionStrings.Count == 0 || ConnectionStrings.Any(string.IsNullOrWhiteSpace))
        {
            throw new FirstViscountException($"Grain storage '{name}': setting ConnectionStrings must list at least one non-empty PostgreSQL connection string.");
        }
    }
}
