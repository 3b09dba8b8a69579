using FirstViscount.Hosting;
using FirstViscount.Catalog;
using FirstViscount.Invocation;
using FirstViscount.Messaging;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Activations;

/// <summary>
/// One live instance of a grain on this silo. It admits requests turn by turn (one at a time unless the
/// class is reentrant or the method interleaves), runs grain code on its <see cref="ActivationExecutor"/>,
/// and owns the lifecycle: activate (read state, OnActivateAsync), serve, deactivate (OnDeactivateAsync).
/// Requests that reach an activation after it ended are routed again, to a fresh activation or the new owner.
/// </summary>
internal sealed partial class Activation : IGrainContext
{
    private enum Phase { Created, Activating, Valid, Deactivating, Invalid }

    private readonly Lock gate = new();
    private readonly Queue<WorkItem> waiting = new();
    private readonly SiloRuntime runtime;
    private readonly ActivationExecutor executor;
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GrainTimer> timers = [];
    private Phase phase;
    private int running;
    private bool exclusiveRunning;
    private DeactivationReason? requestedDeactivation;
    private long lastActiveTimestamp;
    private Grain? grain;

    public Activation(GrainId grainId, GrainClassInfo grainClass, SiloRuntime runtime)
    {
        GrainId = grainId;
        GrainClass = grainClass;
        this.runtime = runtime;
        executor = new ActivationExecutor(error => LogUnhandled(runtime.Logger, grainId, error));
        lastActiveTimestamp = runtime.Time.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public GrainClassInfo GrainClass { get; }

    public IGrainFactory GrainFactory => runtime.GrainFactory;

    public IServiceProvider Services => runtime.Services;

    public TimeProvider TimeProvider => runtime.Time;

    /// <summary>Completes when the activation has ended, gracefully or not.</summary>
    public Task Ended => ended.Task;

    /// <summary>
    /// Admits <paramref name="request"/>. When it may start at once and the executor is free, its first part
    /// runs inline on the caller's thread; a synchronous grain method then costs no allocation beyond its own.
    /// </summary>
    public Task Invoke(GrainRequest request, TimeSpan timeout)
    {
        var kind = KindOf(request.Options);
        lock (gate)
        {
            if (phase == Phase.Invalid)
            {
                return runtime.Router.InvokeAfterActivationEnded(GrainId, request);
            }
            if (!CanStartNow(kind))
            {
                var completion = request.CreateCompletion();
                CallTimeouts.Register(completion, timeout, runtime.Time, request);
                waiting.Enqueue(WorkItem.ForRequest(kind, request, completion));
                if (phase == Phase.Created)
                {
                    phase = Phase.Activating;
                    executor.Post(static state => _ = ((Activation)state!).ActivateAsync(), this);
                }
                return completion.Task;
            }
            Begin(kind);
        }
        return RunStartedRequest(request, kind, timeout);
    }

    /// <summary>Queues a timer tick as a turn.</summary>
    public void EnqueueTimerTick(GrainTimer timer)
    {
        var item = WorkItem.ForTimer(timer);
        lock (gate)
        {
            if (phase != Phase.Valid)
            {
                return;
            }
            if (!CanStartNow(item.Kind))
            {
                waiting.Enqueue(item);
                return;
            }
            Begin(item.Kind);
        }
        Post(item);
    }

    public void Deactivate(DeactivationReason reason)
    {
        bool start;
        lock (gate)
        {
            if (phase is Phase.Deactivating or Phase.Invalid || requestedDeactivation is not null)
            {
                return;
            }
            requestedDeactivation = reason;
            start = TryBeginDeactivation();
        }
        if (start)
        {
            executor.Post(static state => _ = ((Activation)state!).DeactivateAsync(), this);
        }
    }

    /// <summary>Deactivates and waits until the activation has ended.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        Deactivate(reason);
        return Ended;
    }

    /// <summary>True when nothing runs or waits and the last turn ended at least <paramref name="age"/> ago.</summary>
    public bool IsIdleFor(TimeSpan age)
    {
        lock (gate)
        {
            return phase == Phase.Valid && running == 0 && waiting.Count == 0 && requestedDeactivation is null
                && runtime.Time.GetElapsedTime(lastActiveTimestamp) >= age;
        }
    }

