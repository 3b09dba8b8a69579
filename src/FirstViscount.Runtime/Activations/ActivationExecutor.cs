namespace FirstViscount.Activations;

/// <summary>
/// Runs an activation's code one piece at a time. It is the <see cref="SynchronizationContext"/> of grain
/// code, so every continuation after an await comes back here: even interleaved (reentrant) requests
/// never run in parallel. When idle, the first piece of a call runs inline on the caller's thread.
/// </summary>
internal sealed class ActivationExecutor : SynchronizationContext, IThreadPoolWorkItem
{
    private const int MaxItemsPerDrain = 64;

    private readonly Lock gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> queue = new();
    private readonly Action<Exception> onUnhandledException;
    private bool busy;

    public ActivationExecutor(Action<Exception> onUnhandledException)
    {
        this.onUnhandledException = onUnhandledException;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (gate)
        {
            queue.Enqueue((d, state));
            if (busy)
            {
                return;
            }
            busy = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code cannot block on its own activation.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Takes the executor for an inline run on the current thread; false if it is busy.</summary>
    public bool TryEnter()
    {
        lock (gate)
        {
            if (busy)
            {
                return false;
            }
            busy = true;
            return true;
        }
    }

    /// <summary>Ends an inline run, handing over to the thread pool if work arrived meanwhile.</summary>
    public void Exit()
    {
        lock (gate)
        {
            if (queue.Count == 0)
            {
                busy = false;
                return;
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        try
        {
            for (var i = 0; i < MaxItemsPerDrain; i++)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (gate)
                {
                    if (!queue.TryDequeue(out item))
                    {
                        busy = false;
                        return;
                    }
                }
                // Set before every item: a completion inside the previous one may have changed it.
                SetSynchronizationContext(this);
                try
                {
                    item.Callback(item.State);
                }
                catch (Exception error)
                {
                    // Only an `async void` in grain code gets here; the activation must keep running.
                    onUnhandledException(error);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
        // Yield the thread for fairness; still busy, so nothing else runs this activation meanwhile.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
