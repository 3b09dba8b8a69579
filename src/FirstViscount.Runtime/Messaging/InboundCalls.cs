using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FirstViscount.Invocation;
using FirstViscount.Membership;

namespace FirstViscount.Messaging;

/// <summary>
/// The callee's side of remote calls: decodes a request, rejects it untouched if this silo does not own the
/// grain (so the caller may safely send it to the owner), runs it on the local activation, and answers.
/// </summary>
internal sealed class InboundCalls(GrainCallRouter router) : IInboundFrameHandler
{
    private readonly ConcurrentDictionary<(IReplyChannel Channel, long CallId), CancellationTokenSource> cancellable = new();

    public JsonSerializerOptions Json { get; set; } = null!;

    public void OnRequest(IReplyChannel replyChannel, ReadOnlySpan<byte> frame)
    {
        var reader = new FrameReader(frame);
        var kind = (FrameKind)reader.ReadByte();
        if (kind == FrameKind.Cancel)
        {
            if (cancellable.TryRemove((replyChannel, reader.ReadInt64()), out var cancelled))
            {
                cancelled.Cancel();
            }
            return;
        }
        if (kind != FrameKind.Request)
        {
            throw new FormatException($"Unexpected frame kind {kind} on an inbound connection.");
        }

        var header = RequestHeader.Read(ref reader);
        GrainRequest request;
        try
        {
            request = router.CreateRequest(header.InterfaceName, header.MethodKey);
            var json = new Utf8JsonReader(reader.Rest);
            request.ReadArguments(ref json, Json);
        }
        catch (Exception error)
        {
            Reply(replyChannel, header.CallId, request: null, Task.FromException(new FirstViscountException($"Cannot accept a call of {header.InterfaceName}.{header.MethodKey}: {error.Message}", error)));
            return;
        }

        if (!router.CanServe(header.GrainId, out var why))
        {
            Reject(replyChannel, header.CallId, why);
            return;
        }
        CancellationTokenSource? source = null;
        if (header.Cancellable)
        {
            source = new CancellationTokenSource();
            request.CancellationToken = source.Token;
            cancellable[(replyChannel, header.CallId)] = source;
        }

        var task = router.InvokeLocal(header.GrainId, request, Timeout.InfiniteTimeSpan);
        if (task.IsCompleted)
        {
            Finish(replyChannel, header.CallId, request, task, source);
        }
        else
        {
            task.ContinueWith(static (done, state) =>
            {
                var (self, channel, callId, request, source) = ((InboundCalls, IReplyChannel, long, GrainRequest, CancellationTokenSource?))state!;
                self.Finish(channel, callId, request, done, source);
            }, (this, replyChannel, header.CallId, request, source), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Finish(IReplyChannel channel, long callId, GrainRequest request, Task done, CancellationTokenSource? source)
    {
        if (source is not null)
        {
            cancellable.TryRemove((channel, callId), out _);
            source.Dispose();
        }
        Reply(channel, callId, request, done);
    }

    private void Reply(IReplyChannel channel, long callId, GrainRequest? request, Task done)
    {
        var frame = new ArrayBufferWriter<byte>(128);
        try
        {
            Encode(frame, callId, request, done);
        }
        catch (Exception error)
        {
            frame.ResetWrittenCount();
            Encode(frame, callId, null, Task.FromException(new FirstViscountException($"The result of {request} could not be serialised: {error.Message}", error)));
        }
        try
        {
            channel.Reply(frame.WrittenMemory);
        }
        catch (FirstViscountException error) when (error is not SiloUnavailableException)
        {
            // The result is too large to send: the caller gets the reason instead of waiting for a timeout.
            frame.ResetWrittenCount();
            Encode(frame, callId, null, Task.FromException(new FirstViscountException($"The result of {request} could not be sent: {error.Message}", error)));
            channel.Reply(frame.WrittenMemory);
        }
    }

    private void Encode(ArrayBufferWriter<byte> frame, long callId, GrainRequest? request, Task done)
    {
        FrameWriter.WriteByte(frame, (byte)FrameKind.Response);
        FrameWriter.WriteInt64(frame, callId);
        var status = done.IsCanceled ? ResponseStatus.Canceled
            : done.IsFaulted ? (done.Exception!.InnerException is OperationCanceledException ? ResponseStatus.Canceled : ResponseStatus.Error)
            : ResponseStatus.Ok;
        FrameWriter.WriteByte(frame, (byte)status);
        using var writer = new Utf8JsonWriter(frame);
        if (status == ResponseStatus.Error)
        {
            ExceptionCodec.Write(writer, done.Exception!.InnerExceptions.Count == 1 ? done.Exception.InnerException! : done.Exception);
        }
        else if (status == ResponseStatus.Ok)
        {
            request!.WriteResult(done, writer, Json);
        }
    }

    private static void Reject(IReplyChannel channel, long callId, string why)
    {
        var frame = new ArrayBufferWriter<byte>(64);
        FrameWriter.WriteByte(frame, (byte)FrameKind.Response);
        FrameWriter.WriteInt64(frame, callId);
        FrameWriter.WriteByte(frame, (byte)ResponseStatus.Rejected);
        var bytes = Encoding.UTF8.GetBytes(why);
        frame.Write(bytes);
        channel.Reply(frame.WrittenMemory);
    }
}
