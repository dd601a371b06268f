// Package postgres is the secrets.Store for many workers: one PostgreSQL
// database (through pgx v5 and its pgxpool) shared by any number of
// processes on any number of machines.
//
// Tables live in the connection's current schema (the first existing schema
// of its search_path: add search_path=NAME to the connection string to use
// another than public). The schema is managed by ordered, embedded SQL
// migrations recorded in schema_migrations; Open applies the missing ones
// under a transaction-scoped advisory lock, so many processes starting at
// once migrate exactly once.
//
// Concurrency follows the SQLite store's rules: uniqueness of
// (developer_id, name) is enforced by the database (one of two concurrent
// creates wins, the other gets secrets.ErrAlreadyExists); an update reads
// its row with SELECT … FOR UPDATE and writes it in the same transaction,
// so concurrent updates, renames and deletes are serialized per secret and
// no version is lost. Every write also reads the active data key FOR SHARE,
// which a rotation's key switch waits for: a row is never written under a
// key that stopped being active before the write committed.
//
// Every committed change of a value, name or existence is announced with
// NOTIFY (see Watcher); only ciphertext is ever sent to the server.
//
// Later schema steps (version history, audit log, expiry) are new files in
// migrations/. A table that keeps old values must bind each ciphertext with
// secrets.ValueAAD for the name and version it was written under, reference
// secrets (id) ON DELETE CASCADE so a delete destroys every version, and
// join the rotation: RotateDataKey re-encrypts the rows the stale condition
// selects, so it must select that table's rows too.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/julepkit/julep/secrets"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order. File names are
// NNNN_name.sql, numbered 1, 2, 3…
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %q: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %q: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations are not numbered 1, 2, 3…: found %d at position %d", m.Version, i+1)
		}
	}
	return out, nil
}

// Channel is the NOTIFY channel every change of a secret is announced on.
const Channel = "julep_secrets"

// Store is a secrets.Store over a PostgreSQL database. It also implements
// secrets.KeyManager. It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	where  string // user@host:port/database, for messages
	schema string
	master atomic.Pointer[secrets.MasterKey]
	ring   atomic.Pointer[secrets.Keyring]
	reload sync.Mutex
	now    func() time.Time
	close  sync.Once
}

var (
	_ secrets.Store      = (*Store)(nil)
	_ secrets.KeyManager = (*Store)(nil)
)

// Open connects to the database named by connString (a postgres:// URL or
// a key=value DSN, as pgx accepts), applies the missing migrations, creates
// the keyring on first use and unwraps it with master. A wrong master key
// gives an error wrapping secrets.ErrEncryption. Errors never show a
// password.
func Open(ctx context.Context, connString string, master secrets.MasterKey) (*Store, error) {
	if master.IsZero() {
		return nil, secrets.ErrNoMasterKey
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err) // pgconn redacts the password
	}
	return OpenConfig(ctx, cfg, master)
}

// OpenConfig is Open with a parsed pool configuration (pool sizes, TLS,
// hooks). The Store owns the pool it makes from cfg.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, master secrets.MasterKey) (*Store, error) {
	if master.IsZero() {
		return nil, secrets.ErrNoMasterKey
	}
	where := describe(cfg.ConnConfig)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres store %s: %w", where, err)
	}
	s := &Store{pool: pool, where: where, now: time.Now}
	s.master.Store(&master)
	if err := s.init(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres store %s: %w", where, err)
	}
	return s, nil
}

