using System.Collections.Concurrent;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;

namespace FirstViscount.EventStore.Tests.Streams;

public interface IRecordingConsumerGrain : IGrainWithStringKey;

/// <summary>A consumer of every event-log queue of the test provider (one activation per queue) that records what it is given, and where.</summary>
[ImplicitStreamSubscription(EventLogQueues.Namespace)]
public sealed class RecordingConsumerGrain(ILocalSiloDetails silo) : EventLogConsumerGrain, IRecordingConsumerGrain
{
    public const string Provider = "event-log-test";

    /// <summary>Every delivery: the queue (this grain's key), the silo it ran on, the batch's events.</summary>
    public static ConcurrentQueue<(string Queue, string Silo, IReadOnlyList<RecordedEvent> Events)> Deliveries { get; } = new();

    protected override string ProviderName => Provider;

    protected override Task ConsumeAsync(IReadOnlyList<RecordedEvent> events)
    {
        Deliveries.Enqueue((this.GetPrimaryKeyString(), silo.SiloAddress.ToString(), events));
        return Task.CompletedTask;
    }
}
