using System.Text.Json;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Testing;
using FirstViscount.Tests;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// The shipments read model (what GET /v1/admin/shipments lists): kept from the event log's streams as carriers
/// report, it lists shipments newest first, by status, as their grains answer, and a rebuild equals what was kept live.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class ShipmentListTests() : ScratchDatabaseTests("fv_shiplist")
{
    private ShipmentList Model => new(Postgres, new PostgresEventStore(Postgres), CommerceEvents.CreateSerializer());

    private static string Json(IEnumerable<ShipmentView> shipments) => JsonSerializer.Serialize(shipments);

    [Fact]
    public async Task Shipments_are_listed_newest_first_by_status_as_their_grains_answer_and_a_rebuild_equals_the_live_model()
    {
        var cluster = await new CommerceTestCluster(silos: 1).UsePostgresAndRedis(ConnectionString, TestServers.Redis)
            .ConfigureSilo(silo => silo.AddEventLogReadModels(streams => streams.PollInterval = TimeSpan.FromMilliseconds(20)))
            .DeployAsync();
        try
        {
            string[] ids = [.. Enumerable.Range(0, 3).Select(i => $"o-{i}-{Guid.NewGuid():N}")];
            foreach (var id in ids)
            {
                await cluster.Client.GetGrain<IShipmentGrain>(id).Schedule(new ScheduleShipment(id, "DE", 800), CancellationToken.None);
                await Task.Delay(20); // created one after another
            }
            var at = DateTimeOffset.UtcNow;
            await cluster.Client.GetGrain<IShipmentGrain>(ids[0]).Track(new TrackingUpdate("d-2", ShipmentStatus.Delivered, "DELIVERED", "Berlin", "Delivered", at.AddHours(1)));
            await cluster.Client.GetGrain<IShipmentGrain>(ids[0]).Track(new TrackingUpdate("d-1", ShipmentStatus.InTransit, "HUB", "Hub", "At the hub", at));
            await cluster.Client.GetGrain<IShipmentGrain>(ids[2]).Cancel("order cancelled", CancellationToken.None);
            var grainsAnswer = (await Task.WhenAll(ids.Reverse().Select(id => cluster.Client.GetGrain<IShipmentGrain>(id).Get()))).Select(view => view!).ToList();

            var live = await Eventually.ReadAsync(() => Model.PageAsync(null, 1, 20), shipments => Json(shipments) == Json(grainsAnswer),
                "the three shipments are in the model, newest first, as their grains answer");

            Assert.Equal([ids[0]], (await Model.PageAsync(ShipmentStatus.Delivered, 1, 20)).Select(s => s.ShipmentId));
            Assert.Equal(["InTransit", "Delivered"], (await Model.PageAsync(ShipmentStatus.Delivered, 1, 20))[0].Events.Select(e => e.Status.ToString()));
            Assert.Equal([ids[1]], (await Model.PageAsync(ShipmentStatus.LabelCreated, 1, 20)).Select(s => s.ShipmentId));
            Assert.Equal([ids[1]], (await Model.PageAsync(null, 2, 1)).Select(s => s.ShipmentId));
            Assert.Equal(3, await Model.RebuildAsync());
            Assert.Equal(Json(live), Json(await Model.PageAsync(null, 1, 20)));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
