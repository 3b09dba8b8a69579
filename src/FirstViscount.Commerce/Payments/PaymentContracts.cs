namespace FirstViscount.Commerce.Payments;

public enum PaymentStatus { None, Authorized, Declined, Captured, Refunded, Voided }

public sealed record PayerDetails(string Name, string Email);

public sealed record PaymentRequest(string OrderId, decimal Amount, string Currency, string PaymentToken, PayerDetails Payer);

public sealed record PaymentView(string PaymentId, PaymentStatus Status, decimal Amount, string Currency, string? AuthorizationReference,
    string? CaptureReference, string? DeclineReason);

/// <summary>Payments: authorize, capture and refund, each idempotent per payment.</summary>
public interface IPaymentGrain : IGrainWithStringKey
{
    Task<PaymentView> Authorize(PaymentRequest request, CancellationToken cancellationToken);

    Task<PaymentView> Capture(CancellationToken cancellationToken);

    /// <summary>Refunds a capture, or voids an authorization; does nothing if nothing was charged.</summary>
    Task<PaymentView> Refund(string reason, CancellationToken cancellationToken);

    [ReadOnly]
    Task<PaymentView> Get();

    /// <summary>The payer, decrypted (for support staff; stored encrypted).</summary>
    [ReadOnly]
    Task<PayerDetails?> GetPayer();
}
