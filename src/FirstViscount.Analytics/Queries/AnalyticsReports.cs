namespace FirstViscount.Analytics.Queries;

public enum SalesInterval
{
    Hour,
    Day,
}

/// <summary>Confirmed orders in one bucket (its start, UTC): how many, the units they held, and their revenue.</summary>
public sealed record SalesBucket(DateTimeOffset Bucket, long Orders, long Units, decimal Revenue);

public sealed record ProductSales(string Sku, long Units, decimal Revenue);

public sealed record Funnel(long CartsCreated, long CheckoutsStarted, long OrdersConfirmed, long OrdersCancelled, long OrdersFailed);

/// <summary>How far the sink trails the event log: positions, events not yet delivered, and the age of the oldest of them.</summary>
public sealed record Freshness(long LastEventPosition, long LastSinkPosition, long LagEvents, double LagSeconds);

/// <summary>Shipments delivered on a day (UTC, as the carrier reported the delivery), and how many of them by their estimated day.</summary>
public sealed record DeliveryDay(DateOnly Day, long Delivered, long OnTime, double? OnTimeRate);

/// <summary>Deliveries over a range of days, each day of it present (empty ones as zeros), and their totals.</summary>
public sealed record DeliveryReport(DateOnly From, DateOnly To, long Delivered, long OnTime, double? OnTimeRate, IReadOnlyList<DeliveryDay> Days);
