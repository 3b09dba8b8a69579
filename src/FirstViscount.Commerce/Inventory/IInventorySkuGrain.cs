namespace FirstViscount.Commerce.Inventory;

/// <summary>
/// One SKU's stock. Every change is an event; concurrent changes are decided in arrival order and committed
/// together (group commit). Reservations are idempotent per order and expire after their hold.
/// </summary>
[Alias("fv.inventory-sku")]
public interface IInventorySkuGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("receive")]
    Task<StockLevels> Receive(int quantity, string reason);

    /// <summary>Changes on-hand stock; throws <see cref="StockConflictException"/> if it would fall below reserved or zero.</summary>
    [AlwaysInterleave, Alias("adjust")]
    Task<StockLevels> Adjust(int delta, string reason);

    [AlwaysInterleave, Alias("set-reorder-point")]
    Task<StockLevels> SetReorderPoint(int reorderPoint);

    /// <summary>Holds stock for an order until it is committed, released, or the hold runs out. Repeating it is harmless.</summary>
    [AlwaysInterleave, Alias("reserve")]
    Task<ReservationResult> Reserve(string orderId, int quantity, TimeSpan hold);

    /// <summary>Gives an order's held stock back. Repeating it, or releasing nothing, is harmless.</summary>
    [AlwaysInterleave, Alias("release")]
    Task<StockLevels> Release(string orderId, string reason);

    /// <summary>Turns an order's hold into a shipment: reserved and on-hand both fall. Repeating it is harmless.</summary>
    [AlwaysInterleave, Alias("commit")]
    Task<StockLevels> Commit(string orderId);

    [AlwaysInterleave, Alias("get-levels")]
    Task<StockLevels> GetLevels();

    [Alias("get-movements")]
    Task<IReadOnlyList<StockMovement>> GetMovements(int page, int pageSize);
}
