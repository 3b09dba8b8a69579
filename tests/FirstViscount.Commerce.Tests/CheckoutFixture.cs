using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using Orleans.TestingHost;

namespace FirstViscount.Commerce.Tests;

/// <summary>Stocked SKUs and checkout requests for saga tests.</summary>
internal static class CheckoutFixture
{
    public static readonly ShippingAddress Address = new("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB");

    public static async Task<string[]> StockAsync(InProcessTestCluster cluster, int skus, int quantity)
    {
        var names = Enumerable.Range(0, skus).Select(i => CommerceCluster.Key($"sku{i}")).ToArray();
        await Task.WhenAll(names.Select(sku => cluster.Client.GetGrain<IInventorySkuGrain>(sku).Receive(quantity, "stock")));
        return names;
    }

    public static CheckoutRequest Request(string orderId, string token, params (string Sku, int Quantity)[] lines) =>
        new(orderId, "customer-1", [.. lines.Select(l => new OrderLine(l.Sku, $"Product {l.Sku}", l.Quantity, 12.50m))], "EUR", Address, token,
            new PayerDetails("Ada Lovelace", "ada@example.com"));

    /// <summary>Waits (bounded) until the saga has finished, and returns how.</summary>
    public static async Task<CheckoutStatus> FinishedAsync(InProcessTestCluster cluster, string orderId, int timeoutMs = 30_000)
    {
        var saga = cluster.Client.GetGrain<ICheckoutSagaGrain>(orderId);
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            CheckoutStatus? status = null;
            try
            {
                status = await saga.Status();
            }
            catch (OrleansException)
            {
                // its silo was just killed: ask again
            }
            if (status?.Phase is CheckoutPhase.Completed or CheckoutPhase.Failed or CheckoutPhase.Cancelled)
            {
                return status;
            }
            Assert.True(Environment.TickCount64 < deadline, $"checkout {orderId} did not finish: {status}");
            await Task.Delay(25);
        }
    }

    public static async Task<(int OnHand, int Reserved)> LevelsAsync(InProcessTestCluster cluster, string sku)
    {
        var levels = await cluster.Client.GetGrain<IInventorySkuGrain>(sku).GetLevels();
        return (levels.OnHand, levels.Reserved);
    }
}
