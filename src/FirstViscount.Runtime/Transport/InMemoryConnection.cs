using FirstViscount.Membership;

namespace FirstViscount.Transport;

/// <summary>One caller-to-callee connection of the in-memory transport.</summary>
internal sealed class InMemoryConnection(SiloAddress target, IOutboundFrameHandler caller, IInboundFrameHandler callee, Action<InMemoryConnection> onClosed)
    : IOutboundConnection, IReplyChannel
{
    private readonly IOutboundFrameHandler caller = caller;
    private volatile bool closed;

    public SiloAddress Target { get; } = target;

    public bool IsConnected => !closed;

    public void Send(ReadOnlyMemory<byte> frame)
    {
        if (closed)
        {
            throw new SiloUnavailableException($"The connection to {Target} is closed.", requestMayHaveStarted: false);
        }
        var copy = frame.ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (connection, bytes) = state;
            if (!connection.closed)
            {
                connection.DeliverRequest(bytes);
            }
        }, (this, copy), preferLocal: false);
    }

    public void Reply(ReadOnlyMemory<byte> frame)
    {
        if (closed)
        {
            return; // the caller is gone; its calls were failed when the connection closed
        }
        var copy = frame.ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (connection, bytes) = state;
            if (!connection.closed)
            {
                connection.caller.OnResponse(connection, bytes);
            }
        }, (this, copy), preferLocal: false);
    }

    public void Close(Exception? error)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        onClosed(this);
        caller.OnClosed(this, error);
    }

    private void DeliverRequest(byte[] frame)
    {
        try
        {
            callee.OnRequest(this, frame);
        }
        catch (Exception error)
        {
            // A malformed frame breaks the connection, as a network transport would.
            Close(error);
        }
    }
}
