-- The keys bearer tokens (JWTs) are signed with, shared by every silo: ECDSA P-256, the private key as PKCS#8. The
-- newest signs; every key young enough that a token it signed may still be unexpired verifies, so rotating the key
-- logs nobody out. `kid` is the key id in each token's header.
CREATE TABLE signing_keys (
    kid         text        PRIMARY KEY,
    private_key bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
