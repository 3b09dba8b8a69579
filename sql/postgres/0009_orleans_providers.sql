-- The tables and statements of Orleans's ADO.NET providers (Microsoft.Orleans.Persistence.AdoNet and
-- Microsoft.Orleans.Reminders.AdoNet), written for this project from the providers' contract: each provider
-- reads its statements from OrleansQuery by key when it starts, binds its named parameters (@ServiceId, ...)
-- and reads result columns by name. Orleans ships no scripts in its packages; these are ours.

-- Unquoted, as the providers query it: SELECT QueryKey, QueryText FROM OrleansQuery.
CREATE TABLE OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);

-- Grain state. Unlike Orleans's own PostgreSQL script this table has a primary key, so two activations
-- that both write a grain's first state cannot both insert: the loser's INSERT ... ON CONFLICT DO NOTHING
-- returns no version and the provider raises InconsistentStateException. The provider passes only the state
-- name; FirstViscount's storage prefixes it with the grain type ("checkout-saga/checkout"), so grains of
-- two types with the same key and state name never share a row. The key is the grain's string key, or for
-- integer and Guid keys the two 64-bit halves with the key extension. version is the ETag (a 32-bit integer,
-- because the provider parses ETags as int); a cleared state keeps its row as a tombstone (payload NULL)
-- with a new version, so a writer holding a version from before the clear still conflicts.
CREATE TABLE orleans_grain_state (
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    key_string  text        NOT NULL,
    key_n0      bigint      NOT NULL,
    key_n1      bigint      NOT NULL,
    version     integer     NOT NULL,
    payload     bytea,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, key_string, key_n0, key_n1)
);

-- Durable reminders. grain_hash is the grain's uniform hash as a signed integer, as the provider binds it;
-- the reminder service of each silo reads the hash range it owns.
CREATE TABLE orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_string = coalesce(@GrainIdExtensionString, '') AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
$sql$),

-- No ETag: the first write, which inserts unless a row exists. An ETag: an update of exactly that version.
-- No row back means another writer won; the provider turns that into InconsistentStateException.
('WriteToStorageKey', $sql$
WITH inserted AS (
    INSERT INTO orleans_grain_state (service_id, state_name, key_string, key_n0, key_n1, version, payload)
    SELECT @ServiceId, @GrainTypeString, coalesce(@GrainIdExtensionString, ''), @GrainIdN0, @GrainIdN1, 1, @PayloadBinary
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
), updated AS (
    UPDATE orleans_grain_state
    SET version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END, payload = @PayloadBinary, modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND service_id = @ServiceId AND state_name = @GrainTypeString
      AND key_string = coalesce(@GrainIdExtensionString, '') AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM inserted
UNION ALL
SELECT version FROM updated
$sql$),

-- Clearing leaves a tombstone with a new version.
('ClearStorageKey', $sql$
UPDATE orleans_grain_state
SET version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END, payload = NULL, modified_at = now()
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_string = coalesce(@GrainIdExtensionString, '') AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
  AND version = @GrainStateVersion
RETURNING version
$sql$),

-- For DeleteStateOnClear: the provider expects the deleted version + 1 back.
('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_string = coalesce(@GrainIdExtensionString, '') AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
  AND version = @GrainStateVersion
RETURNING version + 1
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$sql$),

-- The hash range (BeginHash, EndHash], when it does not wrap around ...
('ReadRangeRows1Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$sql$),

-- ... and when it does.
('ReadRangeRows2Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$sql$),

('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
    version = CASE WHEN orleans_reminders.version = 2147483647 THEN 1 ELSE orleans_reminders.version + 1 END
RETURNING version AS "Version"
$sql$),

-- Deletes only the version the caller holds; answers whether it did.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM deleted
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$sql$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
