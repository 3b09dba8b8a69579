using FirstViscount.EventSourcing;
using FirstViscount.Postgres.Streams;

namespace FirstViscount.EventStore.Tests.Streams;

public sealed class EventLogBatchTests
{
    private static readonly List<RecordedEvent> Events =
    [
        .. Enumerable.Range(1, 3).Select(i => new RecordedEvent($"order-{i}", 1, i, Guid.NewGuid(), "order.placed", 1, "{}"u8.ToArray(), new EventMetadata(), DateTimeOffset.UnixEpoch)),
    ];

    private static readonly EventLogBatch Batch = new(EventLogQueues.StreamOf(0), Events, new EventLogSequenceToken(new GlobalCheckpoint(7, 3)));

    [Fact]
    public void A_consumer_of_events_gets_each_event_with_its_index_in_the_batch()
    {
        var items = Batch.GetEvents<RecordedEvent>().ToList();

        Assert.Equal(Events, items.Select(item => item.Item1));
        Assert.Equal([0, 1, 2], items.Select(item => item.Item2.EventIndex));
        Assert.All(items, item => Assert.Equal(3, item.Item2.SequenceNumber));
    }

    [Fact]
    public void A_consumer_of_whole_batches_gets_the_batch_as_one_item_with_the_batch_token()
    {
        var item = Assert.Single(Batch.GetEvents<IReadOnlyList<RecordedEvent>>());

        Assert.Same(Events, item.Item1);
        Assert.Equal(Batch.Token, item.Item2);
    }

    [Fact]
    public void A_consumer_of_another_type_gets_nothing()
    {
        Assert.Empty(Batch.GetEvents<string>());
    }
}
