namespace FirstViscount.Activations;

/// <summary>
/// A grain timer: each tick is a turn of its activation, and the next tick is scheduled only after the
/// previous callback has completed, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly Func<CancellationToken, Task> callback;
    private readonly ITimer timer;
    private readonly CancellationTokenSource stopped = new();
    private TimeSpan period;
    private volatile bool disposed;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave, TimeProvider time)
    {
        Activation = activation;
        Interleave = interleave;
        this.callback = callback;
        this.period = period;
        timer = time.CreateTimer(static state => ((GrainTimer)state!).OnDue(), this, dueTime, Timeout.InfiniteTimeSpan);
    }

    public Activation Activation { get; }

    public bool Interleave { get; }

    public Task InvokeCallback() => disposed ? Task.CompletedTask : callback(stopped.Token);

    public void OnTickCompleted()
    {
        if (!disposed && period != Timeout.InfiniteTimeSpan)
        {
            timer.Change(period, Timeout.InfiniteTimeSpan);
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        this.period = period;
        timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        Stop();
        Activation.RemoveTimer(this);
    }

    /// <summary>Stops without touching the activation's timer list (the activation is ending).</summary>
    public void Stop()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        timer.Dispose();
        stopped.Cancel();
    }

    private void OnDue()
    {
        if (!disposed)
        {
            Activation.EnqueueTimerTick(this);
        }
    }
}
