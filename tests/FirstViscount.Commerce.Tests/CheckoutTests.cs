using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class CheckoutTests
{
    [Fact]
    public async Task A_paid_checkout_confirms_the_order_ships_the_stock_and_captures_once()
    {
        var gateway = new PaymentGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway);
        var skus = await StockAsync(cluster, 2, 10);
        var orderId = CommerceCluster.Key("order");

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, "tok_ok", (skus[0], 2), (skus[1], 1)));

        Assert.Equal(CheckoutPhase.Completed, (await FinishedAsync(cluster, orderId)).Phase);
        var order = (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!;
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(37.50m, order.Total);
        Assert.Equal((8, 0), await LevelsAsync(cluster, skus[0]));
        var payment = await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get();
        Assert.Equal(PaymentStatus.Captured, payment.Status);
        Assert.Equal(1, gateway.CapturesOf(payment.AuthorizationReference!));
        Assert.Equal(["order.placed", "order.reserved", "order.paid", "order.confirmed"],
            (await cluster.Client.GetGrain<IOrderGrain>(orderId).History()).Select(h => h.Type));
        var shipment = (await cluster.Client.GetGrain<IShipmentGrain>(orderId).Get())!;
        Assert.Equal((ShipmentStatus.LabelCreated, CarrierRules.Global), (shipment.Status, shipment.Carrier)); // to London, 1.5 kg
    }

    [Fact]
    public async Task A_delivery_no_carrier_can_book_fails_the_order_refunds_and_returns_the_stock()
    {
        var carriers = new CarrierGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(carriers: carriers);
        var skus = await StockAsync(cluster, 1, 5);
        var orderId = CommerceCluster.Key("order");
        var request = Request(orderId, "tok_ok", (skus[0], 2));

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(request with { ShippingAddress = Address with { Country = CarrierGatewaySimulator.UnavailableCountry } });

        var status = await FinishedAsync(cluster, orderId);
        Assert.Equal(CheckoutPhase.Failed, status.Phase);
        Assert.Contains("scheduling the delivery did not succeed after 3 attempts", status.FailureReason);
        Assert.Equal(OrderStatus.Failed, (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!.Status);
        Assert.Equal(PaymentStatus.Refunded, (await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get()).Status);
        Assert.Equal((5, 0), await LevelsAsync(cluster, skus[0]));
        Assert.Equal(ShipmentStatus.Cancelled, (await cluster.Client.GetGrain<IShipmentGrain>(orderId).Get())!.Status);
        Assert.Equal(0, carriers.LabelsBooked);
    }

    [Theory]
    [InlineData("tok_declined", "payment declined")]
    [InlineData("tok_timeout", "did not succeed after 3 attempts (timed out)")]
    public async Task A_failed_payment_fails_the_order_and_returns_the_stock(string token, string reason)
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var skus = await StockAsync(cluster, 1, 5);
        var orderId = CommerceCluster.Key(token);

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, token, (skus[0], 3)));

        var status = await FinishedAsync(cluster, orderId);
        Assert.Equal(CheckoutPhase.Failed, status.Phase);
        Assert.Contains(reason, status.FailureReason);
        var order = (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!;
        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Equal(status.FailureReason, order.FailureReason);
        Assert.Equal((5, 0), await LevelsAsync(cluster, skus[0]));
        Assert.NotEqual(PaymentStatus.Captured, (await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get()).Status);
    }

    [Fact]
    public async Task A_flaky_gateway_is_retried_and_the_payment_is_captured_exactly_once()
    {
        var gateway = new PaymentGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway);
        var skus = await StockAsync(cluster, 1, 5);
        var orderId = CommerceCluster.Key("flaky");

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, "tok_flaky", (skus[0], 1)));

        Assert.Equal(CheckoutPhase.Completed, (await FinishedAsync(cluster, orderId)).Phase);
        var payment = await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get();
        Assert.Equal(1, gateway.CapturesOf(payment.AuthorizationReference!));
    }

    [Fact]
    public async Task Missing_stock_fails_the_order_and_releases_what_was_reserved()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var skus = await StockAsync(cluster, 2, 2);
        var orderId = CommerceCluster.Key("short");

        await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, "tok_ok", (skus[0], 1), (skus[1], 3)));

        var status = await FinishedAsync(cluster, orderId);
        Assert.Equal(CheckoutPhase.Failed, status.Phase);
        Assert.Contains($"insufficient stock for {skus[1]}", status.FailureReason);
        Assert.Equal((2, 0), await LevelsAsync(cluster, skus[0]));
    }

    [Fact]
    public async Task The_same_checkout_submitted_twice_makes_one_order()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var skus = await StockAsync(cluster, 1, 10);
        var orderId = CommerceCluster.Key("twice");
        var request = Request(orderId, "tok_ok", (skus[0], 2));
        var saga = cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId);

        await Task.WhenAll(saga.Start(request), saga.Start(request));
        await FinishedAsync(cluster, orderId);
        await saga.Start(request);

        Assert.Single(await cluster.Client.GetGrain<IOrderGrain>(orderId).History(), h => h.Type == "order.placed");
        Assert.Equal((8, 0), await LevelsAsync(cluster, skus[0]));
    }

    [Fact]
    public async Task A_customer_can_cancel_before_stock_is_committed_but_not_after_confirmation()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var skus = await StockAsync(cluster, 1, 4);
        var pending = CommerceCluster.Key("cancel");
        var saga = cluster.Client.GetGrain<ICheckoutSagaGrain>(pending);
        await saga.Start(Request(pending, "tok_timeout", (skus[0], 2))); // payment hangs: still cancellable

        await saga.Cancel("changed my mind");

        var status = await FinishedAsync(cluster, pending);
        Assert.Equal(CheckoutPhase.Cancelled, status.Phase);
        Assert.Equal(OrderStatus.Cancelled, (await cluster.Client.GetGrain<IOrderGrain>(pending).Get())!.Status);
        Assert.Equal((4, 0), await LevelsAsync(cluster, skus[0]));

        var confirmed = CommerceCluster.Key("confirmed");
        await cluster.Client.GetGrain<ICheckoutSagaGrain>(confirmed).Start(Request(confirmed, "tok_ok", (skus[0], 1)));
        await FinishedAsync(cluster, confirmed);
        await Assert.ThrowsAsync<OrderStateConflictException>(() => cluster.Client.GetGrain<ICheckoutSagaGrain>(confirmed).Cancel("too late"));
    }
}
