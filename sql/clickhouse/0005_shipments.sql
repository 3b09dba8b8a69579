-- Shipment facts (kind: created, label-created, tracked, cancelled), fed by the sink like the others. `occurred_at` is
-- when the event was recorded (as in every fact table: months, retention and the audit go by it); `reported_at` is
-- when the carrier says it happened (tracked events; the recording time for the rest). `estimated_delivery` is the
-- created event's promise (1970-01-01 for the rest). Deliveries per day and the on-time rate come from here.
CREATE TABLE IF NOT EXISTS fv_shipments (
    event_id           UUID,
    shipment_id        String,
    kind               String,
    carrier            String,
    status             String,
    estimated_delivery Date,
    reported_at        DateTime('UTC'),
    occurred_at        DateTime('UTC')
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (toDate(occurred_at), kind, event_id);
