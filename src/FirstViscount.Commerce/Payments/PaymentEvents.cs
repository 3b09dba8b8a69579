using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Payments;

/// <summary>Card data never appears here: only the token, the gateway's references and the encrypted payer.</summary>
[EventType("payment.authorized")]
public sealed record PaymentAuthorized(string PaymentId, string OrderId, decimal Amount, string Currency, string PaymentToken, string AuthorizationReference, string EncryptedPayer);

[EventType("payment.declined")]
public sealed record PaymentDeclined(string PaymentId, string OrderId, decimal Amount, string Currency, string Reason);

[EventType("payment.captured")]
public sealed record PaymentCaptured(string PaymentId, string OrderId, decimal Amount, string Currency, string CaptureReference);

[EventType("payment.refunded")]
public sealed record PaymentRefunded(string PaymentId, string OrderId, decimal Amount, string Currency, string RefundReference, string Reason);

[EventType("payment.voided")]
public sealed record PaymentVoided(string PaymentId, string OrderId, string Reason);
