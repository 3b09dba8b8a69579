using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FirstViscount.Membership;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Transport.Tcp;

/// <summary>
/// Silo-to-silo transport over TCP. Inbound: a Kestrel server whose connection handler reads frames straight
/// from pipelines. Outbound: one socket per target silo, every call multiplexed over it. The first frame of
/// every connection names the cluster; a connection from another cluster is closed at once.
/// </summary>
public sealed partial class TcpTransport(string clusterId, TcpTransportOptions options, ILoggerFactory loggers) : IMessageTransport
{
    private readonly ConcurrentDictionary<SiloAddress, Lazy<Task<FrameConnection>>> outbound = new();
    private readonly ConcurrentDictionary<FrameConnection, bool> inbound = new();
    private readonly byte[] hello = Encoding.UTF8.GetBytes("FV1 " + clusterId);
    private readonly ILogger logger = loggers.CreateLogger<TcpTransport>();
    private WebApplication? server;
    private IInboundFrameHandler? handler;

    public async Task ListenAsync(SiloAddress self, IInboundFrameHandler handler, CancellationToken cancellationToken)
    {
        this.handler = handler;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port, listen => listen.Run(AcceptAsync)));
        server = builder.Build();
        await server.StartAsync(cancellationToken);
    }

    public async ValueTask<IOutboundConnection> ConnectAsync(SiloAddress target, IOutboundFrameHandler responses, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = outbound.GetOrAdd(target, t => new Lazy<Task<FrameConnection>>(() => OpenAsync(t, responses)));
            try
            {
                var connection = await pending.Value;
                if (connection.IsConnected)
                {
                    return connection;
                }
            }
            catch (SiloUnavailableException)
            {
                outbound.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<FrameConnection>>>(target, pending));
                throw;
            }
            outbound.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<FrameConnection>>>(target, pending));
        }
    }

    public void Abort()
    {
        foreach (var connection in inbound.Keys)
        {
            connection.Close(new IOException("The transport was aborted."));
        }
        foreach (var pending in outbound.Values.Where(p => p.IsValueCreated && p.Value.IsCompletedSuccessfully))
        {
            pending.Value.Result.Close(new IOException("The transport was aborted."));
        }
        outbound.Clear();
        if (server is not null)
        {
            _ = server.StopAsync(new CancellationToken(canceled: true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task AcceptAsync(ConnectionContext context)
    {
        var connection = new FrameConnection(new SiloAddress(context.RemoteEndPoint?.ToString() ?? "peer", 0), context.Transport, options.MaxMessageBytes,
            (closed, _) => inbound.TryRemove(closed, out var _));
        inbound[connection] = true;
        var greeted = false;
        await connection.ReadLoopAsync((from, frame) =>
        {
            if (!greeted)
            {
                if (!frame.SequenceEqual(hello))
                {
                    throw new InvalidDataException($"A peer from another cluster or protocol connected: '{Encoding.UTF8.GetString(frame)}'.");
                }
                greeted = true;
                return;
            }
            handler!.OnRequest(from, frame);
        });
        await connection.Writing;
    }

    private async Task<FrameConnection> OpenAsync(SiloAddress target, IOutboundFrameHandler responses)
    {
        var (host, port) = ParseEndpoint(target.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new SiloUnavailableException($"Cannot connect to silo {target}: {error.Message}", requestMayHaveStarted: false, error);
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        var pipe = new StreamDuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
        var connection = new FrameConnection(target, pipe, options.MaxMessageBytes, (closed, error) =>
        {
            stream.Dispose();
            responses.OnClosed(closed, error);
        });
        connection.Send(hello);
        _ = Task.Run(() => connection.ReadLoopAsync((from, frame) => responses.OnResponse(from, frame)));
        LogConnected(logger, target);
        return connection;
    }

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (endpoint[..colon], port)
            : throw new SiloUnavailableException($"Silo endpoint '{endpoint}' is not host:port.", requestMayHaveStarted: false);
    }

    private sealed class StreamDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Connected to silo {Target}")]
    private static partial void LogConnected(ILogger logger, SiloAddress target);
}
