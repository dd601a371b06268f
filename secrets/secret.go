// Package secrets defines the developer secret model, name and size validation,
// the typed errors callers branch on, and the Store interface that every
// backend (memory, embedded SQLite file, PostgreSQL, REST client) implements.
//
// Values are encrypted at rest with AES-256-GCM under a keyring of data keys
// that is itself wrapped by a master key taken from the environment; see
// Keyring and MasterKeyFromEnv.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits of the secret model, as documented in DESIGN.md.
const (
	// MaxNameLen is the longest allowed secret name, in characters.
	MaxNameLen = 255
	// MaxDescriptionLen is the longest allowed description, in characters.
	MaxDescriptionLen = 1000
	// MaxMetadataBytes is the largest allowed metadata object, as compact JSON.
	MaxMetadataBytes = 16 * 1024
	// MaxValueBytes is the largest allowed secret value, in bytes.
	MaxValueBytes = 64 * 1024
	// DefaultListLimit is the page size used when a list asks for none.
	DefaultListLimit = 100
	// MaxListLimit is the largest page a list returns; larger limits are clamped.
	MaxListLimit = 1000
	// EncryptedPlaceholder is what listings show instead of a value.
	EncryptedPlaceholder = "ENCRYPTED"
)

// Sentinel errors. Every error a Store returns wraps exactly one of these
// (test with errors.Is). Messages name the secret, never its value.
var (
	// ErrNotFound: no secret of that name or id for this developer.
	ErrNotFound = errors.New("secret not found")
	// ErrAlreadyExists: the developer already has a secret of that name.
	ErrAlreadyExists = errors.New("secret already exists")
	// ErrInvalid: a name, description, metadata or value breaks a rule.
	ErrInvalid = errors.New("invalid secret")
	// ErrPermissionDenied: the caller may not act on this secret.
	ErrPermissionDenied = errors.New("permission denied")
	// ErrEncryption: the master key is missing or wrong, or stored data was tampered with.
	ErrEncryption = errors.New("secret encryption error")
)

// ErrNoStore is returned when a store is opened only to read (list, get, a
// dry-run) and there is none at the given place: nothing is created. It is
// not about one secret, so it wraps none of the sentinels above.
var ErrNoStore = errors.New("no secret store")

// Secret is one developer secret. Value is only filled by Get, GetByID,
// Create and Update; listings carry EncryptedPlaceholder.
//
// Printing a Secret or *Secret with fmt (any verb, including %#v) or logging
// it with log/slog never shows Value: see String, GoString, Format and
// LogValue. JSON encoding (encoding/json) deliberately DOES include Value,
// because the CLI's `get --json` and the REST API return it to its owner;
// never JSON-encode a Secret into a log.
type Secret struct {
	ID          string         `json:"id"`
	DeveloperID string         `json:"developer_id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Metadata    map[string]any `json:"metadata"`
	Value       string         `json:"value"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Version     int            `json:"version"`
}

// CreateParams are the fields of a new secret.
type CreateParams struct {
	Name        string
	Value       string
	Description string
	Metadata    map[string]any
}

// UpdateParams changes any subset of a secret. A nil field is left as it is.
// Version increases by one only when Value is set to a different value.
type UpdateParams struct {
	NewName     *string
	Value       *string
	Description *string
	// Metadata, when non-nil, replaces the whole metadata object (or, with
	// MergeMetadata, is merged into it).
	Metadata map[string]any
	// MergeMetadata makes Update set the keys of Metadata on the stored
	// object and keep its other keys. The store reads and writes the object
	// in one transaction, so concurrent merges of different keys (from other
	// goroutines or processes) all survive. The merged object must still fit
	// MaxMetadataBytes (else ErrInvalid). Ignored when Metadata is nil.
	MergeMetadata bool
}

// ListParams selects a page of a developer's secrets, ordered by name.
type ListParams struct {
	// Limit is the page size: 0 means DefaultListLimit, above MaxListLimit is clamped.
	Limit int
	// Offset skips that many secrets; past the end gives an empty page.
	Offset int
	// Metadata keeps only secrets whose metadata holds every given pair.
	Metadata map[string]any
}

// Store keeps developers' secrets. Every call is scoped by developerID:
// one developer can never read, list, change or delete another's secret
// (another developer's secret answers ErrNotFound). Implementations are safe
// for concurrent use.
type Store interface {
	// Create stores a new secret at version 1 and returns it with its value.
	// ErrInvalid for a bad field, ErrAlreadyExists when the name is taken.
	Create(ctx context.Context, developerID string, p CreateParams) (*Secret, error)
	// Get returns the secret called name, with its value decrypted.
	// ErrNotFound when absent, ErrEncryption when it cannot be decrypted.
	Get(ctx context.Context, developerID, name string) (*Secret, error)
	// GetByID is Get by the secret's id (any string; unknown ids are ErrNotFound).
	GetByID(ctx context.Context, developerID, id string) (*Secret, error)
	// List returns a page ordered by name; values are EncryptedPlaceholder
	// (nothing is decrypted). The result is never nil.
	List(ctx context.Context, developerID string, p ListParams) ([]*Secret, error)
	// Update changes the secret called name and returns it with its value.
	// Renaming onto a taken name is ErrAlreadyExists. The read of the
	// current row and the write happen in one transaction. Update always
	// authenticates the stored value (it decrypts it to compare and return
	// it): when that fails (tampered data), an update that sets no new Value
	// returns ErrEncryption and writes nothing, while a new Value replaces
	// the damaged one (as version+1).
	Update(ctx context.Context, developerID, name string, p UpdateParams) (*Secret, error)
	// Delete removes the secret called name; ErrNotFound when absent.
	Delete(ctx context.Context, developerID, name string) error
	// Close releases the store's resources.
	Close() error
}

// NotFound returns an error wrapping ErrNotFound that names the secret (by
// name or id) a lookup did not find.
func NotFound(nameOrID string) error {
	return fmt.Errorf("%w: %q", ErrNotFound, nameOrID)
}

// AlreadyExists returns an error wrapping ErrAlreadyExists that names the secret.
func AlreadyExists(name string) error {
	return fmt.Errorf("%w: %q", ErrAlreadyExists, name)
}

// DecryptError wraps an ErrEncryption error with the secret's name.
func DecryptError(name string, err error) error {
	return fmt.Errorf("secret %q: %w", name, err)
}

// Timestamp normalizes a time as stores keep it: UTC, microsecond precision
// (what PostgreSQL keeps, so every backend round-trips the same value).
func Timestamp(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// NextUpdatedAt returns the updated_at for a change made at now to a secret
// last updated at prev: now, but always strictly after prev.
func NextUpdatedAt(prev, now time.Time) time.Time {
	now = Timestamp(now)
	if !now.After(prev) {
		return prev.Add(time.Microsecond)
	}
	return now
}
