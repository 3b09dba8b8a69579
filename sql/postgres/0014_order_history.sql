-- Read model (CQRS), kept from the event log's streams and rebuilt by `firstviscount replay order-history`: each
-- order as its grain folds it (`state`, the order grain's OrderState as JSON), at `version` of the order's stream,
-- listed per customer, newest first (GET /v1/orders). Every write states the version it read, as in inventory_levels.
CREATE TABLE order_history (
    order_id    text        PRIMARY KEY,
    customer_id text        NOT NULL,
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    state       jsonb       NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_history_by_customer ON order_history (customer_id, created_at DESC, order_id DESC);
