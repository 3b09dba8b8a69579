using System.Security.Cryptography;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Orders;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Delivery;

/// <summary>
/// One order's shipment (keyed by the order id, which is also the shipment's id). The carrier and tracking number
/// are chosen once and recorded before the label is booked, so a retried or resumed delivery step books the same
/// shipment under the same idempotency key; the carrier's reports are recorded as they come.
/// </summary>
[GrainType("shipment")]
public sealed class ShipmentGrain(IEventStore store, EventSerializer serializer, ICarrierGateway carriers, CheckoutOptions checkout, TimeProvider time)
    : EventSourcedGrain<ShipmentState>(store, serializer), IShipmentGrain
{
    private string ShipmentId => this.GetPrimaryKeyString();

    public async Task<ShipmentView> Schedule(ScheduleShipment request, CancellationToken cancellationToken)
    {
        if (request.OrderId != ShipmentId)
        {
            throw new ArgumentException($"Shipment {ShipmentId} is for order {ShipmentId}, not {request.OrderId}.", nameof(request));
        }
        if (!State.Exists)
        {
            var choice = CarrierRules.Choose(request.Country, request.WeightGrams);
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            await RaiseAsync(new ShipmentCreated(ShipmentId, request.OrderId, choice.Carrier, NewTrackingNumber(), request.Country, request.WeightGrams,
                CarrierRules.EstimatedDelivery(today, choice.TransitDays)), cancellationToken: CancellationToken.None);
        }
        if (State.LabelReference is null && !State.Cancelled)
        {
            using var deadline = CarrierDeadline(cancellationToken);
            var label = await carriers.CreateLabelAsync($"{ShipmentId}:label",
                new LabelRequest(ShipmentId, State.Carrier, State.TrackingNumber, request.Country, request.PostalCode, request.WeightGrams), deadline.Token);
            await RaiseAsync(new ShipmentLabelCreated(ShipmentId, ShipmentId, label), cancellationToken: CancellationToken.None); // booked: record it even if the caller gave up
        }
        return View()!;
    }

    /// <summary>
    /// Records the report (once per carrier event id), then moves the order along. The order is told on every report,
    /// a repeated one too: a carrier resends what it was not sure arrived, so an order left behind by a crash between
    /// the two writes catches up.
    /// </summary>
    public async Task<ShipmentView> Track(TrackingUpdate update)
    {
        if (!State.Exists)
        {
            throw new ShipmentConflictException($"Order {ShipmentId} has no shipment to track.");
        }
        if (!State.HasReport(update.CarrierEventId))
        {
            await RaiseAsync(new ShipmentTracked(ShipmentId, ShipmentId, update.CarrierEventId, update.Status, update.CarrierStatus, update.Location,
                update.Description, update.OccurredAt));
        }
        return (await TellOrder())!;
    }

    public async Task<ShipmentView?> TellOrder()
    {
        if (View() is not { } shipment)
        {
            return null;
        }
        await GrainFactory.GetGrain<IOrderGrain>(ShipmentId).FollowShipment(ShipmentProgress.Of(shipment));
        return shipment;
    }

    public async Task<ShipmentView> Cancel(string reason, CancellationToken cancellationToken)
    {
        if (!State.Exists)
        {
            throw new ShipmentConflictException($"Order {ShipmentId} has no shipment to cancel.");
        }
        if (State.Cancelled)
        {
            return View()!;
        }
        if (State.Status is not (ShipmentStatus.Pending or ShipmentStatus.LabelCreated))
        {
            throw new ShipmentConflictException($"Shipment {ShipmentId} is {State.Status}; only one that has not shipped can be cancelled.");
        }
        if (State.LabelReference is { } label)
        {
            using var deadline = CarrierDeadline(cancellationToken);
            await carriers.CancelLabelAsync($"{ShipmentId}:cancel", State.Carrier, label, deadline.Token);
        }
        await RaiseAsync(new ShipmentCancelled(ShipmentId, ShipmentId, reason), cancellationToken: CancellationToken.None);
        return View()!;
    }

    public Task<ShipmentView?> Get() => Task.FromResult(View());

    protected override void Apply(ShipmentState state, object @event) => state.Apply(@event);

    /// <summary>The caller's token, cut off after the delivery step's timeout: a carrier call never outlasts its step.</summary>
    private CancellationTokenSource CarrierDeadline(CancellationToken callerToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        deadline.CancelAfter(checkout.Delivery.Timeout);
        return deadline;
    }

    /// <summary>"FV" and 12 random letters and digits (no 0/O or 1/I): 60 bits, so two shipments never share one in practice.</summary>
    private static string NewTrackingNumber() => "FV" + RandomNumberGenerator.GetString("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", 12);

    private ShipmentView? View() => State.Exists ? State.View(ShipmentId) : null;
}
