using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;

namespace FirstViscount.Commerce.Checkout;

/// <summary>
/// Reserving → Paying → Delivering → Committing → Confirming → Completed; or Compensating → Failed or Cancelled.
/// Stored by number: a new phase goes at the end.
/// </summary>
public enum CheckoutPhase { NotStarted, Reserving, Paying, Committing, Confirming, Compensating, Completed, Failed, Cancelled, Delivering }

[GenerateSerializer, Alias("fv.checkout-request")]
public sealed record CheckoutRequest(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] IReadOnlyList<OrderLine> Lines,
    [property: Id(3)] string Currency,
    [property: Id(4)] ShippingAddress ShippingAddress,
    [property: Id(5)] string PaymentToken,
    [property: Id(6)] PayerDetails Payer);

[GenerateSerializer, Alias("fv.checkout-status")]
public sealed record CheckoutStatus([property: Id(0)] string OrderId, [property: Id(1)] CheckoutPhase Phase, [property: Id(2)] string? FailureReason);

/// <summary>
/// The checkout of one order (keyed by order id): reserve stock, take payment, commit stock, confirm; on any
/// failure or a customer's cancel before commit, compensate (release stock, refund, record why).
/// </summary>
[Alias("fv.checkout-saga")]
public interface ICheckoutSagaGrain : IGrainWithStringKey
{
    /// <summary>Records the checkout and starts it; starting it again returns its status.</summary>
    [Alias("start")]
    Task<CheckoutStatus> Start(CheckoutRequest request);

    /// <summary>Cancels before stock is committed; throws <see cref="OrderStateConflictException"/> after.</summary>
    [AlwaysInterleave, Alias("cancel")]
    Task<CheckoutStatus> Cancel(string reason);

    [AlwaysInterleave, Alias("status")]
    Task<CheckoutStatus> Status();

    /// <summary>The status once the checkout has ended, or as it is after <paramref name="timeout"/> (at most 20 s).</summary>
    [AlwaysInterleave, Alias("wait-for-end")]
    Task<CheckoutStatus> WaitForEnd(TimeSpan timeout);
}
