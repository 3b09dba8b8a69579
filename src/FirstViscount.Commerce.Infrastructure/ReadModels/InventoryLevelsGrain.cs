using FirstViscount.Postgres.Streams;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>Keeps the inventory-levels read model: one grain per queue of the event log, folding each batch's SKU events before the delivery completes.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class InventoryLevelsGrain(IServiceProvider services) : EventLogProjectionGrain<InventoryLevels>(services), IInventoryLevelsGrain;

/// <summary>The grain has no methods of its own: Orleans streams call it.</summary>
public interface IInventoryLevelsGrain : IGrainWithStringKey;
