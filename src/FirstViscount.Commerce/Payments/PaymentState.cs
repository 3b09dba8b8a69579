namespace FirstViscount.Commerce.Payments;

public sealed class PaymentState
{
    public PaymentStatus Status { get; set; }
    public string? OrderId { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";
    public string? AuthorizationReference { get; set; }
    public string? CaptureReference { get; set; }
    public string? DeclineReason { get; set; }
    public string? EncryptedPayer { get; set; }

    public void Apply(object @event)
    {
        switch (@event)
        {
            case PaymentAuthorized e:
                (Status, OrderId, Amount, Currency, AuthorizationReference, EncryptedPayer) =
                    (PaymentStatus.Authorized, e.OrderId, e.Amount, e.Currency, e.AuthorizationReference, e.EncryptedPayer);
                break;
            case PaymentDeclined e:
                (Status, OrderId, Amount, Currency, DeclineReason) = (PaymentStatus.Declined, e.OrderId, e.Amount, e.Currency, e.Reason);
                break;
            case PaymentCaptured e:
                (Status, CaptureReference) = (PaymentStatus.Captured, e.CaptureReference);
                break;
            case PaymentRefunded:
                Status = PaymentStatus.Refunded;
                break;
            case PaymentVoided:
                Status = PaymentStatus.Voided;
                break;
            default:
                throw new FirstViscountException($"A payment cannot apply {@event.GetType().Name}.");
        }
    }
}
