using System.Text.Json;
using FirstViscount.Commerce.Delivery;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class ShipmentTests
{
    private static TrackingUpdate Report(string id, ShipmentStatus status, int minutesAfterNoon, string location = "Hub") =>
        new(id, status, status.ToString().ToUpperInvariant(), location, $"{status} at {location}", new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero).AddMinutes(minutesAfterNoon));

    [Fact]
    public async Task Scheduling_picks_the_carrier_by_rule_and_books_one_label_however_often_it_is_asked()
    {
        var carriers = new CarrierGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1, carriers: carriers);
        var orderId = CommerceCluster.Key("order");
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(orderId);
        var request = new ScheduleShipment(orderId, "FR", 1_200);

        var views = await Task.WhenAll(shipment.Schedule(request, CancellationToken.None), shipment.Schedule(request, CancellationToken.None));
        var again = await shipment.Schedule(request, CancellationToken.None);

        Assert.All(views, view => Assert.Equal(again, view with { Events = again.Events }));
        Assert.Equal(ShipmentStatus.LabelCreated, again.Status);
        Assert.Equal(CarrierRules.Parcel, again.Carrier);
        Assert.Matches("^FV[2-9A-HJ-NP-Z]{12}$", again.TrackingNumber);
        Assert.Equal(CarrierRules.EstimatedDelivery(DateOnly.FromDateTime(DateTime.UtcNow), 3), again.EstimatedDelivery);
        Assert.Equal(1, carriers.LabelsBooked);
        var stored = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"shipment-{orderId}", 0, CancellationToken.None);
        Assert.Equal(["shipment.created", "shipment.label-created"], stored.Select(e => e.Type));
    }

    [Fact]
    public async Task Reports_out_of_order_and_twice_end_in_the_state_of_the_latest_and_are_kept_once()
    {
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1);
        var orderId = CommerceCluster.Key("order");
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(orderId);
        await shipment.Schedule(new ScheduleShipment(orderId, "DE", 500), CancellationToken.None);

        await shipment.Track(Report("e1", ShipmentStatus.Shipped, 0, "Berlin"));
        await shipment.Track(Report("e3", ShipmentStatus.Delivered, 120, "Hamburg"));
        await shipment.Track(Report("e2", ShipmentStatus.InTransit, 60, "Hannover")); // arrives after the delivery it preceded
        var final = await shipment.Track(Report("e2", ShipmentStatus.InTransit, 60, "Hannover")); // and again

        Assert.Equal(ShipmentStatus.Delivered, final.Status);
        Assert.Equal(["Berlin", "Hannover", "Hamburg"], final.Events.Select(e => e.Location));
        var stored = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"shipment-{orderId}", 0, CancellationToken.None);
        // Each report once, in the order it arrived, its status by name.
        Assert.Equal(["Shipped", "Delivered", "InTransit"], stored.Where(e => e.Type == "shipment.tracked")
            .Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("status").GetString()));
        var read = (await cluster.Client.GetGrain<IShipmentGrain>(orderId).Get())!;
        Assert.Equal(final.Events, read.Events);
        Assert.Equal(final, read with { Events = final.Events });
    }

    [Fact]
    public async Task A_shipment_cancels_before_it_ships_and_refuses_after()
    {
        var carriers = new CarrierGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1, carriers: carriers);
        var (waiting, shipped) = (CommerceCluster.Key("order"), CommerceCluster.Key("order"));
        foreach (var orderId in new[] { waiting, shipped })
        {
            await cluster.Client.GetGrain<IShipmentGrain>(orderId).Schedule(new ScheduleShipment(orderId, "US", 3_000), CancellationToken.None);
        }
        await cluster.Client.GetGrain<IShipmentGrain>(shipped).Track(Report("s1", ShipmentStatus.Shipped, 0));

        var cancelled = await cluster.Client.GetGrain<IShipmentGrain>(waiting).Cancel("order cancelled", CancellationToken.None);
        await cluster.Client.GetGrain<IShipmentGrain>(waiting).Cancel("order cancelled", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ShipmentConflictException>(() => cluster.Client.GetGrain<IShipmentGrain>(shipped).Cancel("too late", CancellationToken.None));

        Assert.Equal(ShipmentStatus.Cancelled, cancelled.Status);
        Assert.Equal(CarrierRules.Global, cancelled.Carrier);
        Assert.Equal(1, carriers.LabelsCancelled);
        Assert.Contains("Shipped", refused.Message);
        Assert.Equal(ShipmentStatus.Shipped, (await cluster.Client.GetGrain<IShipmentGrain>(shipped).Get())!.Status);
    }

    [Fact]
    public async Task A_carrier_that_is_down_leaves_the_shipment_pending_and_an_unknown_shipment_is_none()
    {
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1);
        var orderId = CommerceCluster.Key("order");
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(orderId);

        await Assert.ThrowsAsync<CarrierUnavailableException>(() => shipment.Schedule(new ScheduleShipment(orderId, CarrierGatewaySimulator.UnavailableCountry, 100), CancellationToken.None));

        Assert.Equal(ShipmentStatus.Pending, (await shipment.Get())!.Status);
        Assert.Null(await cluster.Client.GetGrain<IShipmentGrain>(CommerceCluster.Key("order")).Get());
        await Assert.ThrowsAsync<ShipmentConflictException>(() => cluster.Client.GetGrain<IShipmentGrain>(CommerceCluster.Key("order")).Track(Report("x", ShipmentStatus.Shipped, 0)));
    }

    [Theory]
    [InlineData("DE", 2_000, CarrierRules.Post, 2)]
    [InlineData("DE", 2_001, CarrierRules.Parcel, 1)]
    [InlineData("NL", 31_500, CarrierRules.Parcel, 3)]
    [InlineData("JP", 1, CarrierRules.Global, 7)]
    [InlineData("DE", 31_501, CarrierRules.Freight, 5)]
    [InlineData("US", 1_000_000, CarrierRules.Freight, 10)]
    public void Carriers_are_chosen_by_country_and_weight(string country, int grams, string carrier, int days)
    {
        Assert.Equal(new CarrierChoice(carrier, days), CarrierRules.Choose(country, grams));
    }

    [Theory]
    [InlineData("de", 100)]
    [InlineData("DEU", 100)]
    [InlineData("DE", 0)]
    [InlineData("DE", 1_000_001)]
    public void Parcels_no_carrier_takes_are_refused_with_the_reason(string country, int grams)
    {
        var refused = Assert.Throws<NoCarrierException>(() => CarrierRules.Choose(country, grams));
        Assert.Contains(grams is > 0 and <= CarrierRules.MaxWeightGrams ? country : $"{grams} g", refused.Message);
    }

    [Fact]
    public void Estimated_delivery_counts_working_days()
    {
        var friday = new DateOnly(2026, 12, 4);
        Assert.Equal(new DateOnly(2026, 12, 7), CarrierRules.EstimatedDelivery(friday, 1)); // Monday
        Assert.Equal(new DateOnly(2026, 12, 15), CarrierRules.EstimatedDelivery(friday, 7)); // Tuesday week
    }
}
