using FirstViscount.EventSourcing;
using Orleans.Streams.Core;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// A consumer of the event log's streams: derive from it, add <c>[ImplicitStreamSubscription(EventLogQueues.Namespace)]</c>,
/// and get one activation per queue that <see cref="ConsumeAsync"/>s each batch; a delivery completes when it returns
/// (throw to have it retried). Implicit subscriptions are by namespace, so a batch from another event-log provider than
/// <see cref="ProviderName"/> is acknowledged without being consumed.
/// </summary>
public abstract class EventLogConsumerGrain : Grain, IStreamSubscriptionObserver
{
    /// <summary>The provider this consumer reads (default <see cref="EventLogQueues.DefaultProvider"/>).</summary>
    protected virtual string ProviderName => EventLogQueues.DefaultProvider;

    protected abstract Task ConsumeAsync(IReadOnlyList<RecordedEvent> events);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        var handle = handleFactory.Create<IReadOnlyList<RecordedEvent>>(); // whole batches (EventLogBatch.GetEvents)
        await (handleFactory.ProviderName == ProviderName
            ? handle.ResumeAsync(ConsumeBatchesAsync, _ => Task.CompletedTask, () => Task.CompletedTask)
            : handle.ResumeAsync(_ => Task.CompletedTask, _ => Task.CompletedTask, () => Task.CompletedTask));
    }

    private async Task ConsumeBatchesAsync(IList<SequentialItem<IReadOnlyList<RecordedEvent>>> batches)
    {
        foreach (var batch in batches)
        {
            await ConsumeAsync(batch.Item);
        }
    }
}

/// <summary>Something kept from the event log, batch by batch (a read model, a sink): folding a batch again changes nothing.</summary>
public interface IEventLogProjection
{
    Task ApplyAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>
/// A consumer that applies each batch to the silo's <typeparamref name="TProjection"/>; in a silo without one registered
/// it only acknowledges (the queues are shared by every consumer, so none may hold them up).
/// </summary>
public abstract class EventLogProjectionGrain<TProjection>(IServiceProvider services) : EventLogConsumerGrain where TProjection : class, IEventLogProjection
{
    private readonly TProjection? projection = (TProjection?)services.GetService(typeof(TProjection));

    protected override Task ConsumeAsync(IReadOnlyList<RecordedEvent> events) => projection?.ApplyAsync(events) ?? Task.CompletedTask;
}
