// Package sqlite is the embedded secrets.Store: one SQLite file (pure-Go
// driver modernc.org/sqlite, no cgo) in WAL mode, safe to share between a
// CLI process and a server process. Writes run in BEGIN IMMEDIATE
// transactions with a busy timeout; uniqueness of (developer_id, name) is
// enforced by the database. Only ciphertext is ever written: values are
// sealed in memory before they reach SQLite.
//
// The schema is managed by ordered, embedded SQL migrations recorded in the
// schema_migrations table.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/julepkit/julep/secrets"
)

// BusyTimeout is how long a statement waits for another connection or
// process holding the write lock before failing.
const BusyTimeout = 10 * time.Second

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order. File names are
// NNNN_name.sql.
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

// Store is a secrets.Store over one SQLite file. It also implements
// secrets.KeyManager.
type Store struct {
	path    string
	db      *sql.DB
	master  atomic.Pointer[secrets.MasterKey]
	ring    atomic.Pointer[secrets.Keyring]
	reload  sync.Mutex
	now     func() time.Time
	closeMu sync.Once
}

var (
	_ secrets.Store      = (*Store)(nil)
	_ secrets.KeyManager = (*Store)(nil)
)

// DSN returns the driver data source name used for path (WAL, busy
// timeout, foreign keys, BEGIN IMMEDIATE transactions).
func DSN(path string) string {
	return path + "?_pragma=busy_timeout(" + strconv.Itoa(int(BusyTimeout/time.Millisecond)) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
		"&_pragma=secure_delete(ON)&_pragma=temp_store(MEMORY)&_txlock=immediate"
}

// Open opens (creating if needed) the store file at path: the directory is
// created with mode 0700 and a new file with mode 0600. Migrations are
// applied, the keyring is created on first use and unwrapped with master.
// A wrong master key gives an error wrapping secrets.ErrEncryption.
func Open(ctx context.Context, path string, master secrets.MasterKey) (*Store, error) {
	if master.IsZero() {
		return nil, secrets.ErrNoMasterKey
	}
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite store: invalid path %q (must be non-empty, without '?')", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite store: create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite store: %w", err)
	}
	_ = f.Close()
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8) // the default (2) would close and reopen connections under load
	s := &Store{path: path, db: db, now: time.Now}
	s.master.Store(&master)
	if err := s.init(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	return s, nil
}

