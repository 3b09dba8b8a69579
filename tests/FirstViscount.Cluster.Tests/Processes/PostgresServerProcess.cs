using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// A private PostgreSQL server for a test that crashes and restarts it without disturbing other tests: a fresh
/// data folder made by deploy/services.sh (initdb as the postgres OS user when root), stopped with `-m immediate`
/// (as a crash) and started again on the same port.
/// </summary>
internal sealed class PostgresServerProcess : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string dataDirectory;

    private PostgresServerProcess(string root, int port)
    {
        Root = root;
        Port = port;
        dataDirectory = Path.Combine(root, "postgres", "db");
    }

    public string Root { get; }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=3;Command Timeout=10";

    public static async Task<PostgresServerProcess> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("fv-pg-").FullName;
        var server = new PostgresServerProcess(root, 25_000 + Random.Shared.Next(0, 4_000));
        await RunAsync(Path.Combine(RepositoryRoot(), "deploy", "services.sh"), ["up"], new()
        {
            ["FV_DATA_DIR"] = root,
            ["FV_PG_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
        });
        return server;
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
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FirstViscount.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }
}
