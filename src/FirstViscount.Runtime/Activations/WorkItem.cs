using FirstViscount.Invocation;

namespace FirstViscount.Activations;

/// <summary>How a piece of work may overlap with others on one activation.</summary>
internal enum TurnKind
{
    /// <summary>Runs alone: no other request of the activation is in progress.</summary>
    Exclusive,
    /// <summary>May overlap read-only work, never exclusive work.</summary>
    ReadOnly,
    /// <summary>May overlap anything (reentrant class, [AlwaysInterleave], interleaving timer).</summary>
    Interleave,
}

/// <summary>A request or timer tick that waits for, or runs in, a turn of an activation.</summary>
internal sealed class WorkItem
{
    private WorkItem(TurnKind kind, GrainRequest? request, ResponseCompletion? completion, GrainTimer? timer)
    {
        Kind = kind;
        Request = request;
        Completion = completion;
        Timer = timer;
    }

    public TurnKind Kind { get; }

    public GrainRequest? Request { get; }

    /// <summary>The caller's side; null for timer ticks.</summary>
    public ResponseCompletion? Completion { get; }

    public GrainTimer? Timer { get; }

    public static WorkItem ForRequest(TurnKind kind, GrainRequest request, ResponseCompletion completion) => new(kind, request, completion, null);

    public static WorkItem ForTimer(GrainTimer timer) => new(timer.Interleave ? TurnKind.Interleave : TurnKind.Exclusive, null, null, timer);
}
