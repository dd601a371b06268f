-- Keyring: data keys wrapped (AES-256-GCM) under a key derived from the
-- master key. Exactly one key is active; old keys stay for old rows.
CREATE TABLE data_keys (
    id                 INTEGER PRIMARY KEY,
    wrapped            BLOB    NOT NULL,
    master_fingerprint TEXT    NOT NULL,
    active             INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at         INTEGER NOT NULL -- Unix microseconds, UTC
);
CREATE UNIQUE INDEX data_keys_one_active ON data_keys (active) WHERE active = 1;

-- Secrets: value holds only ciphertext (see secrets.ParseCiphertext), bound
-- to developer_id, id and version.
CREATE TABLE secrets (
    id           TEXT    PRIMARY KEY,
    developer_id TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    metadata     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    value        BLOB    NOT NULL,
    key_id       INTEGER NOT NULL REFERENCES data_keys (id),
    created_at   INTEGER NOT NULL, -- Unix microseconds, UTC
    updated_at   INTEGER NOT NULL, -- Unix microseconds, UTC
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (developer_id, name)
);
CREATE INDEX secrets_key_id ON secrets (key_id);