// OpenExisting opens the store file at path for commands that only read
// (list, get, a dry-run): it never creates a directory or a file. A path
// with no file, an empty file or a file without a keyring is an error
// wrapping secrets.ErrNoStore ("no secret store at PATH"). Opening takes no
// database write lock, so it never waits for a writer, except once after an
// upgrade of julep, when the file's schema is migrated.
func OpenExisting(ctx context.Context, path string, master secrets.MasterKey) (*Store, error) {
	if master.IsZero() {
		return nil, secrets.ErrNoMasterKey
	}
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite store: invalid path %q (must be non-empty, without '?')", path)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w at %s", secrets.ErrNoStore, path)
	case err != nil:
		return nil, fmt.Errorf("sqlite store: %w", err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("sqlite store %s: not a regular file", path)
	case fi.Size() == 0:
		return nil, fmt.Errorf("%w at %s (the file is empty)", secrets.ErrNoStore, path)
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	s := &Store{path: path, db: db, now: time.Now}
	s.master.Store(&master)
	if err := s.initExisting(ctx); err != nil {
		_ = db.Close()
		if errors.Is(err, secrets.ErrNoStore) {
			return nil, err
		}
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	return s, nil
}

// initExisting is init for OpenExisting: it reads the schema version and
// the keyring outside any transaction and writes nothing, unless the schema
// is older than this program's.
func (s *Store) initExisting(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	var cur sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("%w at %s (the file is not a julep store)", secrets.ErrNoStore, s.path)
		}
		return fmt.Errorf("read schema version: %w", err)
	}
	if int(cur.Int64) < len(ms) {
		if err := migrate(ctx, s.db); err != nil {
			return err
		}
	}
	keys, err := loadKeys(ctx, s.db)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return fmt.Errorf("%w at %s (it has no keyring yet)", secrets.ErrNoStore, s.path)
	}
	ring, err := secrets.OpenKeyring(*s.master.Load(), keys)
	if err != nil {
		return err
	}
	s.ring.Store(ring)
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// DB exposes the database handle, for operators and tests (never needed
// for normal use).
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) init(ctx context.Context) error {
	if err := migrate(ctx, s.db); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		keys, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			k, err := secrets.NewWrappedDataKey(*s.master.Load(), 1, true, s.now())
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
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one process migrates at a time
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if int(cur.Int64) > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade julep", cur.Int64, len(ms))
	}
	for _, m := range ms[cur.Int64:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.Version, m.Name, time.Now().UTC().UnixMicro()); err != nil {
			return fmt.Errorf("migration %d (%s): record: %w", m.Version, m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func loadKeys(ctx context.Context, q querier) ([]secrets.WrappedDataKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, wrapped, master_fingerprint, active, created_at FROM data_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load keyring: %w", err)
	}
	defer rows.Close()
	var out []secrets.WrappedDataKey
	for rows.Next() {
		var k secrets.WrappedDataKey
		var created int64
		if err := rows.Scan(&k.ID, &k.Wrapped, &k.MasterFingerprint, &k.Active, &created); err != nil {
			return nil, fmt.Errorf("load keyring: %w", err)
		}
		k.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load keyring: %w", err)
	}
	return out, nil
}

// insertKey stores a data key; done marks the rotation to it finished (a
// first key has nothing to move).
func insertKey(ctx context.Context, tx *sql.Tx, k secrets.WrappedDataKey, done bool) error {
	var reencrypted sql.NullInt64
	if done {
		reencrypted = sql.NullInt64{Int64: k.CreatedAt.UnixMicro(), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO data_keys (id, wrapped, master_fingerprint, active, created_at, reencrypted_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.Wrapped, k.MasterFingerprint, k.Active, k.CreatedAt.UnixMicro(), reencrypted)
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

// writeRing returns the keyring to seal with inside a write transaction:
// the cached one unless another process changed the active key.
func (s *Store) writeRing(ctx context.Context, tx *sql.Tx) (*secrets.Keyring, error) {
	var active uint32
	if err := tx.QueryRowContext(ctx, `SELECT id FROM data_keys WHERE active = 1`).Scan(&active); err != nil {
		return nil, fmt.Errorf("read active data key: %w", err)
	}
	ring := s.ring.Load()
	if ring.ActiveID() == active {
		return ring, nil
	}
	return s.reloadKeyring(ctx, tx)
}

// withTx runs fn in a BEGIN IMMEDIATE transaction and commits it. The busy
// timeout makes SQLite wait for other writers; should a transaction still
// fail with SQLITE_BUSY, it is retried a few times (fn must be repeatable).
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return retryBusy(ctx, func() error { return s.tryTx(ctx, fn) })
}

// retryBusy runs attempt, again up to twice when it fails with SQLITE_BUSY.
func retryBusy(ctx context.Context, attempt func() error) error {
	var err error
	for try := range 3 {
		if err = attempt(); !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(try+1) * 50 * time.Millisecond):
		}
	}
	return err
}

func isBusy(err error) bool {
	var se *sqlitedrv.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func isUnique(err error) bool {
	var se *sqlitedrv.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

type row struct {
	id, developer, name, description string
	metadata                         string
	ciphertext                       []byte
	created, updated                 int64
	version                          int
}

const rowCols = `id, developer_id, name, description, metadata, value, created_at, updated_at, version`
const listCols = `id, developer_id, name, description, metadata, X'', created_at, updated_at, version`

func scanRow(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	err := sc.Scan(&r.id, &r.developer, &r.name, &r.description, &r.metadata, &r.ciphertext, &r.created, &r.updated, &r.version)
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
		Value: value, CreatedAt: time.UnixMicro(r.created).UTC(), UpdatedAt: time.UnixMicro(r.updated).UTC(), Version: r.version,
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
	now := secrets.Timestamp(s.now()).UnixMicro()
	r := &row{id: uuid.NewString(), developer: developerID, name: p.Name, description: p.Description,
		metadata: string(md), created: now, updated: now, version: 1}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		ring, err := s.writeRing(ctx, tx)
		if err != nil {
			return err
		}
		r.ciphertext, err = secrets.SealValue(ctx, ring, r.ref(), []byte(p.Value))
		if err != nil {
			return secrets.DecryptError(p.Name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO secrets (`+rowCols+`, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.id, r.developer, r.name, r.description, r.metadata, r.ciphertext, r.created, r.updated, r.version, ring.ActiveID())
		if isUnique(err) {
			return secrets.AlreadyExists(p.Name)
		}
		if err != nil {
			return fmt.Errorf("create secret %q: %w", p.Name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.toSecret(p.Value)
}

func (s *Store) getOne(ctx context.Context, q querier, key string, where string, args ...any) (*row, error) {
	r, err := scanRow(q.QueryRowContext(ctx, `SELECT `+rowCols+` FROM secrets WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, secrets.NotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("read secret %q: %w", key, err)
	}
	return r, nil
}

// Get returns a developer's secret by name, with its value.
func (s *Store) Get(ctx context.Context, developerID, name string) (*secrets.Secret, error) {
	return s.getDecrypted(ctx, name, `developer_id = ? AND name = ?`, developerID, name)
}

// GetByID returns a developer's secret by id, with its value.
func (s *Store) GetByID(ctx context.Context, developerID, id string) (*secrets.Secret, error) {
	return s.getDecrypted(ctx, id, `developer_id = ? AND id = ?`, developerID, id)
}

// getDecrypted reads the one secret matching where (key names it in errors)
// and returns it with its value decrypted.
func (s *Store) getDecrypted(ctx context.Context, key, where string, args ...any) (*secrets.Secret, error) {
	r, err := s.getOne(ctx, s.db, key, where, args...)
	if err != nil {
		return nil, err
	}
	v, err := s.decrypt(ctx, s.db, r)
	if err != nil {
		return nil, err
	}
	return r.toSecret(v)
}

// List returns a page of a developer's secrets ordered by name, values
// replaced by secrets.EncryptedPlaceholder; ciphertexts are not even read.
// A metadata filter is applied before limit and offset.
func (s *Store) List(ctx context.Context, developerID string, p secrets.ListParams) ([]*secrets.Secret, error) {
	p, err := secrets.NormalizeList(p)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + listCols + ` FROM secrets WHERE developer_id = ? ORDER BY name`
	args := []any{developerID}
	pageParams := p
	if len(p.Metadata) == 0 {
		// Without a filter the database applies limit and offset.
		q += ` LIMIT ? OFFSET ?`
		args = append(args, p.Limit, p.Offset)
		pageParams = secrets.ListParams{Limit: p.Limit}
	}
	page := secrets.NewPage(pageParams)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list secrets: %w", err)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list secrets: %w", err)
	}
	return page.Secrets, nil
}

// Update changes any subset of a secret; the version increases only when
// the value changes.
func (s *Store) Update(ctx context.Context, developerID, name string, p secrets.UpdateParams) (*secrets.Secret, error) {
	if err := secrets.ValidateUpdate(p); err != nil {
		return nil, err
	}
	var out *secrets.Secret
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		r, err := s.getOne(ctx, tx, name, `developer_id = ? AND name = ?`, developerID, name)
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
		nr.updated = secrets.NextUpdatedAt(time.UnixMicro(r.updated).UTC(), s.now()).UnixMicro()
		_, err = tx.ExecContext(ctx, `UPDATE secrets SET name = ?, description = ?, metadata = ?, value = ?, key_id = ?, updated_at = ?, version = ?
			WHERE id = ?`, nr.name, nr.description, nr.metadata, nr.ciphertext, keyID, nr.updated, nr.version, r.id)
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
		return nil, err
	}
	return out, nil
}

// Delete removes a developer's secret by name.
// Like every write it runs in a BEGIN IMMEDIATE transaction, retried on
// SQLITE_BUSY.
func (s *Store) Delete(ctx context.Context, developerID, name string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM secrets WHERE developer_id = ? AND name = ?`, developerID, name)
		if err != nil {
			return fmt.Errorf("delete secret %q: %w", name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete secret %q: %w", name, err)
		} else if n == 0 {
			return secrets.NotFound(name)
		}
		return nil
	})
}

// RotateDataKey adds a new active data key, then re-encrypts every secret
// under it in batches (each batch one short transaction, so readers and
// writers in other processes keep going). Writers in other processes pick
// up the new active key at their next write. When the last rotation did
// not finish (reencrypted_at is NULL on the active key), it is resumed
// instead.
func (s *Store) RotateDataKey(ctx context.Context, opts secrets.RotateOptions) (secrets.RotateResult, error) {
	var res secrets.RotateResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		// Check the stored keyring opens with our master key before adding to it.
		if _, err := s.reloadKeyring(ctx, tx); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		var active uint32
		var done sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT id, reencrypted_at FROM data_keys WHERE active = 1`).Scan(&active, &done); err != nil {
			return fmt.Errorf("rotate: read active data key: %w", err)
		}
		if !done.Valid {
			res = secrets.RotateResult{KeyID: active, Resumed: true}
			return nil
		}
		var maxID sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM data_keys`).Scan(&maxID); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		res = secrets.RotateResult{KeyID: uint32(maxID.Int64) + 1}
		k, err := secrets.NewWrappedDataKey(*s.master.Load(), res.KeyID, true, s.now())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE data_keys SET active = 0 WHERE active = 1`); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		if err := insertKey(ctx, tx, k, false); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		_, err = s.reloadKeyring(ctx, tx)
		return err
	})
	if err != nil {
		return secrets.RotateResult{}, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM secrets WHERE `+stale, res.KeyID).Scan(&total); err != nil {
		return res, fmt.Errorf("rotate: count secrets: %w", err)
	}
	var failed []string
	last := ""
	for {
		n, lastID, bad, err := s.reencryptBatch(ctx, res.KeyID, last, opts.Batch())
		if err != nil {
			return res, fmt.Errorf("rotate: re-encrypt: %w", err)
		}
		res.Reencrypted += n
		failed = append(failed, bad...)
		if lastID == "" {
			break
		}
		last = lastID
		if opts.Progress != nil {
			opts.Progress(res.Reencrypted, total)
		}
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE data_keys SET reencrypted_at = ? WHERE id = ?`, secrets.Timestamp(s.now()).UnixMicro(), res.KeyID)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("rotate: record the end of the rotation: %w", err)
	}
	return res, secrets.ReencryptFailures(failed)
}

// stale selects the rows a rotation to key ? still has to move: under
// another key, or in the legacy ciphertext format.
const stale = `(key_id != ? OR substr(value, 1, 1) = X'01')`

// reencryptBatch moves up to n rows with id > after to data key newID.
// It returns the last id seen ("" when done) and the names that failed.
func (s *Store) reencryptBatch(ctx context.Context, newID uint32, after string, n int) (int, string, []string, error) {
	done, lastID := 0, ""
	var failed []string
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		done, lastID, failed = 0, "", nil
		ring, err := s.writeRing(ctx, tx)
		if err != nil {
			return err
		}
		if ring.ActiveID() != newID {
			return fmt.Errorf("%w: the active data key changed during rotation (another rotate-key ran)", secrets.ErrEncryption)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+rowCols+` FROM secrets WHERE `+stale+` AND id > ? ORDER BY id LIMIT ?`, newID, after, n)
		if err != nil {
			return err
		}
		var batch []*row
		for rows.Next() {
			r, err := scanRow(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range batch {
			lastID = r.id
			ct, ok, err := secrets.Reencrypt(ctx, ring, ring, r.ref(), r.ciphertext)
			if err != nil {
				return err
			}
			if !ok {
				failed = append(failed, r.name)
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE secrets SET value = ?, key_id = ? WHERE id = ?`, ct, newID, r.id); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, lastID, failed, err
}

// Rewrap wraps every data key under newMaster in one transaction; this
// Store then uses newMaster. Other processes keep their unwrapped keys in
// memory and go on working; they need newMaster when they next open the store.
func (s *Store) Rewrap(ctx context.Context, newMaster secrets.MasterKey) error {
	if newMaster.IsZero() {
		return fmt.Errorf("rewrap: %w", secrets.ErrNoMasterKey)
	}
	return retryBusy(ctx, func() error { return s.rewrapOnce(ctx, newMaster) })
}

// rewrapOnce is one attempt of Rewrap. Lock order, here as in every write:
// the database write lock (BEGIN IMMEDIATE) first, then s.reload (taking
// s.reload first would stall a writer that holds the write lock and needs
// to reload the keyring until the busy timeout). s.reload stays held until
// the new master is installed, so no reload in between pairs the old
// master with the new wrapping.
func (s *Store) rewrapOnce(ctx context.Context, newMaster secrets.MasterKey) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rewrap: begin transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	s.reload.Lock()
	defer s.reload.Unlock()
	ring, err := s.reloadKeyringLocked(ctx, tx)
	if err != nil {
		return fmt.Errorf("rewrap: %w", err)
	}
	keys, err := ring.Rewrap(newMaster)
	if err != nil {
		return fmt.Errorf("rewrap: %w", err)
	}
	if _, err := secrets.OpenKeyring(newMaster, keys); err != nil {
		return fmt.Errorf("rewrap: verify: %w", err)
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `UPDATE data_keys SET wrapped = ?, master_fingerprint = ? WHERE id = ?`,
			k.Wrapped, k.MasterFingerprint, k.ID); err != nil {
			return fmt.Errorf("rewrap: data key %d: %w", k.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rewrap: commit: %w", err)
	}
	s.master.Store(&newMaster)
	s.ring.Store(ring) // same keys, now wrapped under newMaster
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var err error
	s.closeMu.Do(func() { err = s.db.Close() })
	return err
}
