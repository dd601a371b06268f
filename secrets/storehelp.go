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
// (see ValueAAD) and the secret's name, for error messages.
type ValueRef struct {
	DeveloperID string
	SecretID    string
	Name        string
	// Version is the version the stored ciphertext was sealed for.
	Version int
}

// UpdateValue decides the value of a stored secret after an update that
// sets newValue (nil: keep the value). current and decErr are the result of
// decrypting the stored value. When newValue is set and differs from
// current, or when the stored value no longer decrypts (a tampered value may
// be overwritten), newValue is sealed with ring's active key for version
// ref.Version+1 and returned with its ciphertext; the caller stores both and
// increments the version. Otherwise the ciphertext is nil and the value is
// current, or decErr when the stored value does not decrypt.
func UpdateValue(ctx context.Context, ring *Keyring, ref ValueRef, newValue *string, current string, decErr error) (string, []byte, error) {
	if newValue != nil && (decErr != nil || current != *newValue) {
		ct, err := ring.Encrypt(ctx, ValueAAD(ref.DeveloperID, ref.SecretID, ref.Version+1), []byte(*newValue))
		if err != nil {
			return "", nil, DecryptError(ref.Name, err)
		}
		return *newValue, ct, nil
	}
	if decErr != nil {
		return "", nil, decErr
	}
	return current, nil, nil
}

// Reencrypt opens ciphertext, bound to aad, with from and seals the
// plaintext again with to's active key (from and to may be the same
// keyring), for data-key rotation. ok is false, with no error, when the
// ciphertext does not decrypt: the row keeps its ciphertext and old key, and
// the caller lists it with ReencryptFailures. err is a failure to seal.
func Reencrypt(ctx context.Context, from, to *Keyring, aad, ciphertext []byte) (out []byte, ok bool, err error) {
	pt, err := from.Decrypt(ctx, aad, ciphertext)
	if err != nil {
		return nil, false, nil
	}
	defer clear(pt)
	out, err = to.Encrypt(ctx, aad, pt)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// ReencryptFailures returns the error a data-key rotation reports when the
// secrets called names (in the order given) could not be decrypted and keep
// their old key; it wraps ErrEncryption. It returns nil for no names.
func ReencryptFailures(names []string) error {
	if len(names) == 0 {
		return nil
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return fmt.Errorf("rotate: %d secrets could not be decrypted and keep their old key: %s: %w",
		len(names), strings.Join(quoted, ", "), ErrEncryption)
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
