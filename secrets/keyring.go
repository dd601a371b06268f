package secrets

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Encryptor seals and opens secret values. aad is authenticated but not
// encrypted: it binds a ciphertext to its place (see ValueAAD), so that a
// ciphertext moved anywhere else fails to decrypt. Errors wrap ErrEncryption.
// Implementations are safe for concurrent use.
type Encryptor interface {
	Encrypt(ctx context.Context, aad, plaintext []byte) ([]byte, error)
	Decrypt(ctx context.Context, aad, ciphertext []byte) ([]byte, error)
}

// KeyManager is implemented by stores that can rotate their data key and
// re-wrap their keyring; the CLI type-asserts a Store to it.
type KeyManager interface {
	// RotateDataKey makes a new active data key and re-encrypts every secret
	// under it, in batches, each its own short transaction, so other
	// processes keep reading and writing. Old keys stay in the keyring
	// (rows written meanwhile by other processes remain readable).
	//
	// A rotation interrupted (process killed, context cancelled) leaves
	// every row readable, under the old or the new key; the next
	// RotateDataKey resumes it: it re-encrypts the rows still under older
	// keys (or in an older ciphertext format) to the active key instead of
	// making yet another key (RotateResult.Resumed).
	RotateDataKey(ctx context.Context, opts RotateOptions) (RotateResult, error)
	// Rewrap wraps the keyring under newMaster (in one transaction); the
	// store then uses newMaster. Secret rows are untouched.
	Rewrap(ctx context.Context, newMaster MasterKey) error
}

// RotateOptions tune RotateDataKey.
type RotateOptions struct {
	// BatchSize is how many rows one transaction re-encrypts; 0 means
	// DefaultRotateBatch.
	BatchSize int
	// Progress, when set, is called after each batch with the rows
	// re-encrypted so far and the number still to do when the pass began
	// (an estimate: other processes may write meanwhile).
	Progress func(done, total int)
}

// DefaultRotateBatch is the default RotateOptions.BatchSize.
const DefaultRotateBatch = 100

// Batch returns the batch size to use.
func (o RotateOptions) Batch() int {
	if o.BatchSize <= 0 {
		return DefaultRotateBatch
	}
	return o.BatchSize
}

// RotateResult reports a data-key rotation.
type RotateResult struct {
	// KeyID is the active data key the rows were moved to.
	KeyID uint32
	// Resumed is true when no new key was made: an earlier rotation to
	// KeyID had not finished, and this one finished it.
	Resumed bool
	// Reencrypted counts the secret values moved to the new key.
	Reencrypted int
}

// Ciphertext format, versions 1 and 2:
//
//	byte 0      format version (2; 1 in stores written before version 2)
//	bytes 1-4   data-key id, big endian
//	bytes 5-16  GCM nonce (12 bytes)
//	bytes 17-   AES-256-GCM sealed value (ciphertext and 16-byte tag)
//
// The GCM additional data is bytes 0-4 followed by the caller's aad. The
// two versions share this layout; they differ in what a secret value is
// bound to: version 2 values are sealed with ValueAAD (developer, secret
// id, name and version), version 1 values were sealed with LegacyValueAAD
// (no name). OpenValue picks the right one; stores rewrite version 1 values
// on their next write and during RotateDataKey. The version byte is
// authenticated, so a version 2 ciphertext cannot pass for version 1.
const (
	// CiphertextVersion is the format version written by this package.
	CiphertextVersion = 2
	// LegacyCiphertextVersion is the format whose values were bound by
	// LegacyValueAAD; it is read, never written.
	LegacyCiphertextVersion = 1
	ctHeaderLen             = 1 + 4
	nonceLen                = 12
	tagLen                  = 16
	// MinCiphertextLen is the length of a ciphertext of an empty plaintext.
	MinCiphertextLen = ctHeaderLen + nonceLen + tagLen
	wrapVersion      = 1
	dataKeyLen       = 32
	wrapAADPrefix    = "julep data key v1"
	legacyAADPrefix  = "julep secret value v1"
	valueAADPrefix   = "julep secret value v2"
)

// Ciphertext is a decoded (not decrypted) ciphertext.
type Ciphertext struct {
	Version byte
	KeyID   uint32
	Nonce   []byte
	Sealed  []byte // GCM ciphertext and tag
}

