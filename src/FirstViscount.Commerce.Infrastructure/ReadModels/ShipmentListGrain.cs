using FirstViscount.Postgres.Streams;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>Keeps the shipments read model: one grain per queue of the event log, folding each batch's shipment events before the delivery completes.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class ShipmentListGrain(IServiceProvider services) : EventLogProjectionGrain<ShipmentList>(services), IShipmentListGrain;

/// <summary>The grain has no methods of its own: Orleans streams call it.</summary>
public interface IShipmentListGrain : IGrainWithStringKey;
