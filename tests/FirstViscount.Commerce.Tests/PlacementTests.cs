using FirstViscount.Commerce.Carts;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.Registration;
using FirstViscount.Testing;
using Xunit.Abstractions;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

/// <summary>Where grains are placed (chosen per grain type): fresh grains spread over the silos; a checkout's order and payment live with its saga.</summary>
[Trait("Category", "Grains")]
public sealed class PlacementTests(ITestOutputHelper output)
{
    public static TheoryData<string> EntryGrains => ["cart", "checkout-saga", "registration-saga", "inventory-sku"];

    [Theory]
    [MemberData(nameof(EntryGrains))]
    public async Task A_hundred_fresh_grains_spread_over_three_silos(string type)
    {
        await using var cluster = await new CommerceTestCluster(silos: 3).DeployAsync();
        var keys = Enumerable.Range(0, 100).Select(i => CommerceCluster.Key($"{type}-{i}")).ToArray();
        await Task.WhenAll(keys.Select(key => type switch
        {
            "cart" => (Task)cluster.Client.GetGrain<ICartGrain>(key).Get(),
            "checkout-saga" => cluster.Client.GetGrain<ICheckoutSagaGrain>(key).Status(),
            "registration-saga" => cluster.Client.GetGrain<IRegistrationSagaGrain>(key).Status(),
            _ => cluster.Client.GetGrain<IInventorySkuGrain>(key).GetLevels(),
        }));

        var perSilo = new Dictionary<string, int>();
        foreach (var key in keys)
        {
            IAddressable grain = type switch
            {
                "cart" => cluster.Client.GetGrain<ICartGrain>(key),
                "checkout-saga" => cluster.Client.GetGrain<ICheckoutSagaGrain>(key),
                "registration-saga" => cluster.Client.GetGrain<IRegistrationSagaGrain>(key),
                _ => cluster.Client.GetGrain<IInventorySkuGrain>(key),
            };
            var silo = (await CommerceCluster.SiloOfAsync(cluster, grain))?.Name ?? "none";
            perSilo[silo] = perSilo.GetValueOrDefault(silo) + 1;
        }

        output.WriteLine($"{type}: {string.Join(", ", perSilo.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(3, perSilo.Count);
        Assert.All(perSilo.Values, count => Assert.InRange(count, 15, 60));
    }

    [Fact]
    public async Task A_checkouts_order_and_payment_are_activated_on_its_saga_s_silo()
    {
        await using var cluster = await new CommerceTestCluster(silos: 3).DeployAsync();
        var sku = (await StockAsync(cluster, 1, 100))[0];
        var orders = Enumerable.Range(0, 12).Select(i => CommerceCluster.Key($"colocated-{i}")).ToArray();
        foreach (var orderId in orders)
        {
            await cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId).Start(Request(orderId, "tok_ok", (sku, 1)));
        }

        foreach (var orderId in orders)
        {
            await FinishedAsync(cluster, orderId);
            var saga = await CommerceCluster.SiloOfAsync(cluster, cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId));
            Assert.Equal(saga, await CommerceCluster.SiloOfAsync(cluster, cluster.Client.GetGrain<IOrderGrain>(orderId)));
            Assert.Equal(saga, await CommerceCluster.SiloOfAsync(cluster, cluster.Client.GetGrain<IPaymentGrain>(orderId)));
        }
    }
}
