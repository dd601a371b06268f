// Package apikeys issues and checks the API keys that authenticate callers
// of the REST server. A key belongs to one developer; only its SHA-256 hash
// is stored, so the store never holds a usable key.
//
// A key looks like "jk_<id>_<secret>": the id (12 hex digits) is public
// (listed, used to revoke, used to find the record), the secret is 32 random
// bytes in unpadded base64url. Check hashes the presented key and compares
// it with the stored hash in constant time. Revoked keys are refused from
// the moment Revoke returns (nothing is cached).
package apikeys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors.
var (
	// ErrInvalidKey: the presented key is malformed, unknown or does not match.
	ErrInvalidKey = errors.New("invalid API key")
	// ErrRevoked: the key was revoked.
	ErrRevoked = errors.New("API key revoked")
	// ErrNotFound: no key with that id.
	ErrNotFound = errors.New("API key not found")
	// ErrInvalidDeveloper: a developer id that is empty or too long.
	ErrInvalidDeveloper = errors.New("invalid developer id")
)

// Prefix starts every key.
const Prefix = "jk_"

const (
	idBytes     = 6  // 12 hex digits
	secretBytes = 32 // 256 bits of entropy
	// MaxDeveloperLen is the longest developer id a key may carry.
	MaxDeveloperLen = 255
	// maxKeyLen bounds what Check will even look at.
	maxKeyLen = 128
)

// Key is a stored API key: everything but the key itself.
type Key struct {
	// ID is the public identifier (12 hex digits).
	ID string `json:"id"`
	// DeveloperID is the developer the key acts as.
	DeveloperID string `json:"developer_id"`
	// Hash is SHA-256 of the whole key string.
	Hash []byte `json:"-"`
	// CreatedAt is when the key was made (UTC).
	CreatedAt time.Time `json:"created_at"`
	// RevokedAt is when it was revoked; nil while valid.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Store keeps key records. Implementations are safe for concurrent use.
type Store interface {
	// Insert stores a new key record.
	Insert(ctx context.Context, k Key) error
	// ByID returns the key with that id (ErrNotFound when absent).
	ByID(ctx context.Context, id string) (Key, error)
	// List returns the keys of a developer ("" means every developer),
	// oldest first.
	List(ctx context.Context, developerID string) ([]Key, error)
	// Revoke marks the key revoked at the given time (ErrNotFound when
	// absent; revoking a revoked key keeps the first time).
	Revoke(ctx context.Context, id string, at time.Time) error
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	// Close releases resources.
	Close() error
}

// Generate makes a new key for developerID and returns the key string
// (to show once) and the record to store.
func Generate(developerID string, now time.Time) (string, Key, error) {
	if err := ValidateDeveloper(developerID); err != nil {
		return "", Key{}, err
	}
	var id [idBytes]byte
	var sec [secretBytes]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", Key{}, fmt.Errorf("generate API key: %w", err)
	}
	if _, err := rand.Read(sec[:]); err != nil {
		return "", Key{}, fmt.Errorf("generate API key: %w", err)
	}
	k := Key{ID: hex.EncodeToString(id[:]), DeveloperID: developerID, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	token := Prefix + k.ID + "_" + base64.RawURLEncoding.EncodeToString(sec[:])
	h := sha256.Sum256([]byte(token))
	k.Hash = h[:]
	return token, k, nil
}

// Create generates a key for developerID, stores its record and returns the
// key string (the only time it exists outside the caller) and the record.
func Create(ctx context.Context, st Store, developerID string, now time.Time) (string, Key, error) {
	token, k, err := Generate(developerID, now)
	if err != nil {
		return "", Key{}, err
	}
	if err := st.Insert(ctx, k); err != nil {
		return "", Key{}, fmt.Errorf("store API key: %w", err)
	}
	return token, k, nil
}

// ValidateDeveloper checks a developer id: not empty, at most
// MaxDeveloperLen bytes, printable ASCII without spaces.
func ValidateDeveloper(id string) error {
	if id == "" || len(id) > MaxDeveloperLen {
		return fmt.Errorf("%w: must be 1 to %d characters", ErrInvalidDeveloper, MaxDeveloperLen)
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return fmt.Errorf("%w: only printable ASCII without spaces is allowed", ErrInvalidDeveloper)
		}
	}
	return nil
}

// ParseID returns the id part of a key string, or false when the key is not
// of the form Prefix+id+"_"+secret. It never looks at the secret part.
func ParseID(token string) (string, bool) {
	if len(token) > maxKeyLen {
		return "", false
	}
	rest, ok := strings.CutPrefix(token, Prefix)
	if !ok {
		return "", false
	}
	id, sec, ok := strings.Cut(rest, "_")
	if !ok || !ValidID(id) || sec == "" {
		return "", false
	}
	return id, true
}

// ValidID reports whether id has the form of a key id (12 lowercase hex digits).
func ValidID(id string) bool {
	if len(id) != 2*idBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !('0' <= id[i] && id[i] <= '9' || 'a' <= id[i] && id[i] <= 'f') {
			return false
		}
	}
	return true
}

// Check authenticates a presented key: it finds the record by the key's id,
// compares SHA-256 of the key with the stored hash in constant time and
// refuses revoked keys. Errors wrap ErrInvalidKey or ErrRevoked (or the
// store's error when it fails); they never contain the key.
func Check(ctx context.Context, st Store, token string) (Key, error) {
	id, ok := ParseID(token)
	if !ok {
		return Key{}, fmt.Errorf("%w: not a julep API key (want %s<id>_<secret>)", ErrInvalidKey, Prefix)
	}
	k, err := st.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		// Spend the same work as a match, so unknown ids do not answer faster.
		h := sha256.Sum256([]byte(token))
		subtle.ConstantTimeCompare(h[:], h[:])
		return Key{}, fmt.Errorf("%w: unknown key %s", ErrInvalidKey, id)
	}
	if err != nil {
		return Key{}, fmt.Errorf("look up API key %s: %w", id, err)
	}
	h := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(h[:], k.Hash) != 1 {
		return Key{}, fmt.Errorf("%w: key %s does not match", ErrInvalidKey, id)
	}
	if k.RevokedAt != nil {
		return Key{}, fmt.Errorf("%w: key %s was revoked at %s", ErrRevoked, id, k.RevokedAt.Format(time.RFC3339))
	}
	return k, nil
}
