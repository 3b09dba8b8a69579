using System.Collections.Concurrent;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;
using Orleans.Streams;

namespace FirstViscount.EventStore.Tests.Streams;

public interface IRecordingConsumerGrain : IGrainWithStringKey;

/// <summary>A consumer of every event-log queue (one activation per queue) that records what it is given, and where.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class RecordingConsumerGrain(ILocalSiloDetails silo) : Grain, IRecordingConsumerGrain
{
    public const string Provider = "event-log-test";

    /// <summary>Every delivery: the queue (this grain's key), the silo it ran on, the batch's events.</summary>
    public static ConcurrentQueue<(string Queue, string Silo, IReadOnlyList<RecordedEvent> Events)> Deliveries { get; } = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(Provider).GetStream<RecordedEvent>(StreamId.Create(EventLogQueues.Namespace, this.GetPrimaryKeyString()));
        await ((IAsyncBatchObservable<RecordedEvent>)stream).SubscribeAsync(batch =>
        {
            Deliveries.Enqueue((this.GetPrimaryKeyString(), silo.SiloAddress.ToString(), [.. batch.Select(item => item.Item)]));
            return Task.CompletedTask;
        });
    }
}
