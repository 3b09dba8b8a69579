using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.Sagas;
using Orleans.Storage;

namespace FirstViscount.Commerce.Checkout;

/// <summary>
/// Drives one checkout. The phase is persisted before the phase acts and every action is idempotent (reservations
/// per order, payment calls keyed by payment, commit and confirm repeatable), so a saga whose silo dies is resumed
/// by its durable reminder on another silo and finishes without double reservation or double capture.
/// </summary>
[GrainType("checkout-saga")]
[Orleans.Placement.RandomPlacement] // fresh grains spread over the silos (measured: PlacementTests)
public sealed class CheckoutSagaGrain(
    [PersistentState("checkout")] IPersistentState<CheckoutState> saga,
    CheckoutOptions options) : Grain, ICheckoutSagaGrain, IRemindable
{
    private const string ResumeReminder = "resume";
    private readonly SemaphoreSlim persisting = new(1, 1);
    private bool running;
    private bool ending;
    private IGrainReminder? resumeReminder;
    private TaskCompletionSource? ended;

    private CheckoutState State => saga.State;

    private string OrderId => this.GetPrimaryKeyString();

    public async Task<CheckoutStatus> Start(CheckoutRequest request)
    {
        if (State.Phase == CheckoutPhase.NotStarted)
        {
            await GrainFactory.GetGrain<IOrderGrain>(OrderId).Place(new PlaceOrder(request.CustomerId, request.Lines, request.Currency, request.ShippingAddress));
            resumeReminder = await this.RegisterOrUpdateReminder(ResumeReminder, options.ResumeInterval, options.ResumeInterval);
            await PersistAsync(state =>
            {
                state.Request = request;
                state.Phase = CheckoutPhase.Reserving;
            });
        }
        RunInBackground();
        return Current();
    }

    public async Task<CheckoutStatus> Cancel(string reason)
    {
        switch (State.Phase)
        {
            case CheckoutPhase.Cancelled:
                return Current();
            case CheckoutPhase.NotStarted:
                throw new OrderStateConflictException($"Order {OrderId} has no checkout to cancel.");
            case CheckoutPhase.Delivering or CheckoutPhase.Committing or CheckoutPhase.Confirming or CheckoutPhase.Completed or CheckoutPhase.Failed
                or CheckoutPhase.Compensating:
                throw new OrderStateConflictException($"Order {OrderId} is {State.Phase} and can no longer be cancelled.");
        }
        await PersistAsync(state =>
        {
            state.CancelRequested = true;
            state.FailureReason = reason;
        });
        RunInBackground();
        return Current();
    }

    public Task<CheckoutStatus> Status() => Task.FromResult(Current());

    public async Task<CheckoutStatus> WaitForEnd(TimeSpan timeout)
    {
        if (!State.IsTerminal)
        {
            ended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(ended.Task, Task.Delay(timeout < TimeSpan.FromSeconds(20) ? timeout : TimeSpan.FromSeconds(20)));
        }
        return Current();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.IsTerminal)
        {
            return UnregisterResumeAsync();
        }
        RunInBackground();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ending = true; // a run in progress stops at its next phase; the next activation resumes it
        return Task.CompletedTask;
    }

    private CheckoutStatus Current() => new(OrderId, State.Phase, State.FailureReason);

    /// <summary>Runs the saga on this activation without holding the caller; only one run at a time.</summary>
    private void RunInBackground()
    {
        if (running || State.IsTerminal || State.Phase == CheckoutPhase.NotStarted)
        {
            return;
        }
        running = true;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            while (!State.IsTerminal && !ending)
            {
                if (State.CancelRequested && State.Phase is CheckoutPhase.Reserving or CheckoutPhase.Paying)
                {
                    await CompensateWith(CheckoutPhase.Cancelled, State.FailureReason ?? "cancelled by the customer");
                    continue;
                }
                await (State.Phase switch
                {
                    CheckoutPhase.Reserving => ReserveAsync(),
                    CheckoutPhase.Paying => PayAsync(),
                    CheckoutPhase.Delivering => DeliverAsync(),
                    CheckoutPhase.Committing => CommitAsync(),
                    CheckoutPhase.Confirming => ConfirmAsync(),
                    CheckoutPhase.Compensating => CompensateAsync(),
                    _ => throw new InvalidOperationException($"Checkout {OrderId} cannot run in phase {State.Phase}."),
                });
            }
            if (State.IsTerminal)
            {
                await UnregisterResumeAsync();
            }
        }
        catch (InconsistentStateException)
        {
            DeactivateOnIdle(); // another activation moved the saga on: this one's state is stale
        }
        catch (Exception)
        {
            // Left as persisted: the resume reminder picks it up again.
        }
        finally
        {
            running = false;
        }
    }

    private async Task ReserveAsync()
    {
        var request = State.Request!;
        foreach (var line in request.Lines)
        {
            var outcome = await StepAsync(options.Reserve, "reserving stock",
                _ => GrainFactory.GetGrain<IInventorySkuGrain>(line.Sku).Reserve(OrderId, line.Quantity, options.ReservationHold));
            if (outcome is null)
            {
                return;
            }
            if (outcome.Outcome == ReservationOutcome.InsufficientStock)
            {
                await CompensateWith(CheckoutPhase.Failed, $"insufficient stock for {line.Sku}");
                return;
            }
        }
        if (await StepAsync(options.Reserve, "recording the reservation", _ => GrainFactory.GetGrain<IOrderGrain>(OrderId).MarkReserved()) is not null)
        {
            await PersistAsync(state => state.Phase = CheckoutPhase.Paying);
        }
    }

    private async Task PayAsync()
    {
        var request = State.Request!;
        var payment = GrainFactory.GetGrain<IPaymentGrain>(OrderId);
        var total = request.Lines.Sum(l => l.LineTotal);
        var charged = await StepAsync(options.Payment, "the payment",
            token => payment.Charge(new PaymentRequest(OrderId, total, request.Currency, request.PaymentToken, request.Payer), token));
        if (charged is null)
        {
            return;
        }
        if (charged.Status == PaymentStatus.Declined)
        {
            await CompensateWith(CheckoutPhase.Failed, $"payment declined: {charged.DeclineReason}");
            return;
        }
        if (await StepAsync(options.Payment, "recording the payment", _ => GrainFactory.GetGrain<IOrderGrain>(OrderId).MarkPaid(charged.CaptureReference!)) is not null)
        {
            await PersistAsync(state => state.Phase = CheckoutPhase.Delivering);
        }
    }

    /// <summary>Books the order's shipment with the carrier its address and weight call for.</summary>
    private async Task DeliverAsync()
    {
        var request = State.Request!;
        var parcel = new ScheduleShipment(OrderId, request.ShippingAddress.Country, ParcelWeight.Of(request.Lines), request.ShippingAddress.PostalCode);
        try
        {
            if (await StepAsync(options.Delivery, "scheduling the delivery", token => GrainFactory.GetGrain<IShipmentGrain>(OrderId).Schedule(parcel, token)) is null)
            {
                return;
            }
        }
        catch (NoCarrierException refused)
        {
            await CompensateWith(CheckoutPhase.Failed, $"no delivery: {refused.Message}");
            return;
        }
        await PersistAsync(state => state.Phase = CheckoutPhase.Committing);
    }

    private async Task CommitAsync()
    {
        foreach (var line in State.Request!.Lines)
        {
            if (await StepAsync(options.Commit, "committing stock", _ => GrainFactory.GetGrain<IInventorySkuGrain>(line.Sku).Commit(OrderId)) is null)
            {
                return;
            }
        }
        await PersistAsync(state => state.Phase = CheckoutPhase.Confirming);
    }

    /// <summary>
    /// Confirms the order, then lets it catch up with a carrier that reported before it was confirmed (its reports
    /// leave an unconfirmed order alone). Once confirmed nothing may compensate, so the catching up retries until done.
    /// </summary>
    private async Task ConfirmAsync()
    {
        var order = GrainFactory.GetGrain<IOrderGrain>(OrderId);
        if (await StepAsync(options.Confirmation, "confirming the order", _ => order.Confirm()) is not null)
        {
            await RetryForeverAsync(_ => GrainFactory.GetGrain<IShipmentGrain>(OrderId).TellOrder());
            await PersistAsync(state => state.Phase = CheckoutPhase.Completed);
            CommerceTelemetry.CheckoutOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", nameof(CheckoutPhase.Completed)));
        }
    }

    /// <summary>Moves to compensation. A customer's cancel that arrived meanwhile wins over a step's failure.</summary>
    private Task CompensateWith(CheckoutPhase outcome, string reason) => PersistAsync(state =>
    {
        var cancelled = state.CancelRequested;
        state.Phase = CheckoutPhase.Compensating;
        state.CompensationOutcome = cancelled ? CheckoutPhase.Cancelled : outcome;
        state.FailureReason = cancelled ? state.FailureReason ?? reason : reason;
    });

    /// <summary>Undo in reverse: cancel the delivery, refund (or void), release every line, then record the outcome on the order (the notification).</summary>
    private async Task CompensateAsync()
    {
        var reason = State.FailureReason ?? "checkout failed";
        await RetryForeverAsync(token => CancelShipmentAsync(reason, token));
        await RetryForeverAsync(token => GrainFactory.GetGrain<IPaymentGrain>(OrderId).Refund(reason, token));
        foreach (var line in State.Request!.Lines)
        {
            await RetryForeverAsync(_ => GrainFactory.GetGrain<IInventorySkuGrain>(line.Sku).Release(OrderId, reason));
        }
        var order = GrainFactory.GetGrain<IOrderGrain>(OrderId);
        await RetryForeverAsync(_ => State.CompensationOutcome == CheckoutPhase.Cancelled ? order.Cancel(reason) : order.Fail(reason));
        await PersistAsync(state => state.Phase = state.CompensationOutcome);
        CommerceTelemetry.CheckoutOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", State.Phase.ToString()));
    }

    /// <summary>Cancels the order's shipment if the delivery step booked one (compensation never runs after it shipped).</summary>
    private async Task<ShipmentView?> CancelShipmentAsync(string reason, CancellationToken cancellationToken)
    {
        var shipment = GrainFactory.GetGrain<IShipmentGrain>(OrderId);
        return await shipment.Get() is { Status: not ShipmentStatus.Cancelled } ? await shipment.Cancel(reason, cancellationToken) : null;
    }

    /// <summary>One step with its timeout and retries; null when it kept failing and the saga moved to compensation.</summary>
    private async Task<T?> StepAsync<T>(StepPolicy policy, string what, Func<CancellationToken, Task<T>> action) where T : class
    {
        var outcome = await SagaStep.RunAsync(policy, options.RetryBackoff, what, action);
        if (!outcome.Succeeded)
        {
            await CompensateWith(CheckoutPhase.Failed, outcome.Failure!);
        }
        return outcome.Value;
    }

    private Task RetryForeverAsync<T>(Func<CancellationToken, Task<T>> action) =>
        SagaStep.RetryUntilDoneAsync(options.Reserve.Timeout, options.RetryBackoff, action);

    private async Task UnregisterResumeAsync()
    {
        if ((resumeReminder ?? await this.GetReminder(ResumeReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            resumeReminder = null;
        }
    }

    /// <summary>Writes the saga's state, one write at a time (a cancel and the running saga both persist).</summary>
    private async Task PersistAsync(Action<CheckoutState> change)
    {
        await persisting.WaitAsync();
        try
        {
            change(State);
            await saga.WriteStateAsync();
            if (State.IsTerminal)
            {
                ended?.TrySetResult();
            }
        }
        finally
        {
            persisting.Release();
        }
    }
}
