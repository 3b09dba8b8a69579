using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Threading.Channels;
using FirstViscount.Membership;

namespace FirstViscount.Transport.Tcp;

/// <summary>
/// Length-prefixed frames over a duplex pipe. Sends are queued and a single writer drains the queue,
/// flushing once per batch: under load many frames share one system call.
/// </summary>
internal sealed class FrameConnection : IOutboundConnection, IReplyChannel
{
    private readonly IDuplexPipe pipe;
    private readonly int maxMessageBytes;
    private readonly Channel<byte[]> outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<FrameConnection, Exception?> onClosed;
    private int closed;

    public FrameConnection(SiloAddress target, IDuplexPipe pipe, int maxMessageBytes, Action<FrameConnection, Exception?> onClosed)
    {
        Target = target;
        this.pipe = pipe;
        this.maxMessageBytes = maxMessageBytes;
        this.onClosed = onClosed;
        Writing = Task.Run(WriteLoopAsync);
    }

    public SiloAddress Target { get; }

    public bool IsConnected => Volatile.Read(ref closed) == 0;

    public Task Writing { get; }

    public void Send(ReadOnlyMemory<byte> frame)
    {
        if (frame.Length > maxMessageBytes)
        {
            throw new FirstViscountException($"A message of {frame.Length} bytes exceeds the maximum message size of {maxMessageBytes} bytes.");
        }
        if (!IsConnected || !outgoing.Writer.TryWrite(frame.ToArray()))
        {
            throw new SiloUnavailableException($"The connection to {Target} is closed.", requestMayHaveStarted: false);
        }
    }

    public void Reply(ReadOnlyMemory<byte> frame)
    {
        if (IsConnected)
        {
            Send(frame);
        }
    }

    /// <summary>Reads frames until the peer closes or breaks the protocol; each frame goes to <paramref name="onFrame"/>.</summary>
    public async Task ReadLoopAsync(FrameHandler onFrame)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await pipe.Input.ReadAsync();
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, out var frame))
                {
                    onFrame(this, frame);
                }
                pipe.Input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception failure)
        {
            error = failure;
        }
        Close(error);
    }

    public void Close(Exception? error)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }
        outgoing.Writer.TryComplete();
        pipe.Input.CancelPendingRead();
        onClosed(this, error);
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > maxMessageBytes)
        {
            throw new InvalidDataException($"Frame length {length} is outside 0..{maxMessageBytes}; the peer does not speak this protocol.");
        }
        if (buffer.Length < 4 + length)
        {
            return false;
        }
        var body = buffer.Slice(4, length);
        frame = body.IsSingleSegment ? body.FirstSpan : body.ToArray();
        buffer = buffer.Slice(body.End);
        return true;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            var reader = outgoing.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                {
                    var span = pipe.Output.GetSpan(4);
                    BinaryPrimitives.WriteInt32LittleEndian(span, frame.Length);
                    pipe.Output.Advance(4);
                    pipe.Output.Write(frame);
                }
                var flush = await pipe.Output.FlushAsync();
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception error)
        {
            Close(error);
            return;
        }
        await pipe.Output.CompleteAsync();
    }
}

/// <summary>Receives one frame; the span is valid only during the call.</summary>
internal delegate void FrameHandler(FrameConnection connection, ReadOnlySpan<byte> frame);
