-- reencrypted_at is set when a data-key rotation to this key has moved every
-- secret to it; NULL while one is under way (an interrupted rotation is
-- resumed by the next rotate-key instead of making another key). Keys that
-- exist already are done.
ALTER TABLE data_keys ADD COLUMN reencrypted_at INTEGER; -- Unix microseconds, UTC
UPDATE data_keys SET reencrypted_at = created_at;
