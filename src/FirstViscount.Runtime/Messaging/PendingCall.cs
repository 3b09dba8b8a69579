using FirstViscount.Invocation;
using FirstViscount.Membership;

namespace FirstViscount.Messaging;

/// <summary>A remote call awaiting its response.</summary>
internal sealed class PendingCall(long callId, GrainId grainId, GrainRequest request, ResponseCompletion completion)
{
    public long CallId { get; } = callId;
    public GrainId GrainId { get; } = grainId;
    public GrainRequest Request { get; } = request;
    public ResponseCompletion Completion { get; } = completion;
    public SiloAddress? Target { get; set; }
    public int Attempts { get; set; }
}
