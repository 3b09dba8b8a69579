namespace FirstViscount.Commerce.Payments;

public enum PaymentStatus { None, Authorized, Declined, Captured, Refunded, Voided }

[GenerateSerializer, Alias("fv.payer-details")]
public sealed record PayerDetails([property: Id(0)] string Name, [property: Id(1)] string Email);

[GenerateSerializer, Alias("fv.payment-request")]
public sealed record PaymentRequest(
    [property: Id(0)] string OrderId,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string PaymentToken,
    [property: Id(4)] PayerDetails Payer);

[GenerateSerializer, Alias("fv.payment-view")]
public sealed record PaymentView(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] PaymentStatus Status,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string? AuthorizationReference,
    [property: Id(5)] string? CaptureReference,
    [property: Id(6)] string? DeclineReason);

/// <summary>
/// Payments: authorize, capture and refund, each idempotent per payment. The gateway may take as long as the
/// checkout's payment step allows (60 s), longer than the cluster's default response timeout.
/// </summary>
[Alias("fv.payment")]
public interface IPaymentGrain : IGrainWithStringKey
{
    [ResponseTimeout("00:01:05"), Alias("authorize")]
    Task<PaymentView> Authorize(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Authorizes and captures in one call and one append (what a checkout does). Repeating it is harmless: each
    /// gateway call is keyed by payment and step, and what already happened is not done again.
    /// </summary>
    [ResponseTimeout("00:01:05"), Alias("charge")]
    Task<PaymentView> Charge(PaymentRequest request, CancellationToken cancellationToken);

    [ResponseTimeout("00:01:05"), Alias("capture")]
    Task<PaymentView> Capture(CancellationToken cancellationToken);

    /// <summary>Refunds a capture, or voids an authorization; does nothing if nothing was charged.</summary>
    [ResponseTimeout("00:01:05"), Alias("refund")]
    Task<PaymentView> Refund(string reason, CancellationToken cancellationToken);

    [ReadOnly, Alias("get")]
    Task<PaymentView> Get();

    /// <summary>The payer, decrypted (for support staff; stored encrypted).</summary>
    [ReadOnly, Alias("get-payer")]
    Task<PayerDetails?> GetPayer();
}
