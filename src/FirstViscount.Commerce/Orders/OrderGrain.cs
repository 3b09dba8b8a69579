using System.Text;
using FirstViscount.Commerce.Delivery;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Orders;

/// <summary>An order: its lines and its status, as events. Each move is allowed only from the states that lead to it; repeating a move is harmless.</summary>
[GrainType("order")]
[Orleans.Placement.PreferLocalPlacement] // activated by its checkout saga, so on the saga's silo: the checkout's calls stay local
public sealed class OrderGrain(IEventStore store, EventSerializer serializer, TimeProvider time) : EventSourcedGrain<OrderState>(store, serializer), IOrderGrain
{
    private string OrderId => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<OrderView> Place(PlaceOrder order)
    {
        if (!State.Placed)
        {
            if (order.Lines.Count == 0 || order.Lines.Any(l => l.Quantity <= 0 || l.UnitPrice < 0))
            {
                throw new ArgumentException("An order needs lines with positive quantities and non-negative prices.", nameof(order));
            }
            await RaiseAsync(new OrderPlaced(OrderId, order.CustomerId, order.Lines, order.Lines.Sum(l => l.LineTotal), order.Currency, order.ShippingAddress, Now));
        }
        return View();
    }

    public Task<OrderView> MarkReserved() => Move(OrderStatus.Reserved, [OrderStatus.Pending], () => new OrderReserved(OrderId, Now));

    public Task<OrderView> MarkPaid(string paymentReference) =>
        Move(OrderStatus.Paid, [OrderStatus.Reserved], () => new OrderPaid(OrderId, paymentReference, State.Total, State.Currency, Now));

    public Task<OrderView> Confirm() =>
        Move(OrderStatus.Confirmed, [OrderStatus.Paid], () => new OrderConfirmed(OrderId, State.CustomerId, State.Lines, State.Total, State.Currency, Now),
            alreadyPast: [OrderStatus.Shipped, OrderStatus.Delivered]);

    public Task<OrderView> Cancel(string reason) =>
        Move(OrderStatus.Cancelled, [OrderStatus.Pending, OrderStatus.Reserved, OrderStatus.Paid], () => new OrderCancelled(OrderId, reason, Now));

    public Task<OrderView> Fail(string reason) =>
        Move(OrderStatus.Failed, [OrderStatus.Pending, OrderStatus.Reserved, OrderStatus.Paid], () => new OrderFailed(OrderId, reason, Now));

    public async Task<OrderView?> FollowShipment(ShipmentProgress shipment)
    {
        if (!State.Placed)
        {
            return null;
        }
        if (State.Status is OrderStatus.Confirmed && (shipment.Shipped || shipment.Delivered))
        {
            await RaiseAsync(new OrderShipped(OrderId, State.CustomerId, shipment.Carrier, shipment.TrackingNumber, Now));
        }
        if (State.Status is OrderStatus.Shipped && shipment.Delivered)
        {
            await RaiseAsync(new OrderDelivered(OrderId, State.CustomerId, shipment.Carrier, shipment.TrackingNumber, Now));
        }
        return View();
    }

    public Task<OrderView?> Get() => Task.FromResult(State.Placed ? View() : null);

    public async Task<IReadOnlyList<OrderHistoryEntry>> History() =>
        [.. (await ReadHistoryAsync()).Select(e => new OrderHistoryEntry(e.Version, e.Type, e.RecordedAt, e.Metadata.Actor, e.Metadata.CorrelationId, Encoding.UTF8.GetString(e.Payload)))];

    protected override void Apply(OrderState state, object @event) => state.Apply(@event);

    /// <summary>Moves to <paramref name="target"/> from one of <paramref name="from"/>; at the target or <paramref name="alreadyPast"/> it, nothing changes.</summary>
    private async Task<OrderView> Move(OrderStatus target, OrderStatus[] from, Func<object> @event, OrderStatus[]? alreadyPast = null)
    {
        if (!State.Placed)
        {
            throw new OrderStateConflictException($"Order {OrderId} does not exist.");
        }
        if (State.Status == target || alreadyPast?.Contains(State.Status) == true)
        {
            return View();
        }
        if (!from.Contains(State.Status))
        {
            throw new OrderStateConflictException($"Order {OrderId} is {State.Status} and can no longer become {target}.");
        }
        await RaiseAsync(@event());
        return View();
    }

    private OrderView View() =>
        new(OrderId, State.CustomerId, State.Status, State.Lines, State.Total, State.Currency, State.CreatedAt, State.UpdatedAt, State.FailureReason);
}
