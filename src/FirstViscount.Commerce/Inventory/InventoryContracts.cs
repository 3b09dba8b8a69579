namespace FirstViscount.Commerce.Inventory;

/// <summary>A SKU's stock levels, as API.md shows them.</summary>
[GenerateSerializer, Alias("fv.stock-levels")]
public sealed record StockLevels(
    [property: Id(0)] string Sku,
    [property: Id(1)] int OnHand,
    [property: Id(2)] int Reserved,
    [property: Id(3)] int Available,
    [property: Id(4)] int ReorderPoint,
    [property: Id(5)] long Version);

public enum ReservationOutcome { Reserved, InsufficientStock }

[GenerateSerializer, Alias("fv.reservation-result")]
public sealed record ReservationResult([property: Id(0)] ReservationOutcome Outcome, [property: Id(1)] StockLevels Levels);

/// <summary>One line of a SKU's movement history (receipts, adjustments, reservations, releases, commits).</summary>
[GenerateSerializer, Alias("fv.stock-movement")]
public sealed record StockMovement(
    [property: Id(0)] long Version,
    [property: Id(1)] string Kind,
    [property: Id(2)] int Quantity,
    [property: Id(3)] string? OrderId,
    [property: Id(4)] string? Reason,
    [property: Id(5)] DateTimeOffset At);

/// <summary>Stock would go below what is reserved, or below zero.</summary>
[GenerateSerializer, Alias("fv.stock-conflict")]
public sealed class StockConflictException(string message) : FirstViscountException(message);
