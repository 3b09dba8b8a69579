using System.Diagnostics;
using System.Text;
using FirstViscount.TestGrains;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>A real silo process (the FirstViscount.Silo host) on loopback, for failover and fencing tests.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static int nextPort = 22_000 + Random.Shared.Next(0, 2_000) * 2;

    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(Process process, int siloPort, int httpPort)
    {
        this.process = process;
        SiloPort = siloPort;
        HttpPort = httpPort;
    }

    /// <summary>One key for every silo process of the test run (they share the stored payments).</summary>
    private static readonly string TestPayerKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public int SiloPort { get; }

    public int HttpPort { get; }

    public string Endpoint => $"127.0.0.1:{SiloPort}";

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

    public static async Task<SiloProcess> StartAsync(string clusterId, TimeSpan lease)
    {
        var siloPort = Interlocked.Add(ref nextPort, 2);
        var httpPort = siloPort + 1;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SiloAssemblyPath());
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Silo__ClusterId"] = clusterId,
            ["Silo__ServiceId"] = "firstviscount-test",
            ["Silo__GrainAssemblies__0"] = typeof(LedgerGrain).Assembly.Location,
            ["Transport__Host"] = "127.0.0.1",
            ["Transport__Port"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Redis__Configuration"] = TestServers.Redis,
            ["Postgres__ConnectionString"] = TestServers.Postgres,
            ["Membership__LeaseDuration"] = lease.ToString(),
            ["Membership__RenewInterval"] = (lease / 5).ToString(),
            ["Membership__FencingMargin"] = (lease / 10).ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Payments__PayerKey"] = TestPayerKey,
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var silo = new SiloProcess(Process.Start(start)!, siloPort, httpPort);
        silo.process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.BeginOutputReadLine();
        silo.process.BeginErrorReadLine();
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return silo;
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

    /// <summary>SIGKILL: the process dies at once, without any shutdown.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGSTOP: the process freezes, as in a long GC pause or a VM stall.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT: the frozen process runs on.</summary>
    public void Resume() => Signal("CONT");

    public async ValueTask DisposeAsync()
    {
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
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with exit code {kill.ExitCode}.");
        }
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
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FirstViscount.sln")))
        {
            directory = directory.Parent;
        }
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(directory?.FullName ?? ".", "src", "FirstViscount.Silo", "bin", configuration, "net10.0", "FirstViscount.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the silo host first (dotnet build -c {configuration}); expected {path}.");
    }
}
