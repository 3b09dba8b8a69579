-- Durable reminders, delivered by whichever silo owns the grain when they fall due.
CREATE TABLE reminders (
    service_id  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    name        text        NOT NULL,
    due_at      timestamptz NOT NULL,
    period_ms   bigint      CHECK (period_ms > 0),
    PRIMARY KEY (service_id, grain_type, grain_key, name)
);
CREATE INDEX reminders_due ON reminders (service_id, due_at);
