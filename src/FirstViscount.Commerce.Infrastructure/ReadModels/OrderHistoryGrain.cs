using FirstViscount.Postgres.Streams;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>Keeps the order-history read model: one grain per queue of the event log, folding each batch's order events before the delivery completes.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class OrderHistoryGrain(IServiceProvider services) : EventLogProjectionGrain<OrderHistory>(services), IOrderHistoryGrain;

/// <summary>The grain has no methods of its own: Orleans streams call it.</summary>
public interface IOrderHistoryGrain : IGrainWithStringKey;
