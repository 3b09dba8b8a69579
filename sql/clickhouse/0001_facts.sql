-- Fact tables fed by the analytics sink from the PostgreSQL event log. Delivery is at least once, so every
-- table is a ReplacingMergeTree whose sorting key contains the event id, and queries read it with FINAL:
-- an event delivered twice is counted once. Partitioned by month for retention (drop a partition).
-- Times are UTC whatever the server's time zone.
CREATE TABLE IF NOT EXISTS fv_orders (
    event_id    UUID,
    position    Int64,
    order_id    String,
    customer_id String,
    event_type  String,
    units       Int32,
    total       Decimal(18,2),
    currency    String,
    occurred_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), event_type, event_id);

CREATE TABLE IF NOT EXISTS fv_order_lines (
    event_id    UUID,
    line_no     UInt16,
    order_id    String,
    sku         String,
    quantity    Int32,
    unit_price  Decimal(18,2),
    line_total  Decimal(18,2),
    occurred_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), sku, event_id, line_no);

CREATE TABLE IF NOT EXISTS fv_inventory_movements (
    event_id    UUID,
    sku         String,
    kind        String,
    quantity    Int32,
    order_id    String,
    occurred_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), sku, event_id);

CREATE TABLE IF NOT EXISTS fv_payments (
    event_id    UUID,
    payment_id  String,
    order_id    String,
    kind        String,
    amount      Decimal(18,2),
    currency    String,
    occurred_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), event_id);

-- Cart activity (kind: created, item-set, item-removed, cleared); "created" feeds the funnel.
CREATE TABLE IF NOT EXISTS fv_cart_activity (
    event_id    UUID,
    cart_id     String,
    kind        String,
    sku         String,
    quantity    Int32,
    occurred_at DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), kind, event_id);
