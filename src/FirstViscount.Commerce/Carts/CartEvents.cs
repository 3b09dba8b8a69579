using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Carts;

// Cart activity, for analytics only: the cart itself lives in Redis; these go to the event log after each change.

/// <summary>The first item went into an empty cart: a new shopping session (the funnel's first step).</summary>
[EventType("cart.created")]
public sealed record CartCreated(string CartId, string CustomerId, DateTimeOffset At);

[EventType("cart.item-set")]
public sealed record CartItemSet(string CartId, string Sku, int Quantity, decimal UnitPrice, DateTimeOffset At);

[EventType("cart.item-removed")]
public sealed record CartItemRemoved(string CartId, string Sku, DateTimeOffset At);

[EventType("cart.cleared")]
public sealed record CartCleared(string CartId, DateTimeOffset At);
