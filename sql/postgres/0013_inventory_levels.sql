-- Read model (CQRS), kept from the event log's streams and rebuilt by `firstviscount replay inventory-levels`: per
-- SKU, its stock as its ledger says, the units it has sold, and since when it has been at or below its reorder point
-- (GET /v1/inventory/alerts). `version` is the SKU stream's version folded so far: every write states the version it
-- read, so a delivery repeated or racing a rebuild never folds an event twice or drops one.
CREATE TABLE inventory_levels (
    sku           text        PRIMARY KEY,
    on_hand       bigint      NOT NULL,
    reserved      bigint      NOT NULL,
    reorder_point integer     NOT NULL,
    units_sold    bigint      NOT NULL,
    low_since     timestamptz,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_levels_low ON inventory_levels (low_since, sku) WHERE low_since IS NOT NULL;
