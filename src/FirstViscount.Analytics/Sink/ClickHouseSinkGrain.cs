using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;
using Orleans.Streams;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// The ClickHouse sink: one grain per queue of the event log (implicit subscription; key = the queue's partition),
/// given whole batches by Orleans's pulling agent. A batch is in ClickHouse before its delivery completes, so the
/// queue's checkpoint only ever moves past events that are queryable; a failed insert (ClickHouse down) fails the
/// delivery, which Orleans retries until it succeeds.
/// </summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class ClickHouseSinkGrain(ClickHouseDelivery delivery) : Grain, IClickHouseSinkGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(AnalyticsStreams.ProviderName).GetStream<RecordedEvent>(StreamId.Create(EventLogQueues.Namespace, this.GetPrimaryKeyString()));
        await ((IAsyncBatchObservable<RecordedEvent>)stream).SubscribeAsync(batch => delivery.DeliverAsync([.. batch.Select(item => item.Item)]));
    }
}

/// <summary>The sink grain has no methods of its own: Orleans streams call it.</summary>
public interface IClickHouseSinkGrain : IGrainWithStringKey;
