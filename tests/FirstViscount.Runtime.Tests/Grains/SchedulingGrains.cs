namespace FirstViscount.Runtime.Tests.Grains;

public interface IConcurrencyProbeGrain : IGrainWithStringKey
{
    /// <summary>Records how many calls are inside the grain at once, across an await.</summary>
    Task Enter(int yieldCount);

    [ReadOnly]
    Task ReadWhileGated(string gate);

    Task WriteMarker();

    [AlwaysInterleave]
    Task<int> InterleavedPeek();

    Task HoldUntil(string gate);

    Task<int> MaxObservedConcurrency();

    Task<int> ParallelExecutions();

    Task<int> WritesSeen();
}

public class ConcurrencyProbeGrain : Grain, IConcurrencyProbeGrain
{
    private int inside;
    private int maxInside;
    private int executingNow;
    private int parallelExecutions;
    private int writes;

    public async Task Enter(int yieldCount)
    {
        Arrive();
        for (var i = 0; i < yieldCount; i++)
        {
            await Task.Yield();
            CheckNotParallel();
        }
        inside--;
        Depart();
    }

    public async Task ReadWhileGated(string gate)
    {
        Arrive();
        TestGates.Signal(gate + "/" + inside);
        await TestGates.WaitAsync(gate);
        inside--;
        Depart();
    }

    public Task WriteMarker()
    {
        writes++;
        return Task.CompletedTask;
    }

    public Task<int> InterleavedPeek() => Task.FromResult(inside);

    public async Task HoldUntil(string gate)
    {
        Arrive();
        TestGates.Signal(gate + "/inside");
        await TestGates.WaitAsync(gate);
        inside--;
        Depart();
    }

    public Task<int> MaxObservedConcurrency() => Task.FromResult(maxInside);

    public Task<int> ParallelExecutions() => Task.FromResult(parallelExecutions);

    public Task<int> WritesSeen() => Task.FromResult(writes);

    private void Arrive()
    {
        inside++;
        maxInside = Math.Max(maxInside, inside);
        CheckNotParallel();
    }

    private void Depart() => CheckNotParallel();

    /// <summary>Detects two threads inside grain code at the same moment (never allowed, even when reentrant).</summary>
    private void CheckNotParallel()
    {
        if (Interlocked.Increment(ref executingNow) > 1)
        {
            Interlocked.Increment(ref parallelExecutions);
        }
        Thread.SpinWait(200);
        Interlocked.Decrement(ref executingNow);
    }
}

public interface IReentrantProbeGrain : IGrainWithStringKey
{
    Task MeetAtBarrier(string barrier, int parties);

    Task<int> ParallelExecutions();
}

[Reentrant]
public class ReentrantProbeGrain : Grain, IReentrantProbeGrain
{
    private readonly Dictionary<string, (int Arrived, TaskCompletionSource AllThere)> barriers = [];
    private int executingNow;
    private int parallelExecutions;

    public async Task MeetAtBarrier(string barrier, int parties)
    {
        CheckNotParallel();
        if (!barriers.TryGetValue(barrier, out var entry))
        {
            entry = (0, new TaskCompletionSource());
        }
        entry.Arrived++;
        barriers[barrier] = entry;
        if (entry.Arrived == parties)
        {
            entry.AllThere.SetResult();
        }
        await entry.AllThere.Task;
        CheckNotParallel();
    }

    public Task<int> ParallelExecutions() => Task.FromResult(parallelExecutions);

    private void CheckNotParallel()
    {
        if (Interlocked.Increment(ref executingNow) > 1)
        {
            Interlocked.Increment(ref parallelExecutions);
        }
        Thread.SpinWait(500);
        Interlocked.Decrement(ref executingNow);
    }
}
