namespace FirstViscount.Membership;

/// <summary>
/// Moves opaque frames between silos. The runtime owns framing content (requests, responses, cancels);
/// a transport owns connections: one outbound connection per peer, many calls multiplexed over it.
/// </summary>
public interface IMessageTransport : IAsyncDisposable
{
    /// <summary>Starts accepting inbound connections for <paramref name="self"/>.</summary>
    Task ListenAsync(SiloAddress self, IInboundFrameHandler handler, CancellationToken cancellationToken);

    /// <summary>The outbound connection to <paramref name="target"/>, opened on first use.</summary>
    ValueTask<IOutboundConnection> ConnectAsync(SiloAddress target, IOutboundFrameHandler handler, CancellationToken cancellationToken);

    /// <summary>Closes everything at once, as if the process died.</summary>
    void Abort();
}

/// <summary>An outbound connection: frames sent are requests or cancels; frames received are responses.</summary>
public interface IOutboundConnection
{
    SiloAddress Target { get; }

    bool IsConnected { get; }

    /// <summary>Queues a frame; throws <see cref="SiloUnavailableException"/> when the connection is closed.</summary>
    void Send(ReadOnlyMemory<byte> frame);
}

/// <summary>Receives responses on an outbound connection and its closing.</summary>
public interface IOutboundFrameHandler
{
    void OnResponse(IOutboundConnection connection, ReadOnlySpan<byte> frame);

    void OnClosed(IOutboundConnection connection, Exception? error);
}

/// <summary>Receives requests on an inbound connection and answers through <see cref="IReplyChannel"/>.</summary>
public interface IInboundFrameHandler
{
    void OnRequest(IReplyChannel replyChannel, ReadOnlySpan<byte> frame);
}

/// <summary>Where the responses to one inbound connection's requests go.</summary>
public interface IReplyChannel
{
    void Reply(ReadOnlyMemory<byte> frame);
}
