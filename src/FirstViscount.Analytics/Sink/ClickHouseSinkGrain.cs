using FirstViscount.Postgres.Streams;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// The ClickHouse sink: one grain per queue of the event log, given whole batches by Orleans's pulling agent. A batch
/// is in ClickHouse before its delivery completes, so the queue's checkpoint only ever moves past events that are
/// queryable; a failed insert (ClickHouse down) fails the delivery, which Orleans retries until it succeeds.
/// </summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class ClickHouseSinkGrain(IServiceProvider services) : EventLogProjectionGrain<ClickHouseDelivery>(services), IClickHouseSinkGrain;

/// <summary>The sink grain has no methods of its own: Orleans streams call it.</summary>
public interface IClickHouseSinkGrain : IGrainWithStringKey;
