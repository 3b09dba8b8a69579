-- The event store. Streams are (stream_id, version) with version 1, 2, 3, ...; position is a global identity.
-- Readers of the global log order by (transaction_id, position) and only read rows of transactions below
-- the snapshot's xmin: every such transaction has finished, and no new one can get a smaller id, so a
-- reader never advances past an event that commits late.
CREATE TABLE events (
    position        bigserial   PRIMARY KEY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL CHECK (version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL DEFAULT 1,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, version)
);
CREATE INDEX events_global_order ON events (transaction_id, position);

CREATE TABLE snapshots (
    stream_id  text        PRIMARY KEY,
    version    bigint      NOT NULL,
    state      jsonb       NOT NULL,
    saved_at   timestamptz NOT NULL DEFAULT now()
);