// ParseCiphertext decodes the envelope of a ciphertext without decrypting
// it. Errors wrap ErrEncryption. It never panics, whatever the input.
func ParseCiphertext(b []byte) (Ciphertext, error) {
	if len(b) == 0 {
		return Ciphertext{}, fmt.Errorf("%w: ciphertext is empty", ErrEncryption)
	}
	if b[0] != CiphertextVersion && b[0] != LegacyCiphertextVersion {
		return Ciphertext{}, fmt.Errorf("%w: unknown ciphertext format version %d", ErrEncryption, b[0])
	}
	if len(b) < MinCiphertextLen {
		return Ciphertext{}, fmt.Errorf("%w: ciphertext is %d bytes, shorter than the minimum %d", ErrEncryption, len(b), MinCiphertextLen)
	}
	return Ciphertext{
		Version: b[0],
		KeyID:   binary.BigEndian.Uint32(b[1:5]),
		Nonce:   b[ctHeaderLen : ctHeaderLen+nonceLen],
		Sealed:  b[ctHeaderLen+nonceLen:],
	}, nil
}

// ValueAAD is the additional data that binds a secret value's ciphertext
// (format version 2) to its developer, secret id, name and version: a
// ciphertext copied to another row, put back from an older version, or left
// in place while the names of two rows are swapped fails to decrypt. Every
// field is length-prefixed, so no two refs share an encoding.
func ValueAAD(ref ValueRef) []byte {
	b := make([]byte, 0, len(valueAADPrefix)+len(ref.DeveloperID)+len(ref.SecretID)+len(ref.Name)+40)
	b = append(b, valueAADPrefix...)
	b = appendField(b, ref.DeveloperID)
	b = appendField(b, ref.SecretID)
	b = appendField(b, ref.Name)
	b = binary.AppendVarint(b, int64(ref.Version))
	return b
}

// LegacyValueAAD is the additional data of format version 1 ciphertexts:
// developer id, secret id and version, without the name.
func LegacyValueAAD(developerID, secretID string, version int) []byte {
	b := make([]byte, 0, len(legacyAADPrefix)+len(developerID)+len(secretID)+32)
	b = append(b, legacyAADPrefix...)
	b = appendField(b, developerID)
	b = appendField(b, secretID)
	b = binary.AppendVarint(b, int64(version))
	return b
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// SealValue encrypts a secret value with enc, bound to ref (ValueAAD).
func SealValue(ctx context.Context, enc Encryptor, ref ValueRef, plaintext []byte) ([]byte, error) {
	return enc.Encrypt(ctx, ValueAAD(ref), plaintext)
}

// OpenValue decrypts a secret value sealed for ref: a format version 2
// ciphertext against ValueAAD(ref), a version 1 one against LegacyValueAAD.
// Errors wrap ErrEncryption (*UnknownKeyError for a data key enc lacks).
func OpenValue(ctx context.Context, enc Encryptor, ref ValueRef, ciphertext []byte) ([]byte, error) {
	c, err := ParseCiphertext(ciphertext)
	if err != nil {
		return nil, err
	}
	aad := ValueAAD(ref)
	if c.Version == LegacyCiphertextVersion {
		aad = LegacyValueAAD(ref.DeveloperID, ref.SecretID, ref.Version)
	}
	return enc.Decrypt(ctx, aad, ciphertext)
}

// IsLegacyCiphertext reports whether a stored value is in format version 1
// (bound without its name), which a store rewrites at its next chance.
func IsLegacyCiphertext(ciphertext []byte) bool {
	return len(ciphertext) > 0 && ciphertext[0] == LegacyCiphertextVersion
}

// UnknownKeyError reports a ciphertext sealed under a data key the keyring
// does not hold (a store may reload its keyring and retry). It wraps ErrEncryption.
type UnknownKeyError struct{ KeyID uint32 }

// Error implements error.
func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("%s: ciphertext uses data key %d, which is not in the keyring", ErrEncryption.Error(), e.KeyID)
}

// Unwrap returns ErrEncryption.
func (e *UnknownKeyError) Unwrap() error { return ErrEncryption }

