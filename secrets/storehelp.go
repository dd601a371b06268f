package secrets

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The helpers in this file hold the logic every Store backend shares, so
// that the backends differ only in how they keep rows.

// UpdatedMetadata returns the metadata a stored secret has after update p,
// as the compact JSON a store keeps: stored itself when p sets no metadata,
// stored with the keys of p.Metadata set when p.MergeMetadata (see
// MergeMetadata), else p.Metadata encoded with EncodeMetadata. Call it after
// ValidateUpdate(p).
func UpdatedMetadata(stored []byte, p UpdateParams) ([]byte, error) {
	switch {
	case p.Metadata == nil:
		return stored, nil
	case p.MergeMetadata:
		return MergeMetadata(stored, p.Metadata)
	default:
		return EncodeMetadata(p.Metadata)
	}
}

// ValueRef names one stored value: the parts its ciphertext is bound to
// (see ValueAAD; the name is also used in error messages).
type ValueRef struct {
	DeveloperID string
	SecretID    string
	Name        string
	// Version is the version the stored ciphertext was sealed for.
	Version int
}

// StoredValue is a secret's value as a store read it inside an update's
// transaction.
type StoredValue struct {
	// Ref is where the stored ciphertext is bound (the row's current name
	// and version).
	Ref ValueRef
	// Ciphertext is the stored ciphertext.
	Ciphertext []byte
	// Plaintext is the decrypted value when Err is nil.
	Plaintext string
	// Err is the error decrypting Ciphertext (tampered data, wrong key).
	Err error
}

// ValueUpdate is what UpdateValue decided.
type ValueUpdate struct {
	// Value is the secret's value after the update.
	Value string
	// Ciphertext is the new ciphertext to store, or nil to keep the stored one.
	Ciphertext []byte
	// Version is the secret's version after the update.
	Version int
}

// UpdateValue decides the value of a stored secret after an update that
// renames it to newName (its name when not renamed) and sets newValue (nil:
// keep the value), so that every backend applies the same rules:
//
//   - newValue set and different from the stored value, or the stored value
//     no longer decrypts (a tampered value may be overwritten): newValue is
//     sealed with ring's active key for version+1;
//   - otherwise a stored value that does not decrypt is an error (the update
//     writes nothing), and one that does is sealed again, same version, when
//     the name changes (the name is bound into the ciphertext) or it is in
//     the legacy format (rewritten on the next write).
func UpdateValue(ctx context.Context, ring *Keyring, cur StoredValue, newName string, newValue *string) (ValueUpdate, error) {
	to := cur.Ref
	to.Name = newName
	if newValue != nil && (cur.Err != nil || cur.Plaintext != *newValue) {
		to.Version++
		ct, err := SealValue(ctx, ring, to, []byte(*newValue))
		if err != nil {
			return ValueUpdate{}, DecryptError(cur.Ref.Name, err)
		}
		return ValueUpdate{Value: *newValue, Ciphertext: ct, Version: to.Version}, nil
	}
	if cur.Err != nil {
		return ValueUpdate{}, cur.Err
	}
	out := ValueUpdate{Value: cur.Plaintext, Version: cur.Ref.Version}
	if newName != cur.Ref.Name || IsLegacyCiphertext(cur.Ciphertext) {
		ct, err := SealValue(ctx, ring, to, []byte(cur.Plaintext))
		if err != nil {
			return ValueUpdate{}, DecryptError(cur.Ref.Name, err)
		}
		out.Ciphertext = ct
	}
	return out, nil
}

// Reencrypt opens ciphertext, sealed for ref, with from and seals the
// plaintext again for ref with to's active key, in the current format
// (from and to may be the same keyring), for data-key rotation. ok is
// false, with no error, when the ciphertext does not decrypt: the row keeps
// its ciphertext and old key, and the caller lists it with
// ReencryptFailures. err is a failure to seal.
func Reencrypt(ctx context.Context, from, to *Keyring, ref ValueRef, ciphertext []byte) (out []byte, ok bool, err error) {
	pt, err := OpenValue(ctx, from, ref, ciphertext)
	if err != nil {
		return nil, false, nil
	}
	defer clear(pt)
	out, err = SealValue(ctx, to, ref, pt)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// ReencryptError is the error of a data-key rotation that finished but
// could not move some secrets (their stored values do not decrypt): they
// keep their old key. It wraps ErrEncryption.
type ReencryptError struct {
	// Names are the secrets left under their old key.
	Names []string
}

// Error names the secrets, never a value.
func (e *ReencryptError) Error() string {
	quoted := make([]string, len(e.Names))
	for i, n := range e.Names {
		quoted[i] = strconv.Quote(n)
	}
	return fmt.Sprintf("rotate: %d secrets could not be decrypted and keep their old key: %s: %s",
		len(e.Names), strings.Join(quoted, ", "), ErrEncryption.Error())
}

// Unwrap returns ErrEncryption.
func (e *ReencryptError) Unwrap() error { return ErrEncryption }

// ReencryptFailures returns the error a data-key rotation reports when the
// secrets called names (in the order given) could not be decrypted and keep
// their old key: a *ReencryptError, or nil for no names.
func ReencryptFailures(names []string) error {
	if len(names) == 0 {
		return nil
	}
	return &ReencryptError{Names: names}
}

// Page collects one page of a listing for a Store's List, so that every
// backend applies ListParams the same way: the metadata filter first, then
// Offset, then Limit. Offer the secrets in name order with Add until Full.
type Page struct {
	p       ListParams
	skipped int
	// Secrets is the page so far (never nil).
	Secrets []*Secret
}

// NewPage starts a page for p, which NormalizeList has checked.
func NewPage(p ListParams) *Page {
	return &Page{p: p, Secrets: []*Secret{}}
}

// Full reports whether the page holds Limit secrets.
func (pg *Page) Full() bool { return len(pg.Secrets) >= pg.p.Limit }

// Add offers the next secret: it is kept when its metadata matches the
// filter (MetadataMatches) and the first Offset matching secrets have
// already been skipped.
func (pg *Page) Add(s *Secret) {
	if !MetadataMatches(s.Metadata, pg.p.Metadata) {
		return
	}
	if pg.skipped < pg.p.Offset {
		pg.skipped++
		return
	}
	pg.Secrets = append(pg.Secrets, s)
}
