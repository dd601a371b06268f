// Package postgres keeps API key records in the PostgreSQL database of the
// secrets store (table api_keys in the connection's current schema, next to
// the secrets tables), so that "julep apikeys" and every "julep serve" in
// front of that database share them. Only SHA-256 hashes of keys are
// written.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/julepkit/julep/apikeys"
)

// schema creates the table on first use; it is independent of the secrets
// store's numbered migrations (it only adds a table of its own).
const schema = `CREATE TABLE IF NOT EXISTS api_keys (
    id           text        PRIMARY KEY,
    developer_id text        NOT NULL,
    hash         bytea       NOT NULL CHECK (length(hash) = 32),
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_developer ON api_keys (developer_id, created_at)`

// Store is an apikeys.Store over PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ apikeys.Store = (*Store)(nil)

// Open connects to the database named by connString (the store spec's
// postgres:// URL) and creates the api_keys table when missing. Errors
// never show a password.
func Open(ctx context.Context, connString string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err) // pgconn redacts the password
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("api keys %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	if err := createTable(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("api keys %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return &Store{pool: pool}, nil
}

func createTable(ctx context.Context, pool *pgxpool.Pool) error {
	// Serialized: two processes creating the table at once would collide
	// in the catalog.
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("create api_keys table: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7305108151928377)`); err != nil {
		return fmt.Errorf("create api_keys table: %w", err)
	}
	if _, err := tx.Exec(ctx, schema); err != nil {
		return fmt.Errorf("create api_keys table: %w", err)
	}
	return tx.Commit(ctx)
}

func scanKey(row pgx.Row) (apikeys.Key, error) {
	var k apikeys.Key
	var revoked *time.Time
	if err := row.Scan(&k.ID, &k.DeveloperID, &k.Hash, &k.CreatedAt, &revoked); err != nil {
		return k, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	if revoked != nil {
		t := revoked.UTC()
		k.RevokedAt = &t
	}
	return k, nil
}

const cols = `id, developer_id, hash, created_at, revoked_at`

// Insert implements apikeys.Store.
func (s *Store) Insert(ctx context.Context, k apikeys.Key) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO api_keys (id, developer_id, hash, created_at) VALUES ($1, $2, $3, $4)`,
		k.ID, k.DeveloperID, k.Hash, k.CreatedAt.UTC())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("API key id %s already exists", k.ID)
	}
	if err != nil {
		return fmt.Errorf("insert API key %s: %w", k.ID, err)
	}
	return nil
}

// ByID implements apikeys.Store.
func (s *Store) ByID(ctx context.Context, id string) (apikeys.Key, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+cols+` FROM api_keys WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return apikeys.Key{}, fmt.Errorf("%w: %s", apikeys.ErrNotFound, id)
	}
	if err != nil {
		return apikeys.Key{}, fmt.Errorf("read API key %s: %w", id, err)
	}
	return k, nil
}

// List implements apikeys.Store.
func (s *Store) List(ctx context.Context, developerID string) ([]apikeys.Key, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+cols+` FROM api_keys WHERE $1 = '' OR developer_id = $1 ORDER BY created_at, id`, developerID)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	defer rows.Close()
	out := []apikeys.Key{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("list API keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	return out, nil
}

// Revoke implements apikeys.Store.
func (s *Store) Revoke(ctx context.Context, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, at.UTC(), id)
	if err != nil {
		return fmt.Errorf("revoke API key %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: %s", apikeys.ErrNotFound, id)
	}
	return nil
}

// Ping implements apikeys.Store.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE id = ''`).Scan(&n)
}

// Close implements apikeys.Store.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
