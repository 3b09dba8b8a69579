namespace FirstViscount.Commerce.Checkout;

/// <summary>The saga's persisted progress: written before each phase acts, so another silo can resume it.</summary>
public sealed class CheckoutState
{
    public CheckoutPhase Phase { get; set; }
    public CheckoutRequest? Request { get; set; }
    public string? FailureReason { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>Where compensation ends: Failed, or Cancelled when the customer asked.</summary>
    public CheckoutPhase CompensationOutcome { get; set; } = CheckoutPhase.Failed;

    public bool IsTerminal => Phase is CheckoutPhase.Completed or CheckoutPhase.Failed or CheckoutPhase.Cancelled;
}
