-- The key ring that protects bearer tokens, shared by every silo so that any silo accepts any silo's tokens.
CREATE TABLE data_protection_keys (
    id          bigserial   PRIMARY KEY,
    friendly_name text      NOT NULL,
    xml         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Checkout idempotency: one row per (customer, Idempotency-Key) with the hash of the request it answered.
CREATE TABLE idempotency_keys (
    customer_id  text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    order_id     text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, key)
);

-- A customer's orders, newest first, straight from the event store.
CREATE INDEX events_orders_by_customer ON events ((payload ->> 'customerId'), recorded_at DESC) WHERE event_type = 'order.placed';
