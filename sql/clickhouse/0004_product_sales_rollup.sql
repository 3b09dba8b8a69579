-- Confirmed units and revenue per product per calendar month (UTC), kept like fv_sales_hourly: whenever an hour's
-- roll-up is recomputed, so is its month's, from fv_order_lines FINAL; the highest `computed` wins. GET
-- /v1/analytics/top-products reads it for the whole months before the first dirty hour, the order lines for the
-- rest, so that two years of top products read 24 months per product instead of every line.
CREATE TABLE IF NOT EXISTS fv_product_sales_monthly (
    month    Date,
    sku      String,
    units    Int64,
    revenue  Decimal(18,2),
    computed UInt64
) ENGINE = ReplacingMergeTree(computed) PARTITION BY toYYYYMM(month) ORDER BY (month, sku)
