using Npgsql;

namespace FirstViscount.Tests;

/// <summary>
/// The servers deploy/services.sh starts. Override with FV_POSTGRES / FV_REDIS / FV_CLICKHOUSE; when one does not answer,
/// the error says to run deploy/services.sh up.
/// </summary>
internal static class TestServers
{
    public static string Postgres { get; } = Environment.GetEnvironmentVariable("FV_POSTGRES")
        ?? "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=5;Command Timeout=30";

    /// <summary>The streaming replica deploy/services.sh up --replica starts; FV_POSTGRES_REPLICA overrides.</summary>
    public static string PostgresReplica { get; } = Environment.GetEnvironmentVariable("FV_POSTGRES_REPLICA")
        ?? new NpgsqlConnectionStringBuilder(Postgres) { Port = 15433 }.ConnectionString;

    /// <summary>Redis's TLS port (deploy/services.sh), verified against <see cref="CertificateAuthority"/>.</summary>
    public static string RedisTls { get; } = Environment.GetEnvironmentVariable("FV_REDIS_TLS") ?? "127.0.0.1:16380,ssl=true";

    /// <summary>ClickHouse's HTTPS port (deploy/services.sh).</summary>
    public static string ClickHouseTls { get; } = Environment.GetEnvironmentVariable("FV_CLICKHOUSE_TLS") ?? "https://127.0.0.1:18443/";

    /// <summary>The local certificate authority deploy/services.sh made for the servers (FV_TLS_CA overrides).</summary>
    public static string CertificateAuthority { get; } = Environment.GetEnvironmentVariable("FV_TLS_CA")
        ?? Path.Combine(Environment.GetEnvironmentVariable("FV_DATA_DIR") ?? Path.Combine(RepositoryRoot(), ".data"), "tls", "ca.crt");

    /// <summary>The repository the tests were built in (the folder holding FirstViscount.sln), or "." outside one.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FirstViscount.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? ".";
    }

    /// <summary>PgBouncer in front of PostgreSQL (deploy/services.sh).</summary>
    public static int PgBouncerPort { get; } = int.TryParse(Environment.GetEnvironmentVariable("FV_PGBOUNCER_PORT"), out var port) ? port : 16432;

    /// <summary>
    /// The Delivery:CarrierKey of every silo the tests start on a shared database: carrier accounts outlive a test run,
    /// and a row encrypted under another run's key could not be read. A test key, never a production one.
    /// </summary>
    public const string CarrierKey = "dGVzdC1jYXJyaWVyLWtleS0zMi1ieXRlcy1sb25nISE=";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("FV_REDIS") ?? "127.0.0.1:16379";

    public static string ClickHouse { get; } = Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? "http://127.0.0.1:18123/";

    public static string PostgresDatabase(string database) => new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;

    /// <summary>Creates <paramref name="database"/> if it does not exist (for the sharding tests).</summary>
    public static async Task EnsureDatabaseAsync(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        try
        {
            await using var exists = dataSource.CreateCommand($"SELECT 1 FROM pg_database WHERE datname = '{database}'");
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = dataSource.CreateCommand($"CREATE DATABASE \"{database}\"");
                await create.ExecuteNonQueryAsync();
            }
        }
        catch (PostgresException error) when (error.SqlState == "42P04")
        {
            // Created concurrently by another test: fine.
        }
        catch (NpgsqlException error)
        {
            throw new InvalidOperationException($"PostgreSQL at {Postgres} does not answer: run deploy/services.sh up. ({error.Message})", error);
        }
    }

    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        await using var drop = dataSource.CreateCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
