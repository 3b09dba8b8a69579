-- A carrier account belongs to the key it was encrypted under (key_id: the first 8 bytes of the key's SHA-256, in
-- hex): silos with another Delivery:CarrierKey on the same database (a test run beside a demo) neither read nor
-- overwrite it, and to them the carrier has no account. Rows from before have no key id, so they count as absent.
ALTER TABLE carrier_accounts ADD COLUMN key_id text NOT NULL DEFAULT '';
ALTER TABLE carrier_accounts DROP CONSTRAINT carrier_accounts_pkey;
ALTER TABLE carrier_accounts ADD PRIMARY KEY (carrier, key_id);
