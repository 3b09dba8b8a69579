using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FirstViscount.Invocation;
using FirstViscount.Membership;

namespace FirstViscount.Messaging;

/// <summary>
/// The caller's side of remote calls: numbers them, multiplexes them over one connection per target silo,
/// matches responses, and sends a call that a silo rejected, or could not be reached with, to the new owner.
/// When a connection drops, its calls in flight fail at once (they may have started).
/// </summary>
internal sealed class OutboundCalls(IMessageTransport transport, IClusterMembership membership, GrainCallRouter router, TimeProvider time)
    : IOutboundFrameHandler
{
    // Backoff caps at 1 s, so this outlasts any call timeout: a call is retried until its owner is back or it times out.
    private const int MaxAttempts = 64;

    private readonly ConcurrentDictionary<long, PendingCall> pending = new();
    private readonly ConcurrentDictionary<SiloAddress, IOutboundConnection> connections = new();
    private long lastCallId;

    public JsonSerializerOptions Json { get; set; } = null!;

    public int PendingCount => pending.Count;

    public Task Send(SiloAddress target, GrainId grainId, GrainRequest request, TimeSpan timeout)
    {
        var call = new PendingCall(Interlocked.Increment(ref lastCallId), grainId, request, request.CreateCompletion());
        CallTimeouts.Register(call.Completion, timeout, time, request);
        call.Completion.Task.ContinueWith(static (_, state) =>
        {
            var (calls, call) = ((ConcurrentDictionary<long, PendingCall>, PendingCall))state!;
            calls.TryRemove(call.CallId, out var _);
        }, (pending, call), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (request.CancellationToken.CanBeCanceled)
        {
            request.CancellationToken.Register(static state =>
            {
                var (self, call) = ((OutboundCalls, PendingCall))state!;
                self.Cancel(call);
            }, (this, call));
        }
        _ = DispatchAsync(call, target);
        return call.Completion.Task;
    }

    public void OnResponse(IOutboundConnection connection, ReadOnlySpan<byte> frame)
    {
        var reader = new FrameReader(frame);
        if ((FrameKind)reader.ReadByte() != FrameKind.Response)
        {
            throw new FormatException("Expected a response frame.");
        }
        var callId = reader.ReadInt64();
        var status = (ResponseStatus)reader.ReadByte();
        if (!pending.TryRemove(callId, out var call))
        {
            return; // timed out or cancelled already
        }
        var json = new Utf8JsonReader(reader.Rest);
        try
        {
            switch (status)
            {
                case ResponseStatus.Ok:
                    call.Completion.TrySetResult(ref json, Json);
                    break;
                case ResponseStatus.Error:
                    call.Completion.TrySetException(ExceptionCodec.Read(ref json));
                    break;
                case ResponseStatus.Canceled:
                    call.Completion.TrySetCanceled(call.Request.CancellationToken);
                    break;
                case ResponseStatus.Rejected:
                    _ = RetryAsync(call, Encoding.UTF8.GetString(reader.Rest));
                    break;
                default:
                    call.Completion.TrySetException(new FormatException($"Unknown response status {status}."));
                    break;
            }
        }
        catch (Exception error) when (error is JsonException or FormatException or NotSupportedException)
        {
            call.Completion.TrySetException(new FirstViscountException($"The response to {call.Request} could not be read.", error));
        }
    }

    public void OnClosed(IOutboundConnection connection, Exception? error)
    {
        connections.TryRemove(new KeyValuePair<SiloAddress, IOutboundConnection>(connection.Target, connection));
        foreach (var call in pending.Values.Where(c => c.Target == connection.Target))
        {
            if (pending.TryRemove(call.CallId, out _))
            {
                call.Completion.TrySetException(new SiloUnavailableException(
                    $"The connection to {connection.Target} was lost while {call.Request} was in flight; it may have run.", requestMayHaveStarted: true, error));
            }
        }
    }

    /// <summary>Fails every call in flight, as when this process dies.</summary>
    public void AbortAll()
    {
        foreach (var call in pending.Values)
        {
            call.Completion.TrySetException(new SiloUnavailableException("This silo stopped.", requestMayHaveStarted: true));
        }
        pending.Clear();
    }

    private async Task DispatchAsync(PendingCall call, SiloAddress target)
    {
        call.Target = target;
        try
        {
            if (!connections.TryGetValue(target, out var connection) || !connection.IsConnected)
            {
                connection = await transport.ConnectAsync(target, this, CancellationToken.None);
                connections[target] = connection;
            }
            pending[call.CallId] = call;
            connection.Send(Encode(call));
        }
        catch (SiloUnavailableException error) when (!error.RequestMayHaveStarted)
        {
            pending.TryRemove(call.CallId, out _);
            await RetryAsync(call, error.Message);
        }
        catch (Exception error)
        {
            pending.TryRemove(call.CallId, out _);
            call.Completion.TrySetException(error);
        }
    }

    /// <summary>The request never started: find the owner again and send it there.</summary>
    private async Task RetryAsync(PendingCall call, string why)
    {
        var previous = call.Target;
        if (++call.Attempts > MaxAttempts)
        {
            call.Completion.TrySetException(new SiloUnavailableException($"{call.Request} could not be delivered after {MaxAttempts} attempts: {why}", requestMayHaveStarted: false));
            return;
        }
        await membership.RefreshAsync(CancellationToken.None);
        var owner = Placement.RendezvousPlacement.SelectOwner(call.GrainId, membership.CurrentView);
        if (owner is null || owner == previous)
        {
            // The view has not caught up yet: back off (real time; a fake test clock must not stall delivery).
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25L << Math.Min(call.Attempts, 10))));
            await membership.RefreshAsync(CancellationToken.None);
            owner = Placement.RendezvousPlacement.SelectOwner(call.GrainId, membership.CurrentView);
        }
        if (call.Completion.Task.IsCompleted)
        {
            return;
        }
        if (owner is null)
        {
            call.Completion.TrySetException(new SiloUnavailableException($"No silo is active to serve {call.GrainId}.", requestMayHaveStarted: false));
        }
        else if (router.IsLocal(owner))
        {
            var local = router.InvokeLocal(call.GrainId, call.Request, Timeout.InfiniteTimeSpan);
            _ = local.ContinueWith(static (done, completion) => ((ResponseCompletion)completion!).TrySetFrom(done), call.Completion,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            await DispatchAsync(call, owner);
        }
    }

    private void Cancel(PendingCall call)
    {
        if (!pending.TryRemove(call.CallId, out _))
        {
            return;
        }
        call.Completion.TrySetCanceled(call.Request.CancellationToken);
        if (call.Target is { } target && connections.TryGetValue(target, out var connection))
        {
            var frame = new ArrayBufferWriter<byte>(16);
            FrameWriter.WriteByte(frame, (byte)FrameKind.Cancel);
            FrameWriter.WriteInt64(frame, call.CallId);
            try
            {
                connection.Send(frame.WrittenMemory);
            }
            catch (SiloUnavailableException)
            {
                // The callee is gone; there is nothing left to cancel.
            }
        }
    }

    private ReadOnlyMemory<byte> Encode(PendingCall call)
    {
        var frame = new ArrayBufferWriter<byte>(256);
        new RequestHeader(call.CallId, call.GrainId, call.Request.InterfaceName, call.Request.MethodKey, call.Request.CancellationToken.CanBeCanceled).Write(frame);
        using (var writer = new Utf8JsonWriter(frame))
        {
            call.Request.WriteArguments(writer, Json);
        }
        return frame.WrittenMemory;
    }
}
