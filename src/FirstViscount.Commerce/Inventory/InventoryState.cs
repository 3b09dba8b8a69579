namespace FirstViscount.Commerce.Inventory;

/// <summary>The folded state of one SKU. Invariant: 0 &lt;= Reserved &lt;= OnHand, so Available is never negative.</summary>
public sealed class InventoryState
{
    public int OnHand { get; set; }
    public int ReorderPoint { get; set; }
    public Dictionary<string, Reservation> Reservations { get; set; } = [];
    public HashSet<string> CommittedOrders { get; set; } = [];

    public int Reserved => Reservations.Values.Sum(r => r.Quantity);

    public int Available => OnHand - Reserved;

    public InventoryState Clone() => new()
    {
        OnHand = OnHand,
        ReorderPoint = ReorderPoint,
        Reservations = new Dictionary<string, Reservation>(Reservations),
        CommittedOrders = [.. CommittedOrders],
    };

    public void Apply(object @event)
    {
        switch (@event)
        {
            case StockReceived e: OnHand += e.Quantity; break;
            case StockAdjusted e: OnHand += e.Delta; break;
            case StockReserved e: Reservations[e.OrderId] = new Reservation(e.Quantity, e.ExpiresAt); break;
            case ReservationReleased e: Reservations.Remove(e.OrderId); break;
            case ReservationCommitted e:
                Reservations.Remove(e.OrderId);
                OnHand -= e.Quantity;
                CommittedOrders.Add(e.OrderId);
                break;
            case ReorderPointSet e: ReorderPoint = e.ReorderPoint; break;
            case LowStockReached: break;
            default: throw new FirstViscountException($"Inventory cannot apply {@event.GetType().Name}.");
        }
    }
}

public sealed record Reservation(int Quantity, DateTimeOffset ExpiresAt);