// WrappedDataKey is a data key as stored in the database: wrapped
// (AES-256-GCM) under a key derived from the master key with HKDF.
type WrappedDataKey struct {
	ID uint32
	// Wrapped is version byte, nonce and the sealed 32-byte key; the key id
	// is authenticated.
	Wrapped []byte
	// MasterFingerprint is MasterKey.Fingerprint of the wrapping master key.
	MasterFingerprint string
	// Active marks the key new values are sealed with (exactly one).
	Active    bool
	CreatedAt time.Time
}

// NewWrappedDataKey makes a random data key with the given id, wrapped under
// master. The caller stores it (and marks it active as it sees fit).
func NewWrappedDataKey(master MasterKey, id uint32, active bool, now time.Time) (WrappedDataKey, error) {
	raw := make([]byte, dataKeyLen)
	_, _ = rand.Read(raw)
	w, err := wrapKey(master, id, raw)
	if err != nil {
		return WrappedDataKey{}, err
	}
	return WrappedDataKey{ID: id, Wrapped: w, MasterFingerprint: master.Fingerprint(), Active: active, CreatedAt: now.UTC()}, nil
}

func wrapAAD(id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte(wrapAADPrefix), id)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncryption, err)
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncryption, err)
	}
	return g, nil
}

// wrapGCM is the AES-GCM cipher that wraps and unwraps data keys under
// master (ErrNoMasterKey without one).
func wrapGCM(master MasterKey) (cipher.AEAD, error) {
	kek, err := master.wrappingKey()
	if err != nil {
		return nil, err
	}
	return newGCM(kek)
}

func wrapKey(master MasterKey, id uint32, raw []byte) ([]byte, error) {
	g, err := wrapGCM(master)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+nonceLen, 1+nonceLen+len(raw)+tagLen)
	out[0] = wrapVersion
	_, _ = rand.Read(out[1:])
	return g.Seal(out, out[1:1+nonceLen], raw, wrapAAD(id)), nil
}

// ErrWrongMasterKey: the master key does not unwrap the store's keyring. It
// wraps ErrEncryption.
var ErrWrongMasterKey = fmt.Errorf("%w: wrong master key", ErrEncryption)

// wrongKeyHint says what to do about ErrWrongMasterKey.
const wrongKeyHint = "use the master key this store was created with (or last re-wrapped to)"

func unwrapKey(master MasterKey, w WrappedDataKey) ([]byte, error) {
	if w.MasterFingerprint != "" && w.MasterFingerprint != master.Fingerprint() {
		return nil, fmt.Errorf("%w: %s is not the master key of this store (data key %d is wrapped by master key fingerprint %s, %s has fingerprint %s): %s",
			ErrWrongMasterKey, master.Source(), w.ID, w.MasterFingerprint, master.Source(), master.Fingerprint(), wrongKeyHint)
	}
	g, err := wrapGCM(master)
	if err != nil {
		return nil, err
	}
	b := w.Wrapped
	if len(b) != 1+nonceLen+dataKeyLen+tagLen || b[0] != wrapVersion {
		return nil, fmt.Errorf("%w: data key %d: malformed wrapped key", ErrEncryption, w.ID)
	}
	raw, err := g.Open(nil, b[1:1+nonceLen], b[1+nonceLen:], wrapAAD(w.ID))
	if err != nil {
		return nil, fmt.Errorf("%w: data key %d cannot be unwrapped with %s (wrong master key, or the keyring was tampered with): %s",
			ErrWrongMasterKey, w.ID, master.Source(), wrongKeyHint)
	}
	return raw, nil
}

// Keyring holds unwrapped data keys and implements Encryptor: it seals with
// the active key and opens with whichever key a ciphertext names. A Keyring
// is immutable and safe for concurrent use; stores replace it when the
// stored keyring changes.
type Keyring struct {
	active uint32
	aeads  map[uint32]cipher.AEAD
	raw    map[uint32][]byte
	meta   map[uint32]WrappedDataKey
}

