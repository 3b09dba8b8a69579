using FirstViscount.Commerce.Inventory;
using FirstViscount.EventSourcing;
using Orleans.Concurrency;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;
using Orleans.Providers;

namespace FirstViscount.Benchmarks;

[Alias("fv.bench.journaled-sku")]
public interface IJournaledSkuGrain : IGrainWithStringKey
{
    [Alias("receive")]
    Task<int> Receive(int quantity);

    [Alias("reserve")]
    Task<bool> Reserve(string orderId, int quantity);

    [Alias("levels")]
    Task<(int OnHand, int Reserved)> Levels();
}

/// <summary>
/// The SKU's reservations written the other way the issue names: Orleans's JournaledGrain with the CustomStorage
/// log-consistency provider over the same PostgreSQL event store, deciding against TentativeState and answering
/// after ConfirmEvents. Kept in the benchmarks only, to measure it against <see cref="InventorySkuGrain"/>.
/// </summary>
[Reentrant]
[LogConsistencyProvider(ProviderName = HotSkuBenchmark.JournaledProvider)]
public sealed class JournaledSkuGrain(IEventStore store, EventSerializer serializer)
    : JournaledGrain<InventoryState, object>, IJournaledSkuGrain, ICustomStorageInterface<InventoryState, object>
{
    private string StreamId => $"journaled-sku-{this.GetPrimaryKeyString()}";

    public async Task<int> Receive(int quantity)
    {
        RaiseEvent(new StockReceived(this.GetPrimaryKeyString(), quantity, "bench"));
        await ConfirmEvents();
        return State.OnHand;
    }

    public async Task<bool> Reserve(string orderId, int quantity)
    {
        if (TentativeState.Available < quantity || TentativeState.Reservations.ContainsKey(orderId))
        {
            return false;
        }
        RaiseEvent(new StockReserved(this.GetPrimaryKeyString(), orderId, quantity, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
        await ConfirmEvents();
        return true;
    }

    public Task<(int OnHand, int Reserved)> Levels() => Task.FromResult((State.OnHand, State.Reserved));

    protected override void TransitionState(InventoryState state, object @event) => state.Apply(@event);

    public async Task<KeyValuePair<int, InventoryState>> ReadStateFromStorage()
    {
        var state = new InventoryState();
        var version = 0L;
        foreach (var recorded in await store.ReadStreamAsync(StreamId, 0, CancellationToken.None))
        {
            state.Apply(serializer.Deserialize(recorded));
            version = recorded.Version;
        }
        return new(checked((int)version), state);
    }

    public async Task<bool> ApplyUpdatesToStorage(IReadOnlyList<object> updates, int expectedVersion)
    {
        try
        {
            await store.AppendAsync(StreamId, ExpectedVersion.At(expectedVersion),
                [.. updates.Select(update => serializer.Serialize(update, new EventMetadata()))], CancellationToken.None);
            return true;
        }
        catch (WrongExpectedVersionException)
        {
            return false;
        }
    }
}
