using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Orders;
using Orleans.TestingHost;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

/// <summary>An order follows its shipment: Confirmed → Shipped → Delivered, whatever order the carrier reports in.</summary>
[Trait("Category", "Commerce")]
public sealed class FulfilmentTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static TrackingUpdate Report(string id, ShipmentStatus status, int hoursAfterNoon) =>
        new(id, status, status.ToString().ToUpperInvariant(), "Hub", $"{status}", Noon.AddHours(hoursAfterNoon));

    /// <summary>An order checked out to the end (Completed), its shipment booked.</summary>
    private static async Task<string> CompletedOrderAsync(InProcessTestCluster cluster)
    {
        var skus = await StockAsync(cluster, 1, 5);
        var orderId = CommerceCluster.Key("order");
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, "tok_ok", (skus[0], 1)));
        Assert.Equal(CheckoutPhase.Completed, (await FinishedAsync(cluster, orderId)).Phase);
        return orderId;
    }

    [Fact]
    public async Task A_confirmed_order_is_shipped_then_delivered_as_its_carrier_reports_even_out_of_order_and_twice()
    {
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1);
        var orderId = await CompletedOrderAsync(cluster);
        var order = cluster.Client.GetGrain<IOrderGrain>(orderId);
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(orderId);

        await shipment.Track(Report("e1", ShipmentStatus.InTransit, 2));
        var inTransit = (await order.Get())!.Status;
        await shipment.Track(Report("e3", ShipmentStatus.Delivered, 24));
        await shipment.Track(Report("e2", ShipmentStatus.Shipped, 0)); // picked up: arrives last
        await shipment.Track(Report("e3", ShipmentStatus.Delivered, 24)); // and the delivery again

        Assert.Equal(OrderStatus.Shipped, inTransit);
        Assert.Equal(OrderStatus.Delivered, (await order.Get())!.Status);
        Assert.Equal(["order.placed", "order.reserved", "order.paid", "order.confirmed", "order.shipped", "order.delivered"],
            (await order.History()).Select(h => h.Type));
    }

    [Fact]
    public async Task A_report_before_the_order_is_confirmed_leaves_it_and_confirming_never_undoes_a_delivery()
    {
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1);
        var orderId = CommerceCluster.Key("order");
        var order = cluster.Client.GetGrain<IOrderGrain>(orderId);
        await order.Place(new PlaceOrder("customer-1", [new OrderLine("SKU-1", "Lamp", 1, 10m)], "EUR", Address));
        await order.MarkReserved();
        await order.MarkPaid("cap_1");
        var delivered = new ShipmentProgress(Shipped: true, Delivered: true, CarrierRules.Post, "FV123");

        var whilePaid = (await order.FollowShipment(delivered))!.Status;
        await order.Confirm();
        var followed = (await order.FollowShipment(delivered))!.Status;
        var confirmedAgain = (await order.Confirm()).Status; // a resumed saga confirms once more

        Assert.Equal(OrderStatus.Paid, whilePaid);
        Assert.Equal(OrderStatus.Delivered, followed);
        Assert.Equal(OrderStatus.Delivered, confirmedAgain);
        await Assert.ThrowsAsync<OrderStateConflictException>(() => order.Fail("too late"));
        Assert.Null(await cluster.Client.GetGrain<IOrderGrain>(CommerceCluster.Key("order")).FollowShipment(delivered));
    }

    [Fact]
    public async Task A_lost_parcel_leaves_the_order_shipped_and_its_shipment_in_exception()
    {
        await using var cluster = await CommerceCluster.DeployAsync(silos: 1);
        var orderId = await CompletedOrderAsync(cluster);
        var shipment = cluster.Client.GetGrain<IShipmentGrain>(orderId);

        await shipment.Track(Report("e1", ShipmentStatus.Shipped, 0));
        var lost = await shipment.Track(Report("e2", ShipmentStatus.Exception, 30));

        Assert.Equal(ShipmentStatus.Exception, lost.Status);
        Assert.Equal(OrderStatus.Shipped, (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!.Status);
    }
}
