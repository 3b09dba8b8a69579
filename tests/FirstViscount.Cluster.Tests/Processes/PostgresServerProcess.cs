using System.Globalization;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// A private PostgreSQL server for a test that crashes, restarts or restores it without disturbing other tests: a
/// fresh data folder made by deploy/services.sh (initdb as the postgres OS user when root, WAL archived into its own
/// backup repository), stopped with `-m immediate` (as a crash) and started again on the same port, backed up and
/// restored with deploy/backup.sh as an operator would.
/// </summary>
internal sealed class PostgresServerProcess : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string dataDirectory;

    private readonly IReadOnlyDictionary<string, string> settings;

    private PostgresServerProcess(string root, int port, IReadOnlyDictionary<string, string> settings)
    {
        Root = root;
        Port = port;
        this.settings = settings;
        dataDirectory = Path.Combine(root, "postgres", "db");
    }

    public string Root { get; }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=3;Command Timeout=10";

    /// <summary>The deploy scripts' settings that point them at this server (environment form).</summary>
    private Dictionary<string, string> ScriptSettings => new(settings)
    {
        ["FV_DATA_DIR"] = Root,
        ["FV_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The certificate authority deploy/services.sh made for this server's TLS certificate.</summary>
    public string CertificateAuthority => Path.Combine(Root, "tls", "ca.crt");

    /// <summary>Starts a server; <paramref name="settings"/> adds deploy/services.sh settings (e.g. FV_PG_REQUIRE_TLS=1).</summary>
    public static async Task<PostgresServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("fv-pg-").FullName;
        var server = new PostgresServerProcess(root, 25_000 + Random.Shared.Next(0, 4_000), settings ?? new Dictionary<string, string>());
        await DeployScripts.RunAsync(DeployScripts.Path("services.sh"), ["up"], server.ScriptSettings);
        return server;
    }

    /// <summary>A base backup now (deploy/backup.sh postgres --full), while WAL archiving goes on.</summary>
    public Task BackupAsync() => DeployScripts.RunAsync(DeployScripts.Path("backup.sh"), ["postgres", "--full"], ScriptSettings);

    /// <summary>The disk is lost: the server stops at once and its data folder is gone, WAL not yet archived with it.</summary>
    public async Task LoseDataFolderAsync()
    {
        await CrashAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>deploy/backup.sh restore: to <paramref name="target"/>, or to the end of the archived WAL; returns once PostgreSQL accepts writes.</summary>
    public async Task RestoreAsync(DateTimeOffset? target = null)
    {
        string[] arguments = target is { } time
            ? ["restore", "--target", time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00"]
            : ["restore"];
        await DeployScripts.RunAsync(DeployScripts.Path("backup.sh"), arguments, ScriptSettings);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the server at once, as a crash would (no checkpoint; recovery replays the WAL at the next start).</summary>
    public Task CrashAsync() => AsPostgresUserAsync($"{Bin}/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);

    public async Task StartAgainAsync()
    {
        await AsPostgresUserAsync($"{Bin}/pg_ctl", ["-D", dataDirectory, "-l", Path.Combine(Root, "postgres", "postgres.log"), "-w", "-t", "60", "start"]);
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var probe = dataSource.CreateCommand("SELECT 1");
        await probe.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresUserAsync($"{Bin}/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }

    private static Task AsPostgresUserAsync(string program, string[] arguments) =>
        Environment.UserName == "root" ? DeployScripts.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : DeployScripts.RunAsync(program, arguments);
}
