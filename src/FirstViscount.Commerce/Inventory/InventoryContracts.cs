namespace FirstViscount.Commerce.Inventory;

/// <summary>A SKU's stock levels, as API.md shows them.</summary>
public sealed record StockLevels(string Sku, int OnHand, int Reserved, int Available, int ReorderPoint, long Version);

public enum ReservationOutcome { Reserved, InsufficientStock }

public sealed record ReservationResult(ReservationOutcome Outcome, StockLevels Levels);

/// <summary>One line of a SKU's movement history (receipts, adjustments, reservations, releases, commits).</summary>
public sealed record StockMovement(long Version, string Kind, int Quantity, string? OrderId, string? Reason, DateTimeOffset At);

/// <summary>Stock would go below what is reserved, or below zero.</summary>
public sealed class StockConflictException(string message) : FirstViscountException(message);
