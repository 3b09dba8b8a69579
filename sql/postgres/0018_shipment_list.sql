-- Read model (CQRS), kept from the event log's streams and rebuilt by `firstviscount replay shipments`: each shipment
-- as its grain folds it (`state`, the shipment grain's ShipmentState as JSON), at `version` of its stream, listed for
-- admins newest first, by status or all (GET /v1/admin/shipments). Every write states the version it read.
CREATE TABLE shipment_list (
    shipment_id text        PRIMARY KEY,
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    state       jsonb       NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_list_newest ON shipment_list (created_at DESC, shipment_id DESC);
CREATE INDEX shipment_list_by_status ON shipment_list (status, created_at DESC, shipment_id DESC);
