using FirstViscount.Membership;

namespace FirstViscount.Transport;

/// <summary>One caller-to-callee connection of the in-memory transport; frames keep their order in each direction.</summary>
internal sealed class InMemoryConnection : IOutboundConnection, IReplyChannel
{
    private readonly IOutboundFrameHandler caller;
    private readonly IInboundFrameHandler callee;
    private readonly Action<InMemoryConnection> onClosed;
    private readonly OrderedDelivery requests;
    private readonly OrderedDelivery responses;
    private volatile bool closed;

    public InMemoryConnection(SiloAddress target, IOutboundFrameHandler caller, IInboundFrameHandler callee, Action<InMemoryConnection> onClosed)
    {
        Target = target;
        this.caller = caller;
        this.callee = callee;
        this.onClosed = onClosed;
        requests = new OrderedDelivery(DeliverRequest);
        responses = new OrderedDelivery(DeliverResponse);
    }

    public SiloAddress Target { get; }

    public bool IsConnected => !closed;

    public void Send(ReadOnlyMemory<byte> frame)
    {
        if (closed)
        {
            throw new SiloUnavailableException($"The connection to {Target} is closed.", requestMayHaveStarted: false);
        }
        requests.Enqueue(frame.ToArray());
    }

    public void Reply(ReadOnlyMemory<byte> frame)
    {
        if (!closed)
        {
            responses.Enqueue(frame.ToArray());
        }
        // else: the caller is gone; its calls were failed when the connection closed.
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
        if (closed)
        {
            return;
        }
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

    private void DeliverResponse(byte[] frame)
    {
        if (!closed)
        {
            caller.OnResponse(this, frame);
        }
    }
}
