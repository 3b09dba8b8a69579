-- The carriers' accounts (delivery service): the secret each carrier signs its webhooks with, and the credentials the
-- platform books labels with. Both are encrypted at rest (AES-256-GCM under setting Delivery:CarrierKey, kept outside
-- the database), as base64(nonce | tag | ciphertext).
CREATE TABLE carrier_accounts (
    carrier        text        PRIMARY KEY,
    webhook_secret text        NOT NULL,
    credentials    text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
