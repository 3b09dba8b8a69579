using System.Diagnostics;
using System.Net.Sockets;

namespace FirstViscount.Cluster.Tests.Redis;

/// <summary>A private redis-server for tests that stop, restart or empty Redis without disturbing other tests.</summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string[] extraArguments;
    private Process? process;

    private RedisServerProcess(int port, string[] extraArguments)
    {
        Port = port;
        this.extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync(params string[] extraArguments)
    {
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServerProcess(Random.Shared.Next(20_000, 30_000), extraArguments);
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.DisposeAsync(); // port taken: try another
            }
        }
    }

    /// <summary>Starts the server on the same port (empty: no persistence).</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited at start.");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new InvalidOperationException($"redis-server on port {Port} did not start.");
    }

    /// <summary>Kills the server abruptly; its data is gone.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }
}