// describe names a database for messages: host, port, database and user,
// never the password.
func describe(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Pool exposes the connection pool, for operators and tests (never needed
// for normal use).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Schema is the schema the store's tables live in.
func (s *Store) Schema() string { return s.schema }

func (s *Store) init(ctx context.Context) error {
	var schema *string
	if err := s.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	if schema == nil {
		return errors.New("no schema to create the tables in: the search_path names no existing schema (create it, or fix search_path in the connection string)")
	}
	s.schema = *schema
	if err := migrate(ctx, s.pool); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Serialize first-use keyring creation between processes.
		if _, err := tx.Exec(ctx, `LOCK TABLE data_keys IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock keyring: %w", err)
		}
		keys, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			k, err := secrets.NewWrappedDataKey(*s.master.Load(), 1, true, secrets.Timestamp(s.now()))
			if err != nil {
				return err
			}
			if err := insertKey(ctx, tx, k, true); err != nil {
				return err
			}
			keys = []secrets.WrappedDataKey{k}
		}
		ring, err := secrets.OpenKeyring(*s.master.Load(), keys)
		if err != nil {
			return err
		}
		s.ring.Store(ring)
		return nil
	})
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// migrate applies the missing migrations in one transaction holding an
// advisory lock keyed by the schema, so that processes starting at once
// wait for each other and the later ones find nothing to do.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('julep secrets migrate ' || current_schema()))`); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
			return err
		}
		if cur > len(ms) {
			return fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade julep", cur, len(ms))
		}
		for _, m := range ms[cur:] {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("migration %d (%s): record: %w", m.Version, m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func loadKeys(ctx context.Context, q querier) ([]secrets.WrappedDataKey, error) {
	rows, err := q.Query(ctx, `SELECT id, wrapped, master_fingerprint, active, created_at FROM data_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load keyring: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (secrets.WrappedDataKey, error) {
		var k secrets.WrappedDataKey
		var id int32
		err := r.Scan(&id, &k.Wrapped, &k.MasterFingerprint, &k.Active, &k.CreatedAt)
		k.ID, k.CreatedAt = uint32(id), k.CreatedAt.UTC()
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("load keyring: %w", err)
	}
	return out, nil
}

// insertKey stores a data key; done marks the rotation to it finished (a
// first key has nothing to move).
func insertKey(ctx context.Context, tx pgx.Tx, k secrets.WrappedDataKey, done bool) error {
	var reencrypted *time.Time
	if done {
		reencrypted = &k.CreatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO data_keys (id, wrapped, master_fingerprint, active, created_at, reencrypted_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		int32(k.ID), k.Wrapped, k.MasterFingerprint, k.Active, k.CreatedAt, reencrypted)
	if err != nil {
		return fmt.Errorf("store data key %d: %w", k.ID, err)
	}
	return nil
}

// reloadKeyring re-reads the keyring (another process may have rotated or
// re-wrapped it) and installs it.
func (s *Store) reloadKeyring(ctx context.Context, q querier) (*secrets.Keyring, error) {
	s.reload.Lock()
	defer s.reload.Unlock()
	return s.reloadKeyringLocked(ctx, q)
}

// reloadKeyringLocked is reloadKeyring for a caller holding s.reload.
func (s *Store) reloadKeyringLocked(ctx context.Context, q querier) (*secrets.Keyring, error) {
	keys, err := loadKeys(ctx, q)
	if err != nil {
		return nil, err
	}
	ring, err := secrets.OpenKeyring(*s.master.Load(), keys)
	if err != nil {
		return nil, err
	}
	s.ring.Store(ring)
	return ring, nil
}

// writeRing returns the keyring to seal with inside a write transaction.
// It reads the active key FOR SHARE: a rotation's key switch waits for this
// transaction, and this transaction seals with the key that is active
// until it commits. The cached keyring is reloaded when another process
// changed the active key.
func (s *Store) writeRing(ctx context.Context, tx pgx.Tx) (*secrets.Keyring, error) {
	var active int32
	for attempt := 0; ; attempt++ {
		err := tx.QueryRow(ctx, `SELECT id FROM data_keys WHERE active FOR SHARE`).Scan(&active)
		if err == nil {
			break
		}
		// While this statement waited for a rotation's key switch, the row it
		// had found stopped being active; the new key is visible to the next
		// statement (read committed).
		if !errors.Is(err, pgx.ErrNoRows) || attempt == 3 {
			return nil, fmt.Errorf("read active data key: %w", err)
		}
	}
	ring := s.ring.Load()
	if ring.ActiveID() == uint32(active) {
		return ring, nil
	}
	return s.reloadKeyring(ctx, tx)
}

// dbErr names the database in an error that is not about a secret (a
// connection lost, the server down): errors wrapping a secrets sentinel
// pass unchanged.
func (s *Store) dbErr(err error) error {
	for _, sentinel := range []error{secrets.ErrNotFound, secrets.ErrAlreadyExists, secrets.ErrInvalid, secrets.ErrPermissionDenied, secrets.ErrEncryption} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("postgres store %s: %w", s.where, err)
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

type row struct {
	id, developer, name, description string
	metadata                         string
	ciphertext                       []byte
	created, updated                 time.Time
	version                          int
}

const rowCols = `id::text, developer_id, name, description, metadata::text, value, created_at, updated_at, version`
const listCols = `id::text, developer_id, name, description, metadata::text, ''::bytea, created_at, updated_at, version`

func scanRow(sc pgx.Row) (*row, error) {
	var r row
	var version int32
	err := sc.Scan(&r.id, &r.developer, &r.name, &r.description, &r.metadata, &r.ciphertext, &r.created, &r.updated, &version)
	r.version = int(version)
	return &r, err
}

// ref is where the row's ciphertext is bound.
func (r *row) ref() secrets.ValueRef {
	return secrets.ValueRef{DeveloperID: r.developer, SecretID: r.id, Name: r.name, Version: r.version}
}

func (r *row) toSecret(value string) (*secrets.Secret, error) {
	md, err := secrets.DecodeMetadata([]byte(r.metadata))
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", r.name, err)
	}
	return &secrets.Secret{
		ID: r.id, DeveloperID: r.developer, Name: r.name, Description: r.description, Metadata: md,
		Value: value, CreatedAt: r.created.UTC(), UpdatedAt: r.updated.UTC(), Version: r.version,
	}, nil
}

func (s *Store) decrypt(ctx context.Context, q querier, r *row) (string, error) {
	pt, err := secrets.OpenValue(ctx, s.ring.Load(), r.ref(), r.ciphertext)
	if secrets.IsUnknownKey(err) {
		// Another process may have rotated the data key since we loaded it.
		ring, rerr := s.reloadKeyring(ctx, q)
		if rerr != nil {
			return "", secrets.DecryptError(r.name, rerr)
		}
		pt, err = secrets.OpenValue(ctx, ring, r.ref(), r.ciphertext)
	}
	if err != nil {
		return "", secrets.DecryptError(r.name, err)
	}
	return string(pt), nil
}

// Create stores a new secret (version 1).
func (s *Store) Create(ctx context.Context, developerID string, p secrets.CreateParams) (*secrets.Secret, error) {
	if err := secrets.ValidateCreate(p); err != nil {
		return nil, err
	}
	md, err := secrets.EncodeMetadata(p.Metadata)
	if err != nil {
		return nil, err
	}
	now := secrets.Timestamp(s.now())
	r := &row{id: uuid.NewString(), developer: developerID, name: p.Name, description: p.Description,
		metadata: string(md), created: now, updated: now, version: 1}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ring, err := s.writeRing(ctx, tx)
		if err != nil {
			return err
		}
		r.ciphertext, err = secrets.SealValue(ctx, ring, r.ref(), []byte(p.Value))
		if err != nil {
			return secrets.DecryptError(p.Name, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO secrets (id, developer_id, name, description, metadata, value, key_id, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)`,
			r.id, r.developer, r.name, r.description, r.metadata, r.ciphertext, int32(ring.ActiveID()), r.created, r.updated)
		if isUnique(err) {
			return secrets.AlreadyExists(p.Name)
		}
		if err != nil {
			return fmt.Errorf("create secret %q: %w", p.Name, err)
		}
		return nil
	})
	if err != nil {
		return nil, s.dbErr(err)
	}
	return r.toSecret(p.Value)
}

func getOne(ctx context.Context, q querier, key, where string, args ...any) (*row, error) {
	r, err := scanRow(q.QueryRow(ctx, `SELECT `+rowCols+` FROM secrets WHERE `+where, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, secrets.NotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("read secret %q: %w", key, err)
	}
	return r, nil
}

// Get returns a developer's secret by name, with its value.
func (s *Store) Get(ctx context.Context, developerID, name string) (*secrets.Secret, error) {
	return s.getDecrypted(ctx, name, `developer_id = $1 AND name = $2`, developerID, name)
}

// GetByID returns a developer's secret by id, with its value. An id that
// is not a UUID is simply not found.
func (s *Store) GetByID(ctx context.Context, developerID, id string) (*secrets.Secret, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, secrets.NotFound(id)
	}
	return s.getDecrypted(ctx, id, `developer_id = $1 AND id = $2`, developerID, u.String())
}

func (s *Store) getDecrypted(ctx context.Context, key, where string, args ...any) (*secrets.Secret, error) {
	r, err := getOne(ctx, s.pool, key, where, args...)
	if err != nil {
		return nil, s.dbErr(err)
	}
	v, err := s.decrypt(ctx, s.pool, r)
	if err != nil {
		return nil, err
	}
	return r.toSecret(v)
}

// List returns a page of a developer's secrets ordered by name (byte
// order), values replaced by secrets.EncryptedPlaceholder; ciphertexts are
// not even read. A metadata filter is applied before limit and offset.
func (s *Store) List(ctx context.Context, developerID string, p secrets.ListParams) ([]*secrets.Secret, error) {
	p, err := secrets.NormalizeList(p)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + listCols + ` FROM secrets WHERE developer_id = $1 ORDER BY name`
	args := []any{developerID}
	pageParams := p
	if len(p.Metadata) == 0 {
		q += ` LIMIT $2 OFFSET $3`
		args = append(args, p.Limit, p.Offset)
		pageParams = secrets.ListParams{Limit: p.Limit}
	}
	page := secrets.NewPage(pageParams)
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, s.dbErr(fmt.Errorf("list secrets: %w", err))
	}
	defer rows.Close()
	for rows.Next() && !page.Full() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("list secrets: %w", err)
		}
		sec, err := r.toSecret(secrets.EncryptedPlaceholder)
		if err != nil {
			return nil, err
		}
		page.Add(sec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.dbErr(fmt.Errorf("list secrets: %w", err))
	}
	return page.Secrets, nil
}

