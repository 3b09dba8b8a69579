namespace FirstViscount.TestGrains;

/// <summary>Records every acknowledged append, so a test can check none was lost.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Appends <paramref name="sequence"/>; returns only after it is durable.</summary>
    Task<int> Append(long sequence);

    Task<long[]> Entries();
}

public sealed class LedgerState
{
    public List<long> Entries { get; set; } = [];
}

[GrainType("test-ledger")]
public sealed class LedgerGrain([PersistentState("ledger")] IPersistentState<LedgerState> ledger) : Grain, ILedgerGrain
{
    public async Task<int> Append(long sequence)
    {
        ledger.State.Entries.Add(sequence);
        await ledger.WriteStateAsync();
        return ledger.State.Entries.Count;
    }

    public Task<long[]> Entries() => Task.FromResult(ledger.State.Entries.ToArray());
}

/// <summary>Writes its state on a timer, to observe when (and whether) a silo writes.</summary>
public interface ITickerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task<long> Ticks();
}

public sealed class TickerState
{
    public long Ticks { get; set; }
}

[GrainType("test-ticker")]
public sealed class TickerGrain([PersistentState("ticker")] IPersistentState<TickerState> ticker) : Grain, ITickerGrain
{
    private IGrainTimer? timer;

    public Task Start(TimeSpan period)
    {
        timer ??= RegisterGrainTimer(async cancellationToken =>
        {
            ticker.State.Ticks++;
            await ticker.WriteStateAsync(cancellationToken);
        }, period, period);
        return Task.CompletedTask;
    }

    public Task<long> Ticks() => Task.FromResult(ticker.State.Ticks);
}
