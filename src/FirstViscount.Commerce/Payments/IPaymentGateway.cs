namespace FirstViscount.Commerce.Payments;

/// <summary>
/// A card processor. Every call carries an idempotency key: repeating a call with the same key returns the
/// first result and never charges twice.
/// </summary>
public interface IPaymentGateway
{
    Task<GatewayResult> AuthorizeAsync(string idempotencyKey, decimal amount, string currency, string paymentToken, CancellationToken cancellationToken);

    Task<GatewayResult> CaptureAsync(string idempotencyKey, string authorizationReference, CancellationToken cancellationToken);

    Task<GatewayResult> RefundAsync(string idempotencyKey, string captureReference, decimal amount, CancellationToken cancellationToken);
}

/// <summary>Approved with the gateway's reference, or declined with its reason.</summary>
public sealed record GatewayResult(bool Approved, string? Reference, string? DeclineReason)
{
    public static GatewayResult Approve(string reference) => new(true, reference, null);

    public static GatewayResult Decline(string reason) => new(false, null, reason);
}

/// <summary>The gateway could not be reached or failed: a transient error, worth a retry with the same key.</summary>
[GenerateSerializer, Alias("fv.payment-gateway-unavailable")]
public sealed class PaymentGatewayUnavailableException(string message) : FirstViscountException(message);
