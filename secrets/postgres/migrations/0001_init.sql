-- Keyring: data keys wrapped (AES-256-GCM) under a key derived from the
-- master key. Exactly one key is active; old keys stay for old rows.
-- reencrypted_at is NULL while a rotation to the key is under way (the next
-- rotate-key resumes it).
CREATE TABLE data_keys (
    id                 integer     PRIMARY KEY CHECK (id > 0),
    wrapped            bytea       NOT NULL,
    master_fingerprint text        NOT NULL,
    active             boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL,
    reencrypted_at     timestamptz
);
CREATE UNIQUE INDEX data_keys_one_active ON data_keys (active) WHERE active;

-- Secrets: value holds only ciphertext (see secrets.ParseCiphertext), bound
-- to developer_id, id, name and version. Names sort and compare byte-wise
-- (COLLATE "C"), as on every backend. metadata is the JSON text the store
-- wrote (json keeps it verbatim; the store validates and filters it).
CREATE TABLE secrets (
    id           uuid        PRIMARY KEY,
    developer_id text        NOT NULL,
    name         text        COLLATE "C" NOT NULL,
    description  text        NOT NULL DEFAULT '',
    metadata     json        NOT NULL DEFAULT '{}',
    value        bytea       NOT NULL,
    key_id       integer     NOT NULL REFERENCES data_keys (id),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (developer_id, name)
);
CREATE INDEX secrets_key_id ON secrets (key_id);

-- Change notification: every committed change of a secret's value, name or
-- existence is announced on channel julep_secrets, so that workers drop
-- their cached values (secrets/postgres.Watcher). NOTIFY is delivered at
-- commit, and only if the transaction commits. The payload names the schema
-- (several stores may share a database) and the developer; it never holds a
-- value. Rewrites that keep name and version (data-key rotation, format
-- upgrade) change no value and are not announced.
CREATE FUNCTION julep_secrets_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    dev text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.name = OLD.name AND NEW.version = OLD.version AND NEW.developer_id = OLD.developer_id THEN
            RETURN NULL;
        END IF;
        dev := NEW.developer_id;
    ELSIF TG_OP = 'DELETE' THEN
        dev := OLD.developer_id;
    ELSE
        dev := NEW.developer_id;
    END IF;
    IF octet_length(dev) > 4000 THEN
        dev := NULL; -- too long for a payload: every developer's cache is dropped
    END IF;
    PERFORM pg_notify('julep_secrets', json_build_object('schema', TG_TABLE_SCHEMA, 'developer_id', dev, 'op', lower(TG_OP))::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER secrets_notify AFTER INSERT OR UPDATE OR DELETE ON secrets
    FOR EACH ROW EXECUTE FUNCTION julep_secrets_notify();
