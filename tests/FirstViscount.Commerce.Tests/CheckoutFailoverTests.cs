using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Tests;
using Orleans.TestingHost;
using Xunit.Abstractions;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
[Trait("Speed", "Slow")]
public sealed class CheckoutFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sagas_whose_silo_is_killed_mid_flight_all_finish_and_no_stock_or_money_goes_astray()
    {
        var gateway = new PaymentGatewaySimulator { Latency = TimeSpan.FromMilliseconds(120) };
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway);
        var skus = await StockAsync(cluster, 3, 1_000);
        var tokens = new[] { "tok_ok", "tok_ok", "tok_flaky", "tok_declined" };
        var orders = new List<(string OrderId, string Sku, int Quantity)>();
        var killedIn = new List<CheckoutPhase>();

        for (var wave = 0; wave < 4; wave++)
        {
            var started = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var orderId = CommerceCluster.Key($"w{wave}-{i}");
                var (sku, quantity) = (skus[i % skus.Length], 1 + i % 3);
                orders.Add((orderId, sku, quantity));
                started.Add(orderId);
                await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, tokens[i % tokens.Length], (sku, quantity)));
            }
            await Task.Delay(40 + 110 * wave); // each wave is cut at a later point of the saga
            var hosts = new Dictionary<string, InProcessSiloHandle?>();
            foreach (var id in started)
            {
                hosts[id] = await CommerceCluster.SiloOfAsync(cluster, cluster.Client.GetGrain<ICheckoutSagaGrain>(id));
            }
            if (hosts.Values.FirstOrDefault(silo => silo is not null) is { } victim)
            {
                foreach (var id in started.Where(id => hosts[id] == victim))
                {
                    killedIn.Add((await cluster.Client.GetGrain<ICheckoutSagaGrain>(id).Status()).Phase);
                }
                await cluster.KillSiloAsync(victim);
                await cluster.StartAdditionalSiloAsync();
            }
        }

        var outcomes = new Dictionary<string, CheckoutPhase>();
        foreach (var (orderId, _, _) in orders)
        {
            outcomes[orderId] = (await FinishedAsync(cluster, orderId, timeoutMs: 60_000)).Phase;
        }
        output.WriteLine($"killed sagas in phases: {string.Join(", ", killedIn.GroupBy(p => p).Select(g => $"{g.Key} x{g.Count()}"))}");
        output.WriteLine($"outcomes: {string.Join(", ", outcomes.Values.GroupBy(p => p).Select(g => $"{g.Key} x{g.Count()}"))}");
        Assert.NotEmpty(killedIn);

        foreach (var sku in skus)
        {
            var shipped = orders.Where(o => o.Sku == sku && outcomes[o.OrderId] == CheckoutPhase.Completed).Sum(o => o.Quantity);
            var levels = await cluster.Client.GetGrain<IInventorySkuGrain>(sku).GetLevels();
            Assert.Equal(1_000 - shipped, levels.OnHand);
            Assert.Equal(0, levels.Reserved);
        }
        foreach (var (orderId, _, _) in orders)
        {
            var payment = await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get();
            var order = (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!;
            if (outcomes[orderId] == CheckoutPhase.Completed)
            {
                Assert.Equal(OrderStatus.Confirmed, order.Status);
                Assert.Equal(PaymentStatus.Captured, payment.Status);
                Assert.Equal(1, gateway.CapturesOf(payment.AuthorizationReference!));
            }
            else
            {
                Assert.Equal(OrderStatus.Failed, order.Status);
                Assert.NotEqual(PaymentStatus.Captured, payment.Status);
                Assert.True(payment.AuthorizationReference is null || gateway.CapturesOf(payment.AuthorizationReference) <= 1);
            }
        }
    }

    [Fact]
    public async Task A_saga_whose_silo_is_killed_while_it_books_the_delivery_finishes_once_with_one_label()
    {
        var carriers = new CarrierGatewaySimulator { Latency = TimeSpan.FromMilliseconds(1_500) };
        var gateway = new PaymentGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway, carriers: carriers);
        var skus = await StockAsync(cluster, 1, 10);
        var orderId = CommerceCluster.Key("deliver-kill");
        var saga = cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId);
        await saga.Start(Request(orderId, "tok_ok", (skus[0], 2)));
        await Eventually.HoldsAsync(async () => (await saga.Status()).Phase == CheckoutPhase.Delivering, "the saga books the delivery", seconds: 20);

        var victim = await CommerceCluster.SiloOfAsync(cluster, saga);
        await cluster.KillSiloAsync(victim!);
        await cluster.StartAdditionalSiloAsync();

        Assert.Equal(CheckoutPhase.Completed, (await FinishedAsync(cluster, orderId, timeoutMs: 60_000)).Phase);
        Assert.Equal(OrderStatus.Confirmed, (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!.Status);
        Assert.Equal(ShipmentStatus.LabelCreated, (await cluster.Client.GetGrain<IShipmentGrain>(orderId).Get())!.Status);
        Assert.Equal(1, carriers.LabelsBooked); // the resumed step booked under the same key
        var payment = await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get();
        Assert.Equal(1, gateway.CapturesOf(payment.AuthorizationReference!));
        Assert.Equal((8, 0), await LevelsAsync(cluster, skus[0]));
        var stored = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"shipment-{orderId}", 0, CancellationToken.None);
        Assert.Equal(["shipment.created", "shipment.label-created"], stored.Select(e => e.Type));
    }
}