    /// <summary>Ends the activation at once, as when its silo dies: no OnDeactivateAsync, no write-back.</summary>
    public void Abort()
    {
        List<WorkItem> abandoned;
        lock (gate)
        {
            phase = Phase.Invalid;
            abandoned = [.. waiting];
            waiting.Clear();
        }
        StopTimers();
        foreach (var item in abandoned)
        {
            item.Completion?.TrySetException(new SiloUnavailableException($"The silo hosting {GrainId} stopped before the call started.", requestMayHaveStarted: false));
        }
        ended.TrySetResult();
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave)
    {
        var timer = new GrainTimer(this, callback, dueTime, period, interleave, runtime.Time);
        lock (gate)
        {
            timers.Add(timer);
        }
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    public override string ToString() => $"activation of {GrainId}";

    private static TurnKind KindOf(GrainCallOptions options) =>
        (options & GrainCallOptions.AlwaysInterleave) != 0 ? TurnKind.Interleave
        : (options & GrainCallOptions.ReadOnly) != 0 ? TurnKind.ReadOnly
        : TurnKind.Exclusive;

    private bool CanStartNow(TurnKind kind) => waiting.Count == 0 && CanStart(kind);

    private bool CanStart(TurnKind kind)
    {
        if (phase != Phase.Valid || requestedDeactivation is not null)
        {
            return false;
        }
        if (kind == TurnKind.Interleave || GrainClass.IsReentrant)
        {
            return true;
        }
        return kind == TurnKind.ReadOnly ? !exclusiveRunning : running == 0;
    }

    private void Begin(TurnKind kind)
    {
        running++;
        if (kind == TurnKind.Exclusive && !GrainClass.IsReentrant)
        {
            exclusiveRunning = true;
        }
    }

    private Task RunStartedRequest(GrainRequest request, TurnKind kind, TimeSpan timeout)
    {
        if (!executor.TryEnter())
        {
            var completion = request.CreateCompletion();
            CallTimeouts.Register(completion, timeout, runtime.Time, request);
            Post(WorkItem.ForRequest(kind, request, completion));
            return completion.Task;
        }

        Task task;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(executor);
        try
        {
            task = request.Invoke(grain!);
        }
        catch (Exception error)
        {
            task = Task.FromException(error);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            executor.Exit();
        }

        if (task.IsCompleted)
        {
            EndTurn(kind, task);
            return task;
        }
        var pending = request.CreateCompletion();
        CallTimeouts.Register(pending, timeout, runtime.Time, request);
        ContinueWhenDone(task, WorkItem.ForRequest(kind, request, pending));
        return pending.Task;
    }

    /// <summary>Runs a started work item on the executor.</summary>
    private void RunItem(WorkItem item)
    {
        Task task;
        try
        {
            task = item.Request is not null ? item.Request.Invoke(grain!) : item.Timer!.InvokeCallback();
        }
        catch (Exception error)
        {
            task = Task.FromException(error);
        }
        if (task.IsCompleted)
        {
            Complete(item, task);
        }
        else
        {
            ContinueWhenDone(task, item);
        }
    }

    private void ContinueWhenDone(Task task, WorkItem item) =>
        task.ContinueWith(
            static (done, state) => { var (activation, work) = ((Activation, WorkItem))state!; activation.Complete(work, done); },
            (this, item), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void Complete(WorkItem item, Task task)
    {
        item.Completion?.TrySetFrom(task);
        item.Timer?.OnTickCompleted();
        EndTurn(item.Kind, task);
    }

    private void EndTurn(TurnKind kind, Task task)
    {
        if (task.IsFaulted && IsInconsistentState(task.Exception))
        {
            Deactivate(new DeactivationReason(DeactivationReasonCode.InconsistentState, "a state write conflicted; state must be re-read"));
        }
        List<WorkItem>? startable = null;
        bool deactivate;
        lock (gate)
        {
            running--;
            if (kind == TurnKind.Exclusive)
            {
                exclusiveRunning = false;
            }
            lastActiveTimestamp = runtime.Time.GetTimestamp();
            deactivate = TryBeginDeactivation();
            if (!deactivate)
            {
                startable = TakeStartable();
            }
        }
        StartAll(startable);
        if (deactivate)
        {
            executor.Post(static state => _ = ((Activation)state!).DeactivateAsync(), this);
        }
    }

    private static bool IsInconsistentState(AggregateException? error) =>
        error?.InnerExceptions.Any(e => e is InconsistentStateException || e.InnerException is InconsistentStateException) == true;

    /// <summary>Under the lock: moves from Valid to Deactivating when one was requested and nothing runs.</summary>
    private bool TryBeginDeactivation()
    {
        if (phase != Phase.Valid || requestedDeactivation is null || running > 0)
        {
            return false;
        }
        phase = Phase.Deactivating;
        return true;
    }

    /// <summary>Under the lock: dequeues every waiting item that may start now, in order.</summary>
    private List<WorkItem>? TakeStartable()
    {
        List<WorkItem>? startable = null;
        while (waiting.TryPeek(out var next) && CanStart(next.Kind))
        {
            waiting.Dequeue();
            Begin(next.Kind);
            (startable ??= []).Add(next);
        }
        return startable;
    }

    private void StartAll(List<WorkItem>? startable)
    {
        if (startable is null)
        {
            return;
        }
        foreach (var item in startable)
        {
            Post(item);
        }
    }

    private void Post(WorkItem item) =>
        executor.Post(static state => { var (activation, work) = ((Activation, WorkItem))state!; activation.RunItem(work); }, (this, item));

    private void StopTimers()
    {
        GrainTimer[] toStop;
        lock (gate)
        {
            toStop = [.. timers];
            timers.Clear();
        }
        foreach (var timer in toStop)
        {
            timer.Stop();
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception in grain code of {GrainId} (an async void method?)")]
    private static partial void LogUnhandled(ILogger logger, GrainId grainId, Exception error);
}
