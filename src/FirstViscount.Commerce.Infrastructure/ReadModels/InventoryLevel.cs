using FirstViscount.Commerce.Inventory;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.ReadModels;

/// <summary>One SKU in the inventory-levels read model, and how an event of its ledger changes it.</summary>
public sealed record InventoryLevel(string Sku, long OnHand, long Reserved, int ReorderPoint, long UnitsSold, DateTimeOffset? LowSince, long Version)
    : IStreamFoldedRow<InventoryLevel>
{
    public InventoryLevel AtVersion(long version) => this with { Version = version };

    public long Available => OnHand - Reserved;

    public static InventoryLevel Empty(string sku) => new(sku, 0, 0, 0, 0, null, 0);

    /// <summary>The level after <paramref name="recorded"/> (the next version of the SKU's stream), deserialized by <paramref name="serializer"/>.</summary>
    public InventoryLevel Apply(RecordedEvent recorded, EventSerializer serializer)
    {
        var next = serializer.Deserialize(recorded) switch
        {
            StockReceived e => this with { OnHand = OnHand + e.Quantity },
            StockAdjusted e => this with { OnHand = OnHand + e.Delta },
            StockReserved e => this with { Reserved = Reserved + e.Quantity },
            ReservationReleased e => this with { Reserved = Reserved - e.Quantity },
            ReservationCommitted e => this with { Reserved = Reserved - e.Quantity, OnHand = OnHand - e.Quantity, UnitsSold = UnitsSold + e.Quantity },
            ReorderPointSet e => this with { ReorderPoint = e.ReorderPoint },
            _ => this,
        };
        var low = next.Available <= next.ReorderPoint;
        return next with { Version = recorded.Version, LowSince = low ? LowSince ?? recorded.RecordedAt : null };
    }
}
