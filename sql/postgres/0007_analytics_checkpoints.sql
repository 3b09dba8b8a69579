-- Where each analytics sink has got to in the global event log (transaction id, position).
CREATE TABLE analytics_checkpoints (
    name           text        PRIMARY KEY,
    transaction_id xid8        NOT NULL,
    position       bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
