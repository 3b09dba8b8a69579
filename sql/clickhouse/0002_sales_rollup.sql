-- Confirmed sales per hour, recomputed from fv_orders FINAL for each closed hour that received events (so it is
-- exact under at-least-once delivery, which a summing materialized view would not be). The newest recompute of
-- an hour wins. Day totals are sums of hours. Hours still open or not yet recomputed are read from fv_orders.
CREATE TABLE IF NOT EXISTS fv_sales_hourly (
    hour     DateTime('UTC'),
    orders   UInt64,
    units    Int64,
    revenue  Decimal(18,2),
    computed UInt64
) ENGINE = ReplacingMergeTree(computed) PARTITION BY toYYYYMM(hour) ORDER BY hour
