using System.Diagnostics;
using System.Globalization;
using System.Text;
using FirstViscount.Tests;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// A real silo process (the FirstViscount.Silo host) on loopback, with an Orleans gateway port for the test's
/// client, for failover tests: it can be killed (SIGKILL), frozen (SIGSTOP), resumed and started again on its ports.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static int nextPort = 22_000 + Random.Shared.Next(0, 1_500) * 4;

    /// <summary>One key for every silo process of the test run (they share the stored payments).</summary>
    private static readonly string TestPayerKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public const string AdminEmail = "admin@processes.test";
    public const string AdminPassword = "admin-password-for-process-tests";

    private readonly string clusterId;
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly StringBuilder output = new();
    private Process process = null!;
    private bool supervised;
    private bool disposed;

    private SiloProcess(string clusterId, int basePort, IReadOnlyDictionary<string, string> settings)
    {
        this.clusterId = clusterId;
        this.settings = settings;
        SiloPort = basePort;
        GatewayPort = basePort + 1;
        HttpPort = basePort + 2;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public string Endpoint => $"127.0.0.1:{SiloPort}";

    public Uri Gateway => new($"http://127.0.0.1:{HttpPort}/");

    public bool HasExited => process.HasExited;

    /// <summary>How often the supervisor started the process again after it stopped by itself.</summary>
    public int Restarts { get; private set; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts a silo of <paramref name="clusterId"/>; <paramref name="settings"/> adds or overrides configuration (environment form).</summary>
    public static async Task<SiloProcess> StartAsync(string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var silo = new SiloProcess(clusterId, Interlocked.Add(ref nextPort, 4), settings ?? new Dictionary<string, string>());
        await silo.StartAgainAsync();
        return silo;
    }

    /// <summary>Starts the process (again, after it died or was killed) on the same ports, as a supervisor would.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SiloAssemblyPath());
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{HttpPort}",
            ["Silo__ClusterId"] = clusterId,
            ["Silo__ServiceId"] = "firstviscount-test",
            ["Silo__Port"] = SiloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Redis__Configuration"] = TestServers.Redis,
            ["Postgres__ConnectionString"] = TestServers.Postgres,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Payments__PayerKey"] = TestPayerKey,
            ["Delivery__CarrierKey"] = TestServers.CarrierKey,
            ["Admin__Email"] = AdminEmail,
            ["Admin__Password"] = AdminPassword,
            ["RateLimit__PermitsPerMinute"] = "1000000",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Silo on {Endpoint} exited with {process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Silo on {Endpoint} was not ready within {limit}:\n{Output}");
    }

    /// <summary>
    /// Acts as the process supervisor of a real deployment (systemd's Restart=always, a Kubernetes pod): whenever the
    /// silo process ends by itself (Orleans stops a silo that learns it was declared dead), it is started again.
    /// </summary>
    public void Supervise()
    {
        supervised = true;
        _ = WatchAsync(process);
    }

    private async Task WatchAsync(Process watched)
    {
        await watched.WaitForExitAsync();
        while (supervised && !disposed && ReferenceEquals(watched, process))
        {
            Restarts++;
            await Task.Delay(500);
            try
            {
                await StartAgainAsync();
                _ = WatchAsync(process);
                return;
            }
            catch (Exception error) when (error is InvalidOperationException or TimeoutException)
            {
                Append($"[supervisor] restart failed: {error.Message}");
                watched = process;
            }
        }
    }

    /// <summary>SIGKILL: the process dies at once, without any shutdown.</summary>
    public void Kill()
    {
        supervised = false; // a kill stands: the test decides whether and when the process comes back
        process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGSTOP: the process freezes, as in a long GC pause or a VM stall.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT: the frozen process runs on.</summary>
    public void Resume() => Signal("CONT");

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        if (!process.HasExited)
        {
            Resume();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Signal(string signal)
    {
        if (process.HasExited)
        {
            return;
        }
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string SiloAssemblyPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(TestServers.RepositoryRoot(), "src", "FirstViscount.Silo", "bin", configuration, "net10.0", "FirstViscount.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the silo host first (dotnet build -c {configuration}); expected {path}.");
    }
}
