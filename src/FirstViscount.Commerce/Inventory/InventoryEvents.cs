using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Inventory;

[EventType("inventory.stock-received")]
public sealed record StockReceived(string Sku, int Quantity, string Reason);

[EventType("inventory.stock-adjusted")]
public sealed record StockAdjusted(string Sku, int Delta, string Reason);

/// <summary>Version 2 added <see cref="ExpiresAt"/>; version 1 events are upcast with the 15-minute default hold.</summary>
[EventType("inventory.stock-reserved", schemaVersion: 2)]
public sealed record StockReserved(string Sku, string OrderId, int Quantity, DateTimeOffset ReservedAt, DateTimeOffset ExpiresAt);

[EventType("inventory.reservation-released")]
public sealed record ReservationReleased(string Sku, string OrderId, int Quantity, string Reason);

[EventType("inventory.reservation-committed")]
public sealed record ReservationCommitted(string Sku, string OrderId, int Quantity);

[EventType("inventory.low-stock")]
public sealed record LowStockReached(string Sku, int Available, int ReorderPoint);

[EventType("inventory.reorder-point-set")]
public sealed record ReorderPointSet(string Sku, int ReorderPoint);
