// Package memory is an in-process secrets.Store for tests. It behaves like
// the persistent backends: values are encrypted with AES-256-GCM under an
// in-memory keyring wrapped by the master key, so tamper and wrong-key tests
// apply. Nothing is written to disk.
package memory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/julepkit/julep/secrets"
)

// DB is the shared state several Stores may open (as several processes
// would open one database file): the wrapped keyring and the encrypted rows.
type DB struct {
	mu   sync.Mutex
	keys []secrets.WrappedDataKey
	rows map[string]*row              // by id
	byNS map[string]map[string]string // developer -> name -> id
}

type row struct {
	id, developer, name, description string
	metadata                         []byte
	ciphertext                       []byte
	created, updated                 time.Time
	version                          int
}

// NewDB returns an empty database.
func NewDB() *DB {
	return &DB{rows: map[string]*row{}, byNS: map[string]map[string]string{}}
}

// Ciphertext returns a copy of the stored ciphertext of the secret with that
// id (for tamper tests).
func (db *DB) Ciphertext(id string) ([]byte, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	r, ok := db.rows[id]
	if !ok {
		return nil, false
	}
	return bytes.Clone(r.ciphertext), true
}

// SetCiphertext overwrites the stored ciphertext of the secret with that id
// (for tamper tests). It reports whether the secret exists.
func (db *DB) SetCiphertext(id string, ct []byte) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	r, ok := db.rows[id]
	if ok {
		r.ciphertext = bytes.Clone(ct)
	}
	return ok
}

// SetName renames the secret with that id behind the store's back (for
// tamper tests: the ciphertext stays bound to the old name). It reports
// whether the secret exists; the name must be free.
func (db *DB) SetName(id, name string) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	r, ok := db.rows[id]
	if ok {
		delete(db.byNS[r.developer], r.name)
		r.name = name
		db.byNS[r.developer][name] = id
	}
	return ok
}

// Store is a secrets.Store over a DB. It also implements secrets.KeyManager.
type Store struct {
	db     *DB
	master atomic.Pointer[secrets.MasterKey]
	ring   atomic.Pointer[secrets.Keyring]
	closed atomic.Bool
	now    func() time.Time
}

var (
	_ secrets.Store      = (*Store)(nil)
	_ secrets.KeyManager = (*Store)(nil)
)

// New returns a Store over a fresh DB.
func New(master secrets.MasterKey) (*Store, error) {
	return Open(NewDB(), master)
}

// Open returns a Store over db. The first open creates the keyring; later
// opens must use the same master key (else an error wrapping ErrEncryption).
func Open(db *DB, master secrets.MasterKey) (*Store, error) {
	if master.IsZero() {
		return nil, secrets.ErrNoMasterKey
	}
	db.mu.Lock()
	if len(db.keys) == 0 {
		k, err := secrets.NewWrappedDataKey(master, 1, true, time.Now())
		if err != nil {
			db.mu.Unlock()
			return nil, err
		}
		db.keys = []secrets.WrappedDataKey{k}
	}
	keys := append([]secrets.WrappedDataKey(nil), db.keys...)
	db.mu.Unlock()
	ring, err := secrets.OpenKeyring(master, keys)
	if err != nil {
		return nil, fmt.Errorf("open memory store: %w", err)
	}
	s := &Store{db: db, now: time.Now}
	s.master.Store(&master)
	s.ring.Store(ring)
	return s, nil
}

// keyring returns a keyring holding at least the db's current keys; the
// caller holds db.mu.
func (s *Store) keyringLocked() (*secrets.Keyring, error) {
	ring := s.ring.Load()
	for _, k := range s.db.keys {
		if !ring.Has(k.ID) || (k.Active && ring.ActiveID() != k.ID) {
			r, err := secrets.OpenKeyring(*s.master.Load(), s.db.keys)
			if err != nil {
				return nil, err
			}
			s.ring.Store(r)
			return r, nil
		}
	}
	return ring, nil
}

func (s *Store) check() error {
	if s.closed.Load() {
		return errors.New("memory store: closed")
	}
	return nil
}

func (s *Store) decrypt(ctx context.Context, ring *secrets.Keyring, r *row) (string, error) {
	pt, err := secrets.OpenValue(ctx, ring, r.ref(), r.ciphertext)
	if err != nil {
		return "", secrets.DecryptError(r.name, err)
	}
	return string(pt), nil
}

