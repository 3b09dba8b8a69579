using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Sink;
using FirstViscount.Commerce;
using FirstViscount.Commerce.Delivery;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

/// <summary>
/// Deliveries per day and the on-time rate (GET /v1/analytics/deliveries): shipment events go through the sink into
/// ClickHouse as the shipment grain records them; a shipment counts once, on the day its carrier first reported it delivered.
/// </summary>
[Trait("Category", "Analytics")]
public sealed class DeliveryAnalyticsTests
{
    // Days far from today, so the shipments other tests deliver into the shared log never fall in the range.
    private static readonly DateOnly Day1 = new(2035, 3, 1);
    private static readonly EventSerializer Serializer = CommerceEvents.CreateSerializer();

    private static EventData Created(string id, DateOnly promised) =>
        Serializer.Serialize(new ShipmentCreated(id, id, CarrierRules.Post, $"FV{id[^6..]}", "DE", 500, promised), new EventMetadata());

    private static EventData Tracked(string id, string eventId, ShipmentStatus status, DateTimeOffset at) =>
        Serializer.Serialize(new ShipmentTracked(id, id, eventId, status, status.ToString().ToUpperInvariant(), "Berlin", "", at), new EventMetadata());

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    [Fact]
    public async Task Each_delivered_shipment_counts_once_on_the_day_it_was_first_reported_delivered_and_on_time_by_its_promised_day()
    {
        var clickHouse = await Backends.NewClickHouseDatabaseAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Backends.Postgres);
            var store = new PostgresEventStore(dataSource);
            var sink = new AnalyticsSink($"deliveries-{Guid.NewGuid():N}", store, clickHouse, dataSource);
            await Backends.StartAtHorizonAsync(sink, dataSource);
            var (day2, day3) = (Day1.AddDays(1), Day1.AddDays(2));
            string[] ids = [.. Enumerable.Range(0, 4).Select(_ => $"o-{Guid.NewGuid():N}")];
            var streams = new Dictionary<string, EventData[]>
            {
                [ids[0]] = [Created(ids[0], day2), Tracked(ids[0], "a1", ShipmentStatus.Delivered, At(day2, 10))], // on time
                [ids[1]] = [Created(ids[1], Day1), Tracked(ids[1], "b1", ShipmentStatus.Delivered, At(day2, 23))], // a day late
                [ids[2]] = [Created(ids[2], day3), Tracked(ids[2], "c1", ShipmentStatus.Delivered, At(day3, 8)),
                    Tracked(ids[2], "c2", ShipmentStatus.Delivered, At(day3.AddDays(1), 9))], // reported delivered again the next day
                [ids[3]] = [Created(ids[3], day2), Tracked(ids[3], "d1", ShipmentStatus.InTransit, At(day2, 9))], // not delivered
            };
            foreach (var (id, events) in streams)
            {
                await store.AppendAsync($"shipment-{id}", ExpectedVersion.NoStream, events, CancellationToken.None);
            }
            var eventIds = string.Join(", ", streams.Values.SelectMany(e => e).Select(e => ClickHouseSql.Literal(e.EventId)));
            await Eventually.HoldsAsync(async () =>
            {
                await sink.RunOnceAsync();
                return await Backends.ScalarAsync(clickHouse, $"SELECT count() FROM fv_shipments WHERE event_id IN ({eventIds})") == "9";
            }, "the shipment events reached ClickHouse");
            // The first shipment's events delivered twice.
            await clickHouse.ExecuteAsync(ClickHouseSql.Format("INSERT INTO fv_shipments SELECT * FROM fv_shipments WHERE shipment_id = {0}", ids[0]));

            var report = await new AnalyticsQueries(sink.Rollup, clickHouse, dataSource).DeliveriesAsync(Day1, day3.AddDays(1));

            Assert.Equal([Day1, day2, day3], report.Days.Select(d => d.Day));
            Assert.Equal([(0L, 0L, (double?)null), (2, 1, 0.5), (1, 1, 1.0)], report.Days.Select(d => (d.Delivered, d.OnTime, d.OnTimeRate)));
            Assert.Equal((3L, 2L, 0.6667), (report.Delivered, report.OnTime, report.OnTimeRate));
            Assert.Equal(ShipmentStatus.Delivered.ToString(), await Backends.ScalarAsync(clickHouse, $"SELECT any(status) FROM fv_shipments WHERE event_id = {ClickHouseSql.Literal(streams[ids[0]][1].EventId)}"));
        }
        finally
        {
            await Backends.DropAsync(clickHouse);
        }
    }
}