// Update changes any subset of a secret; the version increases only when
// the value changes. The row is read FOR UPDATE and written in the same
// transaction.
func (s *Store) Update(ctx context.Context, developerID, name string, p secrets.UpdateParams) (*secrets.Secret, error) {
	if err := secrets.ValidateUpdate(p); err != nil {
		return nil, err
	}
	var out *secrets.Secret
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		r, err := getOne(ctx, tx, name, `developer_id = $1 AND name = $2 FOR UPDATE`, developerID, name)
		if err != nil {
			return err
		}
		ring, err := s.writeRing(ctx, tx)
		if err != nil {
			return err
		}
		nr := *r
		keyID, _ := secrets.KeyIDOf(r.ciphertext)
		cur := secrets.StoredValue{Ref: r.ref(), Ciphertext: r.ciphertext}
		cur.Plaintext, cur.Err = s.decrypt(ctx, tx, r)
		if p.NewName != nil {
			nr.name = *p.NewName
		}
		vu, err := secrets.UpdateValue(ctx, ring, cur, nr.name, p.Value)
		if err != nil {
			return err
		}
		if vu.Ciphertext != nil {
			nr.ciphertext = vu.Ciphertext
			keyID = ring.ActiveID()
		}
		nr.version = vu.Version
		if p.Description != nil {
			nr.description = *p.Description
		}
		md, err := secrets.UpdatedMetadata([]byte(r.metadata), p)
		if err != nil {
			return err
		}
		nr.metadata = string(md)
		nr.updated = secrets.NextUpdatedAt(r.updated.UTC(), s.now())
		_, err = tx.Exec(ctx, `UPDATE secrets SET name = $1, description = $2, metadata = $3, value = $4, key_id = $5, updated_at = $6, version = $7
			WHERE id = $8`, nr.name, nr.description, nr.metadata, nr.ciphertext, int32(keyID), nr.updated, nr.version, r.id)
		if isUnique(err) {
			return secrets.AlreadyExists(nr.name)
		}
		if err != nil {
			return fmt.Errorf("update secret %q: %w", name, err)
		}
		out, err = nr.toSecret(vu.Value)
		return err
	})
	if err != nil {
		return nil, s.dbErr(err)
	}
	return out, nil
}

// Delete removes a developer's secret by name.
func (s *Store) Delete(ctx context.Context, developerID, name string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM secrets WHERE developer_id = $1 AND name = $2`, developerID, name)
	if err != nil {
		return s.dbErr(fmt.Errorf("delete secret %q: %w", name, err))
	}
	if tag.RowsAffected() == 0 {
		return secrets.NotFound(name)
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.close.Do(s.pool.Close)
	return nil
}
