using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using static FirstViscount.Commerce.Tests.CheckoutFixture;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// A silo can die at any point of a saga. The saga persists a phase before acting on it, so what another silo
/// finds is "phase P, and P's actions done, partly done, or not at all". Each case is built here exactly and
/// the durable reminder must finish it once: no double reservation, commit or capture.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class CheckoutResumeTests
{
    public enum DoneBeforeCrash { Nothing, Reserved, Captured, Committed, Confirmed }

    [Theory]
    [InlineData(CheckoutPhase.Reserving, DoneBeforeCrash.Nothing, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Reserving, DoneBeforeCrash.Reserved, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Paying, DoneBeforeCrash.Reserved, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Paying, DoneBeforeCrash.Captured, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Committing, DoneBeforeCrash.Captured, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Committing, DoneBeforeCrash.Committed, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Confirming, DoneBeforeCrash.Committed, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Confirming, DoneBeforeCrash.Confirmed, CheckoutPhase.Completed)]
    [InlineData(CheckoutPhase.Compensating, DoneBeforeCrash.Captured, CheckoutPhase.Failed)]
    public async Task A_saga_interrupted_in_any_phase_is_resumed_and_finishes_exactly_once(CheckoutPhase persisted, DoneBeforeCrash done, CheckoutPhase expected)
    {
        var gateway = new PaymentGatewaySimulator();
        // Reminders written to the table behind the silos' backs are picked up when the silos re-read it.
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway, silo: silo => silo.Configure<ReminderOptions>(reminders =>
            (reminders.RefreshReminderListPeriod, reminders.ReminderLoadingWindow) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))));
        var sku = (await StockAsync(cluster, 1, 10))[0];
        var orderId = CommerceCluster.Key($"resume-{persisted}-{done}");
        var request = Request(orderId, "tok_ok", (sku, 3));
        await ActAsIfCrashedAsync(cluster, request, persisted, done);

        var status = await FinishedAsync(cluster, orderId);

        Assert.Equal(expected, status.Phase);
        var levels = await cluster.Client.GetGrain<IInventorySkuGrain>(sku).GetLevels();
        var payment = await cluster.Client.GetGrain<IPaymentGrain>(orderId).Get();
        if (expected == CheckoutPhase.Completed)
        {
            Assert.Equal((7, 0), (levels.OnHand, levels.Reserved));
            Assert.Equal(1, gateway.CapturesOf(payment.AuthorizationReference!));
            Assert.Equal(OrderStatus.Confirmed, (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!.Status);
        }
        else
        {
            Assert.Equal((10, 0), (levels.OnHand, levels.Reserved));
            Assert.Equal(PaymentStatus.Refunded, payment.Status);
            Assert.Equal(OrderStatus.Failed, (await cluster.Client.GetGrain<IOrderGrain>(orderId).Get())!.Status);
        }
    }

    /// <summary>Performs the saga's actions up to <paramref name="done"/>, then leaves exactly what a crashed saga leaves: its state and its reminder.</summary>
    private static async Task ActAsIfCrashedAsync(InProcessTestCluster cluster, CheckoutRequest request, CheckoutPhase persisted, DoneBeforeCrash done)
    {
        var factory = cluster.Client;
        var order = factory.GetGrain<IOrderGrain>(request.OrderId);
        var line = request.Lines[0];
        await order.Place(new PlaceOrder(request.CustomerId, request.Lines, request.Currency, request.ShippingAddress));
        if (done >= DoneBeforeCrash.Reserved)
        {
            await factory.GetGrain<IInventorySkuGrain>(line.Sku).Reserve(request.OrderId, line.Quantity, TimeSpan.FromMinutes(15));
            await order.MarkReserved();
        }
        if (done >= DoneBeforeCrash.Captured)
        {
            var payment = factory.GetGrain<IPaymentGrain>(request.OrderId);
            await payment.Authorize(new PaymentRequest(request.OrderId, line.LineTotal, request.Currency, request.PaymentToken, request.Payer), CancellationToken.None);
            var captured = await payment.Capture(CancellationToken.None);
            await order.MarkPaid(captured.CaptureReference!);
        }
        if (done >= DoneBeforeCrash.Committed)
        {
            await factory.GetGrain<IInventorySkuGrain>(line.Sku).Commit(request.OrderId);
        }
        if (done >= DoneBeforeCrash.Confirmed)
        {
            await order.Confirm();
        }

        var services = cluster.GetSiloServiceProvider();
        var saga = GrainId.Create("checkout-saga", request.OrderId);
        var state = new CheckoutState { Phase = persisted, Request = request, FailureReason = persisted == CheckoutPhase.Compensating ? "simulated failure" : null };
        await services.GetRequiredKeyedService<IGrainStorage>("Default").WriteStateAsync("checkout", saga, new GrainState<CheckoutState>(state));
        await services.GetRequiredService<IReminderTable>().UpsertRow(new ReminderEntry
        {
            GrainId = saga, ReminderName = "resume", StartAt = DateTime.UtcNow, Period = TimeSpan.FromSeconds(1),
        });
    }
}