// OpenKeyring unwraps stored data keys with master. Exactly one key must be
// active. Errors wrap ErrEncryption and say whether the master key is wrong.
func OpenKeyring(master MasterKey, keys []WrappedDataKey) (*Keyring, error) {
	if master.IsZero() {
		return nil, ErrNoMasterKey
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: the keyring is empty", ErrEncryption)
	}
	k := &Keyring{aeads: map[uint32]cipher.AEAD{}, raw: map[uint32][]byte{}, meta: map[uint32]WrappedDataKey{}}
	actives := 0
	for _, w := range keys {
		if _, dup := k.raw[w.ID]; dup {
			return nil, fmt.Errorf("%w: data key %d appears twice in the keyring", ErrEncryption, w.ID)
		}
		raw, err := unwrapKey(master, w)
		if err != nil {
			return nil, err
		}
		g, err := newGCM(raw)
		if err != nil {
			return nil, err
		}
		k.aeads[w.ID], k.raw[w.ID], k.meta[w.ID] = g, raw, w
		if w.Active {
			actives++
			k.active = w.ID
		}
	}
	if actives != 1 {
		return nil, fmt.Errorf("%w: the keyring has %d active data keys, want exactly 1", ErrEncryption, actives)
	}
	return k, nil
}

// ActiveID is the id of the data key new values are sealed with.
func (k *Keyring) ActiveID() uint32 { return k.active }

// Has reports whether the keyring holds data key id.
func (k *Keyring) Has(id uint32) bool { _, ok := k.aeads[id]; return ok }

// IDs lists the data-key ids, ascending.
func (k *Keyring) IDs() []uint32 {
	ids := make([]uint32, 0, len(k.aeads))
	for id := range k.aeads {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Rewrap returns every data key wrapped under newMaster (same ids, same
// active key), ready to replace the stored keyring in one transaction.
func (k *Keyring) Rewrap(newMaster MasterKey) ([]WrappedDataKey, error) {
	out := make([]WrappedDataKey, 0, len(k.raw))
	for _, id := range k.IDs() {
		w, err := wrapKey(newMaster, id, k.raw[id])
		if err != nil {
			return nil, err
		}
		m := k.meta[id]
		m.Wrapped, m.MasterFingerprint = w, newMaster.Fingerprint()
		out = append(out, m)
	}
	return out, nil
}

// Encrypt seals plaintext with the active data key, bound to aad.
func (k *Keyring) Encrypt(_ context.Context, aad, plaintext []byte) ([]byte, error) {
	g := k.aeads[k.active]
	out := make([]byte, ctHeaderLen+nonceLen, ctHeaderLen+nonceLen+len(plaintext)+tagLen)
	out[0] = CiphertextVersion
	binary.BigEndian.PutUint32(out[1:5], k.active)
	_, _ = rand.Read(out[ctHeaderLen:])
	return g.Seal(out, out[ctHeaderLen:], plaintext, fullAAD(out[:ctHeaderLen], aad)), nil
}

// Decrypt opens a ciphertext made by Encrypt with the same aad. A wrong key,
// a flipped byte or a different aad gives an error wrapping ErrEncryption; a
// data key not in the keyring gives *UnknownKeyError.
func (k *Keyring) Decrypt(_ context.Context, aad, ciphertext []byte) ([]byte, error) {
	c, err := ParseCiphertext(ciphertext)
	if err != nil {
		return nil, err
	}
	g, ok := k.aeads[c.KeyID]
	if !ok {
		return nil, &UnknownKeyError{KeyID: c.KeyID}
	}
	pt, err := g.Open(nil, c.Nonce, c.Sealed, fullAAD(ciphertext[:ctHeaderLen], aad))
	if err != nil {
		return nil, errDecrypt
	}
	return pt, nil
}

var errDecrypt = fmt.Errorf("%w: ciphertext does not authenticate (tampered, moved from another secret or version, or wrong key)", ErrEncryption)

func fullAAD(header, aad []byte) []byte {
	b := make([]byte, 0, len(header)+len(aad))
	return append(append(b, header...), aad...)
}

// KeyIDOf returns the data-key id a ciphertext names (for stores that index
// rows by key).
func KeyIDOf(ciphertext []byte) (uint32, error) {
	c, err := ParseCiphertext(ciphertext)
	return c.KeyID, err
}

// IsUnknownKey reports whether err is an *UnknownKeyError.
func IsUnknownKey(err error) bool {
	var u *UnknownKeyError
	return errors.As(err, &u)
}
