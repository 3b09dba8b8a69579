using System.Net;
using System.Net.Sockets;

namespace FirstViscount.Benchmarks;

/// <summary>
/// The anchor for calls over the network: a loopback TCP echo server and one connection per caller, each round
/// trip writing and reading a message the size of a small grain call.
/// </summary>
internal sealed class RawTcpEcho : IAsyncDisposable
{
    private const int MessageSize = 128;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Socket> clients = [];

    private RawTcpEcho(TcpListener listener) => this.listener = listener;

    public static async Task<RawTcpEcho> StartAsync(int connections)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var echo = new RawTcpEcho(listener);
        _ = echo.AcceptAsync();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        for (var i = 0; i < connections; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            echo.clients.Add(socket);
        }
        return echo;
    }

    /// <summary>One round trip on connection <paramref name="caller"/>.</summary>
    public async ValueTask RoundTripAsync(int caller, byte[] buffer)
    {
        var socket = clients[caller];
        await socket.SendAsync(buffer.AsMemory(0, MessageSize));
        for (var read = 0; read < MessageSize;)
        {
            read += await socket.ReceiveAsync(buffer.AsMemory(read, MessageSize - read));
        }
    }

    public static byte[] NewBuffer() => new byte[MessageSize];

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket server;
            try
            {
                server = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            server.NoDelay = true;
            _ = Task.Run(async () =>
            {
                var buffer = new byte[MessageSize];
                using (server)
                {
                    while (!stopping.IsCancellationRequested)
                    {
                        var read = await server.ReceiveAsync(buffer, stopping.Token);
                        if (read == 0)
                        {
                            return;
                        }
                        await server.SendAsync(buffer.AsMemory(0, read), stopping.Token);
                    }
                }
            });
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Cancel();
        foreach (var client in clients)
        {
            client.Dispose();
        }
        listener.Stop();
        return ValueTask.CompletedTask;
    }
}
