namespace FirstViscount.Commerce.Inventory;

/// <summary>The folded state of one SKU. Invariant: 0 &lt;= Reserved &lt;= OnHand, so Available is never negative.</summary>
public sealed class InventoryState
{
    public int OnHand { get; set; }
    public int ReorderPoint { get; set; }
    public Dictionary<string, Reservation> Reservations { get; set; } = [];
    public HashSet<string> CommittedOrders { get; set; } = [];

    /// <summary>The sum of the reservations, kept as they change (summing on every decision would grow with them).</summary>
    public int Reserved { get; set; }

    public int Available => OnHand - Reserved;

    public void Apply(object @event)
    {
        switch (@event)
        {
            case StockReceived e: OnHand += e.Quantity; break;
            case StockAdjusted e: OnHand += e.Delta; break;
            case StockReserved e:
                Reservations[e.OrderId] = new Reservation(e.Quantity, e.ExpiresAt);
                Reserved += e.Quantity;
                break;
            case ReservationReleased e:
                Reserved -= Reservations.Remove(e.OrderId, out var released) ? released.Quantity : 0;
                break;
            case ReservationCommitted e:
                Reserved -= Reservations.Remove(e.OrderId, out var committed) ? committed.Quantity : 0;
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
