-- The funnel per hour (carts created, orders placed, confirmed, cancelled, failed), kept like fv_sales_hourly: an
-- hour the sink delivered funnel facts for is marked dirty and, once closed, recomputed from the facts with FINAL;
-- the highest `computed` wins. GET /v1/analytics/funnel reads it for the hours it trusts, the facts for the rest.
CREATE TABLE IF NOT EXISTS fv_funnel_hourly (
    hour          DateTime('UTC'),
    carts_created UInt64,
    placed        UInt64,
    confirmed     UInt64,
    cancelled     UInt64,
    failed        UInt64,
    computed      UInt64
) ENGINE = ReplacingMergeTree(computed) PARTITION BY toYYYYMM(hour) ORDER BY hour
