using System.Text;
using FirstViscount.Commerce.Payments;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class PaymentTests
{
    [Fact]
    public async Task Payer_details_are_stored_encrypted_and_card_data_never_appears()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var paymentId = CommerceCluster.Key("payment");
        var payment = cluster.Client.GetGrain<IPaymentGrain>(paymentId);
        var payer = new PayerDetails("Katherine Johnson", $"{paymentId}@example.com");

        await payment.Authorize(new PaymentRequest(paymentId, 99.90m, "EUR", "tok_ok", payer), CancellationToken.None);
        await payment.Capture(CancellationToken.None);

        var stored = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"payment-{paymentId}", 0, CancellationToken.None);
        var raw = string.Join("\n", stored.Select(e => Encoding.UTF8.GetString(e.Payload)));
        Assert.Equal(["payment.authorized", "payment.captured"], stored.Select(e => e.Type));
        Assert.DoesNotContain(payer.Email, raw);
        Assert.DoesNotContain("Katherine", raw);
        Assert.Contains("tok_ok", raw); // only the token and the gateway's references
        Assert.Equal(payer, await payment.GetPayer());
    }

    [Fact]
    public async Task Authorize_capture_and_refund_are_idempotent()
    {
        var gateway = new PaymentGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway);
        var paymentId = CommerceCluster.Key("payment");
        var payment = cluster.Client.GetGrain<IPaymentGrain>(paymentId);
        var request = new PaymentRequest(paymentId, 10m, "EUR", "tok_ok", new PayerDetails("A", "a@example.com"));

        var first = await payment.Authorize(request, CancellationToken.None);
        Assert.Equal(first.AuthorizationReference, (await payment.Authorize(request, CancellationToken.None)).AuthorizationReference);
        await Task.WhenAll(payment.Capture(CancellationToken.None), payment.Capture(CancellationToken.None));
        await payment.Refund("returned", CancellationToken.None);
        var refunded = await payment.Refund("returned", CancellationToken.None);

        Assert.Equal(PaymentStatus.Refunded, refunded.Status);
        Assert.Equal(1, gateway.CapturesOf(first.AuthorizationReference!));
        Assert.Equal(3, (await CommerceCluster.EventStore(cluster).ReadStreamAsync($"payment-{paymentId}", 0, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_charge_authorizes_and_captures_in_one_commit_and_charging_again_changes_nothing()
    {
        var gateway = new PaymentGatewaySimulator();
        await using var cluster = await CommerceCluster.DeployAsync(gateway: gateway);
        var paymentId = CommerceCluster.Key("charge");
        var payment = cluster.Client.GetGrain<IPaymentGrain>(paymentId);
        var request = new PaymentRequest(paymentId, 25m, "EUR", "tok_flaky", new PayerDetails("A", "a@example.com"));

        // tok_flaky fails its first authorization and its first capture: each retry continues where the last stopped.
        await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => payment.Charge(request, CancellationToken.None));
        await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => payment.Charge(request, CancellationToken.None));
        var charged = await payment.Charge(request, CancellationToken.None);
        var again = await payment.Charge(request, CancellationToken.None);

        Assert.Equal((PaymentStatus.Captured, charged.CaptureReference), (again.Status, again.CaptureReference));
        Assert.Equal(1, gateway.CapturesOf(charged.AuthorizationReference!));
        var stored = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"payment-{paymentId}", 0, CancellationToken.None);
        Assert.Equal(["payment.authorized", "payment.captured"], stored.Select(e => e.Type));
        Assert.Equal(2, stored[1].Version); // the authorization was kept when the capture failed, the capture appended on its own
    }

    [Fact]
    public void A_payer_key_that_is_not_32_bytes_of_base64_is_refused_with_the_setting_named()
    {
        Assert.Contains("Payments:PayerKey", Assert.Throws<FirstViscountException>(() => new PayerProtector("not base64!")).Message);
        Assert.Contains("32 bytes", Assert.Throws<FirstViscountException>(() => new PayerProtector(Convert.ToBase64String(new byte[16]))).Message);
    }
}
