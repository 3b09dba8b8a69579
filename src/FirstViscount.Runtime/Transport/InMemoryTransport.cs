using System.Collections.Concurrent;
using FirstViscount.Membership;

namespace FirstViscount.Transport;

/// <summary>
/// A transport inside one process. Frames are copied and delivered on the thread pool, so calls between
/// silos are serialised exactly as over a network and serialisation bugs show in tests.
/// </summary>
internal sealed class InMemoryTransport(InMemoryNetwork network) : IMessageTransport
{
    private readonly ConcurrentDictionary<SiloAddress, InMemoryConnection> outbound = new();
    private readonly ConcurrentDictionary<InMemoryConnection, bool> inbound = new();
    private SiloAddress? self;

    internal IInboundFrameHandler? Handler { get; private set; }

    public Task ListenAsync(SiloAddress self, IInboundFrameHandler handler, CancellationToken cancellationToken)
    {
        this.self = self;
        Handler = handler;
        network.Listeners[self.Endpoint] = this;
        return Task.CompletedTask;
    }

    public ValueTask<IOutboundConnection> ConnectAsync(SiloAddress target, IOutboundFrameHandler handler, CancellationToken cancellationToken)
    {
        if (outbound.TryGetValue(target, out var existing) && existing.IsConnected)
        {
            return ValueTask.FromResult<IOutboundConnection>(existing);
        }
        if (!network.Listeners.TryGetValue(target.Endpoint, out var peer) || peer.Handler is null)
        {
            throw new SiloUnavailableException($"No silo listens at {target}.", requestMayHaveStarted: false);
        }
        var connection = new InMemoryConnection(target, handler, peer.Handler, c => peer.inbound.TryRemove(c, out _));
        peer.inbound[connection] = true;
        outbound[target] = connection;
        return ValueTask.FromResult<IOutboundConnection>(connection);
    }

    public void Abort()
    {
        if (self is not null)
        {
            network.Listeners.TryRemove(new KeyValuePair<string, InMemoryTransport>(self.Endpoint, this));
        }
        foreach (var connection in outbound.Values.Concat(inbound.Keys))
        {
            connection.Close(new IOException("The in-memory transport was aborted."));
        }
        outbound.Clear();
        inbound.Clear();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }
}
