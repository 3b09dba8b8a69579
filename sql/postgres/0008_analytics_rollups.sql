-- Hours whose confirmed sales reached ClickHouse after the hour's roll-up was last computed (or never was).
-- Marked in the same transaction that moves the sink's checkpoint; cleared when the hour is recomputed.
CREATE TABLE analytics_dirty_hours (
    sink       text        NOT NULL,
    hour       timestamptz NOT NULL,
    dirtied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (sink, hour)
);
