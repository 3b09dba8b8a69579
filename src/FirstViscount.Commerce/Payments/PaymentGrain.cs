using System.Text.Json;
using FirstViscount.Commerce.Checkout;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Payments;

/// <summary>
/// One payment (keyed like its order). Each gateway call uses a key derived from the payment and the step, so
/// a retry after a timeout or a crash can never charge twice; each outcome is an event before it is answered.
/// </summary>
[GrainType("payment")]
[Orleans.Placement.PreferLocalPlacement] // activated by its checkout saga, so on the saga's silo: the checkout's calls stay local
public sealed class PaymentGrain(IEventStore store, EventSerializer serializer, IPaymentGateway gateway, PayerProtector protector, CheckoutOptions checkout)
    : EventSourcedGrain<PaymentState>(store, serializer), IPaymentGrain
{
    private string PaymentId => this.GetPrimaryKeyString();

    public async Task<PaymentView> Authorize(PaymentRequest request, CancellationToken cancellationToken)
    {
        if (State.Status != PaymentStatus.None)
        {
            return View(); // authorized, declined or beyond: the same answer again
        }
        using var deadline = GatewayDeadline(cancellationToken);
        var result = await gateway.AuthorizeAsync($"{PaymentId}:authorize", request.Amount, request.Currency, request.PaymentToken, deadline.Token);
        await RaiseAsync(AuthorizationOutcome(request, result), cancellationToken: CancellationToken.None); // the gateway acted: record it even if the caller gave up
        return View();
    }

    public async Task<PaymentView> Charge(PaymentRequest request, CancellationToken cancellationToken)
    {
        if (State.Status is not (PaymentStatus.None or PaymentStatus.Authorized))
        {
            return View(); // declined, captured, refunded or voided: the same answer again
        }
        using var deadline = GatewayDeadline(cancellationToken);
        List<object> authorized = [];
        var authorizationReference = State.AuthorizationReference;
        if (State.Status == PaymentStatus.None)
        {
            var authorization = await gateway.AuthorizeAsync($"{PaymentId}:authorize", request.Amount, request.Currency, request.PaymentToken, deadline.Token);
            if (!authorization.Approved)
            {
                await RaiseAsync(AuthorizationOutcome(request, authorization), cancellationToken: CancellationToken.None);
                return View();
            }
            authorized.Add(AuthorizationOutcome(request, authorization));
            authorizationReference = authorization.Reference;
        }
        GatewayResult capture;
        try
        {
            capture = await gateway.CaptureAsync($"{PaymentId}:capture", authorizationReference!, deadline.Token);
        }
        catch (Exception) when (authorized.Count > 0)
        {
            await RaiseAsync(authorized, cancellationToken: CancellationToken.None); // authorized: recorded, so that a refund voids it
            throw;
        }
        if (!capture.Approved)
        {
            await RaiseAsync(authorized, cancellationToken: CancellationToken.None);
            throw new InvalidOperationException($"The gateway refused to capture payment {PaymentId}: {capture.DeclineReason}");
        }
        // Both outcomes in one append: the checkout's payment costs one commit.
        await RaiseAsync([.. authorized, new PaymentCaptured(PaymentId, request.OrderId, request.Amount, request.Currency, capture.Reference!)],
            cancellationToken: CancellationToken.None);
        return View();
    }

    public async Task<PaymentView> Capture(CancellationToken cancellationToken)
    {
        if (State.Status == PaymentStatus.Captured)
        {
            return View();
        }
        if (State.Status != PaymentStatus.Authorized)
        {
            throw new InvalidOperationException($"Payment {PaymentId} is {State.Status}; only an authorized payment can be captured.");
        }
        using var deadline = GatewayDeadline(cancellationToken);
        var result = await gateway.CaptureAsync($"{PaymentId}:capture", State.AuthorizationReference!, deadline.Token);
        if (!result.Approved)
        {
            throw new InvalidOperationException($"The gateway refused to capture payment {PaymentId}: {result.DeclineReason}");
        }
        await RaiseAsync(new PaymentCaptured(PaymentId, State.OrderId!, State.Amount, State.Currency, result.Reference!), cancellationToken: CancellationToken.None);
        return View();
    }

    public async Task<PaymentView> Refund(string reason, CancellationToken cancellationToken)
    {
        switch (State.Status)
        {
            case PaymentStatus.Authorized:
                await RaiseAsync(new PaymentVoided(PaymentId, State.OrderId!, reason), cancellationToken: CancellationToken.None);
                break;
            case PaymentStatus.Captured:
                using (var deadline = GatewayDeadline(cancellationToken))
                {
                    var refund = await gateway.RefundAsync($"{PaymentId}:refund", State.CaptureReference!, State.Amount, deadline.Token);
                    await RaiseAsync(new PaymentRefunded(PaymentId, State.OrderId!, State.Amount, State.Currency, refund.Reference ?? "", reason),
                        cancellationToken: CancellationToken.None);
                }
                break;
        }
        return View();
    }

    public Task<PaymentView> Get() => Task.FromResult(View());

    public Task<PayerDetails?> GetPayer() => Task.FromResult(State.EncryptedPayer is { } encrypted
        ? JsonSerializer.Deserialize<PayerDetails>(protector.Unprotect(encrypted))
        : null);

    protected override void Apply(PaymentState state, object @event) => state.Apply(@event);

    private object AuthorizationOutcome(PaymentRequest request, GatewayResult result) => result.Approved
        ? new PaymentAuthorized(PaymentId, request.OrderId, request.Amount, request.Currency, request.PaymentToken, result.Reference!,
            protector.Protect(JsonSerializer.Serialize(request.Payer)))
        : new PaymentDeclined(PaymentId, request.OrderId, request.Amount, request.Currency, result.DeclineReason ?? "declined");

    /// <summary>
    /// A gateway call ends when its caller gives up or, at the latest, after the checkout's payment step timeout: the
    /// grain handles one call at a time, so a gateway that never answers must not hold every later call of the payment.
    /// </summary>
    private CancellationTokenSource GatewayDeadline(CancellationToken callerToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        deadline.CancelAfter(checkout.Payment.Timeout);
        return deadline;
    }

    private PaymentView View() =>
        new(PaymentId, State.Status, State.Amount, State.Currency, State.AuthorizationReference, State.CaptureReference, State.DeclineReason);
}
