using System.Collections.Concurrent;

namespace FirstViscount.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartTimer(TimeSpan dueTime, TimeSpan period);

    Task HoldUntil(string gate);

    Task<TimerReport> Report();
}

public sealed record TimerReport(int Ticks, int TicksDuringACall);

public class TimerGrain : Grain, ITimerGrain
{
    private bool inCall;
    private int ticks;
    private int ticksDuringACall;

    public Task StartTimer(TimeSpan dueTime, TimeSpan period)
    {
        RegisterGrainTimer(_ =>
        {
            ticks++;
            if (inCall)
            {
                ticksDuringACall++;
            }
            return Task.CompletedTask;
        }, dueTime, period);
        return Task.CompletedTask;
    }

    public async Task HoldUntil(string gate)
    {
        inCall = true;
        TestGates.Signal(gate + "/inside");
        await TestGates.WaitAsync(gate);
        inCall = false;
    }

    public Task<TimerReport> Report() => Task.FromResult(new TimerReport(ticks, ticksDuringACall));
}

public interface IFaultyGrain : IGrainWithStringKey
{
    Task ThrowInvalidOperation(string message);

    Task ThrowCustom(string message);

    Task<int> ThrowAfterAwait(string message);

    /// <summary>Does not answer until the test opens <paramref name="gate"/>.</summary>
    Task Hang(string gate);

    Task WaitForCancellation(CancellationToken cancellationToken);
}

/// <summary>An exception type without a (string) constructor: cannot be recreated on the caller's side.</summary>
public sealed class OrderRejectedException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

public class FaultyGrain : Grain, IFaultyGrain
{
    public Task ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    public Task ThrowCustom(string message) => throw new OrderRejectedException(7, message);

    public async Task<int> ThrowAfterAwait(string message)
    {
        await Task.Yield();
        throw new ArgumentException(message);
    }

    public Task Hang(string gate) => TestGates.WaitAsync(gate);

    public async Task WaitForCancellation(CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Clear();

    Task<string?> Etag();
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, ICounterGrain
{
    public async Task<int> Increment()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task Clear() => counter.ClearStateAsync();

    public Task<string?> Etag() => Task.FromResult(counter.Etag);
}

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task Touch();
}

/// <summary>Records activations and deactivations in <see cref="Journal"/>, per key.</summary>
public class LifecycleGrain : Grain, ILifecycleGrain
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Journal = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Record("activated");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Record("deactivated:" + reason.Code);
        return Task.CompletedTask;
    }

    public Task Touch() => Task.CompletedTask;

    private void Record(string what) => Journal.GetOrAdd(GetPrimaryKeyString(), _ => new()).Enqueue(what);
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task Touch();
}

[CollectionAgeLimit(Minutes = 2)]
public class ShortLivedGrain : Grain, IShortLivedGrain
{
    public Task Touch() => Task.CompletedTask;
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task Touch();
}

public class FailingActivationGrain : Grain, IFailingActivationGrain
{
    public static readonly ConcurrentDictionary<string, int> Attempts = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var attempt = Attempts.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return attempt == 1 ? throw new InvalidOperationException("activation refused once") : Task.CompletedTask;
    }

    public Task Touch() => Task.CompletedTask;
}
