using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Reminders;

namespace FirstViscount.Commerce.Checkout;

public enum CheckoutPhase { NotStarted, Reserving, Paying, Committing, Confirming, Compensating, Completed, Failed, Cancelled }

public sealed record CheckoutRequest(string OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, string Currency,
    ShippingAddress ShippingAddress, string PaymentToken, PayerDetails Payer);

public sealed record CheckoutStatus(string OrderId, CheckoutPhase Phase, string? FailureReason);

/// <summary>
/// The checkout of one order (keyed by order id): reserve stock, take payment, commit stock, confirm; on any
/// failure or a customer's cancel before commit, compensate (release stock, refund, record why).
/// </summary>
public interface ICheckoutSagaGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Records the checkout and starts it; starting it again returns its status.</summary>
    Task<CheckoutStatus> Start(CheckoutRequest request);

    /// <summary>Cancels before stock is committed; throws <see cref="OrderStateConflictException"/> after.</summary>
    [AlwaysInterleave]
    Task<CheckoutStatus> Cancel(string reason);

    [AlwaysInterleave]
    Task<CheckoutStatus> Status();
}
