namespace FirstViscount.Commerce.Checkout;

/// <summary>The saga's persisted progress: written before each phase acts, so another silo can resume it.</summary>
[GenerateSerializer, Alias("fv.checkout-state")]
public sealed class CheckoutState
{
    [Id(0)]
    public CheckoutPhase Phase { get; set; }

    [Id(1)]
    public CheckoutRequest? Request { get; set; }

    [Id(2)]
    public string? FailureReason { get; set; }

    [Id(3)]
    public bool CancelRequested { get; set; }

    /// <summary>Where compensation ends: Failed, or Cancelled when the customer asked.</summary>
    [Id(4)]
    public CheckoutPhase CompensationOutcome { get; set; } = CheckoutPhase.Failed;

    public bool IsTerminal => Phase is CheckoutPhase.Completed or CheckoutPhase.Failed or CheckoutPhase.Cancelled;
}
