namespace FirstViscount.Commerce.Inventory;

/// <summary>
/// The folded state of one SKU. Invariant: 0 &lt;= Reserved &lt;= OnHand, so Available is never negative. Snapshots
/// store it as JSON; its Orleans codec is for copying it (as a JournaledGrain would).
/// </summary>
[GenerateSerializer, Alias("fv.inventory-state")]
public sealed class InventoryState
{
    [Id(0)]
    public int OnHand { get; set; }

    [Id(1)]
    public int ReorderPoint { get; set; }

    [Id(2)]
    public Dictionary<string, Reservation> Reservations { get; set; } = [];

    [Id(3)]
    public HashSet<string> CommittedOrders { get; set; } = [];

    /// <summary>The sum of the reservations, kept as they change (summing on every decision would grow with them).</summary>
    [Id(4)]
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

[GenerateSerializer, Alias("fv.reservation")]
public sealed record Reservation([property: Id(0)] int Quantity, [property: Id(1)] DateTimeOffset ExpiresAt);
