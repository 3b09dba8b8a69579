namespace FirstViscount.Commerce.Orders;

public sealed class OrderState
{
    public bool Placed { get; set; }
    public string CustomerId { get; set; } = "";
    public OrderStatus Status { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
    public decimal Total { get; set; }
    public string Currency { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? FailureReason { get; set; }

    public void Apply(object @event)
    {
        switch (@event)
        {
            case OrderPlaced e:
                (Placed, CustomerId, Lines, Total, Currency, CreatedAt, UpdatedAt, Status) = (true, e.CustomerId, [.. e.Lines], e.Total, e.Currency, e.At, e.At, OrderStatus.Pending);
                break;
            case OrderReserved e: (Status, UpdatedAt) = (OrderStatus.Reserved, e.At); break;
            case OrderPaid e: (Status, UpdatedAt) = (OrderStatus.Paid, e.At); break;
            case OrderConfirmed e: (Status, UpdatedAt) = (OrderStatus.Confirmed, e.At); break;
            case OrderShipped e: (Status, UpdatedAt) = (OrderStatus.Shipped, e.At); break;
            case OrderDelivered e: (Status, UpdatedAt) = (OrderStatus.Delivered, e.At); break;
            case OrderCancelled e: (Status, UpdatedAt, FailureReason) = (OrderStatus.Cancelled, e.At, e.Reason); break;
            case OrderFailed e: (Status, UpdatedAt, FailureReason) = (OrderStatus.Failed, e.At, e.Reason); break;
            default: throw new FirstViscountException($"An order cannot apply {@event.GetType().Name}.");
        }
    }
}
