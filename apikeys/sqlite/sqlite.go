// Package sqlite keeps API key records in the SQLite file of the secrets
// store (table api_keys), so that "julep apikeys create" and "julep serve"
// share them. Only SHA-256 hashes of keys are written.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/julepkit/julep/apikeys"
	secretsqlite "github.com/julepkit/julep/secrets/sqlite"
)

// schema creates the table on first use; it is independent of the secrets
// store's numbered migrations (it only adds a table of its own).
const schema = `CREATE TABLE IF NOT EXISTS api_keys (
    id           TEXT    PRIMARY KEY,
    developer_id TEXT    NOT NULL,
    hash         BLOB    NOT NULL CHECK (length(hash) = 32),
    created_at   INTEGER NOT NULL, -- Unix microseconds, UTC
    revoked_at   INTEGER           -- Unix microseconds, UTC; NULL while valid
);
CREATE INDEX IF NOT EXISTS api_keys_developer ON api_keys (developer_id, created_at);`

// Store is an apikeys.Store over a SQLite file.
type Store struct {
	db    *sql.DB
	byID  *sql.Stmt
	owned bool
}

var _ apikeys.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite file at path, usually the
// secrets store's file, and creates the api_keys table when missing.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("api keys: create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	_ = f.Close()
	db, err := sql.Open("sqlite", secretsqlite.DSN(path))
	if err != nil {
		return nil, fmt.Errorf("api keys %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4) // the default (2) would close and reopen connections under load
	s, err := New(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("api keys %s: %w", path, err)
	}
	s.owned = true
	return s, nil
}

// New uses an open database (which the caller keeps and closes).
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return nil, fmt.Errorf("create api_keys table: %w", err)
	}
	st, err := db.PrepareContext(ctx, `SELECT id, developer_id, hash, created_at, revoked_at FROM api_keys WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("prepare api key lookup: %w", err)
	}
	return &Store{db: db, byID: st}, nil
}

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func scanKey(sc interface{ Scan(...any) error }) (apikeys.Key, error) {
	var k apikeys.Key
	var created int64
	var revoked sql.NullInt64
	if err := sc.Scan(&k.ID, &k.DeveloperID, &k.Hash, &created, &revoked); err != nil {
		return k, err
	}
	k.CreatedAt = time.UnixMicro(created).UTC()
	if revoked.Valid {
		t := time.UnixMicro(revoked.Int64).UTC()
		k.RevokedAt = &t
	}
	return k, nil
}

// Insert implements apikeys.Store.
func (s *Store) Insert(ctx context.Context, k apikeys.Key) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, developer_id, hash, created_at) VALUES (?, ?, ?, ?)`,
		k.ID, k.DeveloperID, k.Hash, micros(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert API key %s: %w", k.ID, err)
	}
	return nil
}

// ByID implements apikeys.Store.
func (s *Store) ByID(ctx context.Context, id string) (apikeys.Key, error) {
	k, err := scanKey(s.byID.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return apikeys.Key{}, fmt.Errorf("%w: %s", apikeys.ErrNotFound, id)
	}
	if err != nil {
		return apikeys.Key{}, fmt.Errorf("read API key %s: %w", id, err)
	}
	return k, nil
}

// List implements apikeys.Store.
func (s *Store) List(ctx context.Context, developerID string) ([]apikeys.Key, error) {
	q := `SELECT id, developer_id, hash, created_at, revoked_at FROM api_keys`
	var args []any
	if developerID != "" {
		q += ` WHERE developer_id = ?`
		args = append(args, developerID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
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
	res, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, micros(at), id)
	if err != nil {
		return fmt.Errorf("revoke API key %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %s", apikeys.ErrNotFound, id)
	}
	return nil
}

// Ping implements apikeys.Store.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_keys WHERE id = ''`).Scan(&n)
}

// Close implements apikeys.Store; it closes the database only when Open
// opened it.
func (s *Store) Close() error {
	err := s.byID.Close()
	if s.owned {
		if cerr := s.db.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
