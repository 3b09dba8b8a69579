-- Grain state: one row per (service, grain type, grain key, state name).
-- version is the ETag: every write states the version it read; a cleared record keeps its row
-- (payload NULL) so that a writer holding a version from before the clear still conflicts.
CREATE TABLE grain_state (
    service_id  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    state_name  text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    payload     jsonb,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_key, state_name)
);
