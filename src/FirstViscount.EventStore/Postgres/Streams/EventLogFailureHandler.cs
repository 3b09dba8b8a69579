using Microsoft.Extensions.Logging;

namespace FirstViscount.Postgres.Streams;

/// <summary>
/// Never faults a subscription. With delivery retried without a time limit (see
/// <see cref="EventLogStreamsSiloBuilderExtensions"/>), Orleans calls this only when it cannot deliver at all; the
/// batch then stays before the checkpoint and is delivered again after the queue restarts.
/// </summary>
internal sealed class EventLogFailureHandler(ILogger logger) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamId, StreamSequenceToken? sequenceToken)
    {
        logger.LogError("Event-log streams '{Provider}' could not deliver {Token} on {Stream} to subscription {Subscription}", streamProviderName, sequenceToken, streamId, subscriptionId);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamId, StreamSequenceToken? sequenceToken)
    {
        logger.LogError("Event-log streams '{Provider}': subscription {Subscription} on {Stream} failed at {Token}", streamProviderName, subscriptionId, streamId, sequenceToken);
        return Task.CompletedTask;
    }
}
