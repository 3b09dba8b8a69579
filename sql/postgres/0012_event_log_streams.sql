-- The event log as Orleans stream queues (AddEventLogStreams): each event belongs to one of 16 partitions, a hash of
-- its stream id that the database computes as the row is appended (so every event of a stream is in one partition,
-- in order). A partition is read like the global log: by (transaction_id, position), only below the horizon of
-- finished transactions. Adding the column rewrites the table once.
ALTER TABLE events ADD COLUMN log_partition smallint NOT NULL GENERATED ALWAYS AS ((hashtext(stream_id) & 2147483647) % 16) STORED;
CREATE INDEX events_partition_order ON events (log_partition, transaction_id, position);

-- Where each stream provider's queue (a partition) has delivered up to; moved only after its consumers have the batch.
CREATE TABLE stream_checkpoints (
    provider       text        NOT NULL,
    queue          smallint    NOT NULL,
    transaction_id xid8        NOT NULL,
    position       bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, queue)
);

-- Where the analytics sink worker (which these streams replace) had got to: every event up to its checkpoint is in
-- ClickHouse, so each queue of the silos' sink (provider 'event-log') resumes from there instead of from the start.
INSERT INTO stream_checkpoints (provider, queue, transaction_id, position)
SELECT 'event-log', queue, c.transaction_id, c.position
FROM analytics_checkpoints c, generate_series(0, 15) AS queue
WHERE c.name = 'clickhouse'
ON CONFLICT (provider, queue) DO NOTHING;