// ref is where the row's ciphertext is bound.
func (r *row) ref() secrets.ValueRef {
	return secrets.ValueRef{DeveloperID: r.developer, SecretID: r.id, Name: r.name, Version: r.version}
}

func (s *Store) toSecret(r *row, value string) (*secrets.Secret, error) {
	md, err := secrets.DecodeMetadata(r.metadata)
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", r.name, err)
	}
	return &secrets.Secret{
		ID: r.id, DeveloperID: r.developer, Name: r.name, Description: r.description,
		Metadata: md, Value: value, CreatedAt: r.created, UpdatedAt: r.updated, Version: r.version,
	}, nil
}

// Create stores a new secret (version 1).
func (s *Store) Create(ctx context.Context, developerID string, p secrets.CreateParams) (*secrets.Secret, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := secrets.ValidateCreate(p); err != nil {
		return nil, err
	}
	md, err := secrets.EncodeMetadata(p.Metadata)
	if err != nil {
		return nil, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	if _, ok := s.db.byNS[developerID][p.Name]; ok {
		return nil, secrets.AlreadyExists(p.Name)
	}
	ring, err := s.keyringLocked()
	if err != nil {
		return nil, err
	}
	now := secrets.Timestamp(s.now())
	r := &row{id: uuid.NewString(), developer: developerID, name: p.Name, description: p.Description,
		metadata: md, created: now, updated: now, version: 1}
	r.ciphertext, err = secrets.SealValue(ctx, ring, r.ref(), []byte(p.Value))
	if err != nil {
		return nil, secrets.DecryptError(p.Name, err)
	}
	s.db.rows[r.id] = r
	if s.db.byNS[developerID] == nil {
		s.db.byNS[developerID] = map[string]string{}
	}
	s.db.byNS[developerID][p.Name] = r.id
	return s.toSecret(r, p.Value)
}

func (s *Store) byName(developerID, name string) (*row, error) {
	id, ok := s.db.byNS[developerID][name]
	if !ok {
		return nil, secrets.NotFound(name)
	}
	return s.db.rows[id], nil
}

// Get returns a developer's secret by name, with its value.
func (s *Store) Get(ctx context.Context, developerID, name string) (*secrets.Secret, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	r, err := s.byName(developerID, name)
	if err != nil {
		return nil, err
	}
	return s.getRow(ctx, r)
}

func (s *Store) getRow(ctx context.Context, r *row) (*secrets.Secret, error) {
	ring, err := s.keyringLocked()
	if err != nil {
		return nil, err
	}
	v, err := s.decrypt(ctx, ring, r)
	if err != nil {
		return nil, err
	}
	return s.toSecret(r, v)
}

// GetByID returns a developer's secret by id, with its value.
func (s *Store) GetByID(ctx context.Context, developerID, id string) (*secrets.Secret, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	r, ok := s.db.rows[id]
	if !ok || r.developer != developerID {
		return nil, secrets.NotFound(id)
	}
	return s.getRow(ctx, r)
}

// List returns a page of a developer's secrets ordered by name, with
// values replaced by secrets.EncryptedPlaceholder (nothing is decrypted).
func (s *Store) List(_ context.Context, developerID string, p secrets.ListParams) ([]*secrets.Secret, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	p, err := secrets.NormalizeList(p)
	if err != nil {
		return nil, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	names := make([]string, 0, len(s.db.byNS[developerID]))
	for n := range s.db.byNS[developerID] {
		names = append(names, n)
	}
	sort.Strings(names)
	page := secrets.NewPage(p)
	for _, n := range names {
		if page.Full() {
			break
		}
		sec, err := s.toSecret(s.db.rows[s.db.byNS[developerID][n]], secrets.EncryptedPlaceholder)
		if err != nil {
			return nil, err
		}
		page.Add(sec)
	}
	return page.Secrets, nil
}

// Update changes any subset of a secret; the version increases only when
// the value changes.
func (s *Store) Update(ctx context.Context, developerID, name string, p secrets.UpdateParams) (*secrets.Secret, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := secrets.ValidateUpdate(p); err != nil {
		return nil, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	r, err := s.byName(developerID, name)
	if err != nil {
		return nil, err
	}
	if p.NewName != nil && *p.NewName != name {
		if _, taken := s.db.byNS[developerID][*p.NewName]; taken {
			return nil, secrets.AlreadyExists(*p.NewName)
		}
	}
	ring, err := s.keyringLocked()
	if err != nil {
		return nil, err
	}
	nr := *r
	cur := secrets.StoredValue{Ref: r.ref(), Ciphertext: r.ciphertext}
	cur.Plaintext, cur.Err = s.decrypt(ctx, ring, r)
	if p.NewName != nil {
		nr.name = *p.NewName
	}
	vu, err := secrets.UpdateValue(ctx, ring, cur, nr.name, p.Value)
	if err != nil {
		return nil, err
	}
	if vu.Ciphertext != nil {
		nr.ciphertext = vu.Ciphertext
	}
	nr.version = vu.Version
	if p.Description != nil {
		nr.description = *p.Description
	}
	if nr.metadata, err = secrets.UpdatedMetadata(r.metadata, p); err != nil {
		return nil, err
	}
	nr.updated = secrets.NextUpdatedAt(r.updated, s.now())
	*r = nr
	if p.NewName != nil && *p.NewName != name {
		delete(s.db.byNS[developerID], name)
		s.db.byNS[developerID][nr.name] = r.id
	}
	return s.toSecret(r, vu.Value)
}

// Delete removes a developer's secret by name.
func (s *Store) Delete(_ context.Context, developerID, name string) error {
	if err := s.check(); err != nil {
		return err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	r, err := s.byName(developerID, name)
	if err != nil {
		return err
	}
	delete(s.db.byNS[developerID], name)
	delete(s.db.rows, r.id)
	return nil
}

// RotateDataKey adds a new active data key and re-encrypts every value
// under it, all at once (a memory store cannot be interrupted halfway).
func (s *Store) RotateDataKey(ctx context.Context, opts secrets.RotateOptions) (secrets.RotateResult, error) {
	if err := s.check(); err != nil {
		return secrets.RotateResult{}, err
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	old, err := s.keyringLocked()
	if err != nil {
		return secrets.RotateResult{}, err
	}
	var next uint32
	for _, k := range s.db.keys {
		next = max(next, k.ID)
	}
	next++
	nk, err := secrets.NewWrappedDataKey(*s.master.Load(), next, true, s.now())
	if err != nil {
		return secrets.RotateResult{}, err
	}
	keys := append([]secrets.WrappedDataKey(nil), s.db.keys...)
	for i := range keys {
		keys[i].Active = false
	}
	keys = append(keys, nk)
	ring, err := secrets.OpenKeyring(*s.master.Load(), keys)
	if err != nil {
		return secrets.RotateResult{}, err
	}
	// Re-encrypt everything first, then commit keys and rows together. A
	// value that does not decrypt keeps its ciphertext and old key (which
	// stays in the keyring), as in the SQLite store.
	newCT := map[string][]byte{}
	var failed []string
	for id, r := range s.db.rows {
		ct, ok, err := secrets.Reencrypt(ctx, old, ring, r.ref(), r.ciphertext)
		if err != nil {
			return secrets.RotateResult{}, err
		}
		if !ok {
			failed = append(failed, r.name)
			continue
		}
		newCT[id] = ct
	}
	s.db.keys = keys
	for id, ct := range newCT {
		s.db.rows[id].ciphertext = ct
	}
	s.ring.Store(ring)
	if opts.Progress != nil {
		opts.Progress(len(newCT), len(s.db.rows))
	}
	sort.Strings(failed)
	return secrets.RotateResult{KeyID: next, Reencrypted: len(newCT)}, secrets.ReencryptFailures(failed)
}

// Rewrap wraps the keyring under newMaster; this Store then uses newMaster.
func (s *Store) Rewrap(_ context.Context, newMaster secrets.MasterKey) error {
	if err := s.check(); err != nil {
		return err
	}
	if newMaster.IsZero() {
		return fmt.Errorf("rewrap: %w", secrets.ErrNoMasterKey)
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	ring, err := s.keyringLocked()
	if err != nil {
		return err
	}
	keys, err := ring.Rewrap(newMaster)
	if err != nil {
		return err
	}
	if _, err := secrets.OpenKeyring(newMaster, keys); err != nil {
		return fmt.Errorf("rewrap: verify: %w", err)
	}
	s.db.keys = keys
	s.master.Store(&newMaster)
	return nil
}

// Close marks the store closed; the DB stays usable by other Stores.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}
