using System.Net;
using System.Net.Sockets;

namespace FirstViscount.Analytics.Tests;

/// <summary>
/// A loopback TCP relay in front of a server: <see cref="Stop"/> refuses new connections and cuts open ones, as
/// if the server went down; <see cref="Start"/> brings it back on the same port. Lets a test take ClickHouse away
/// from one client without stopping the server that other tests share.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private TcpListener? listener;

    public TcpRelay(Uri target)
    {
        this.target = new IPEndPoint(IPAddress.Loopback, target.Port);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _ = AcceptAsync(listener);
    }

    public void Stop()
    {
        listener?.Stop();
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
            open.Clear();
        }
    }

    public void Dispose() => Stop();

    private async Task AcceptAsync(TcpListener accepting)
    {
        while (true)
        {
            TcpClient inbound;
            try
            {
                inbound = await accepting.AcceptTcpClientAsync();
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(target);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (open)
            {
                open.Add(inbound);
                open.Add(outbound);
            }
            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
