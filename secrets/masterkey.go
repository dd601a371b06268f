package secrets

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
)

// Environment variables that carry the master key.
const (
	// EnvMasterKey holds the master key itself: 32 random bytes, standard base64.
	EnvMasterKey = "JULEP_MASTER_KEY"
	// EnvMasterKeyFile names a file whose content (whitespace trimmed) is the master key.
	EnvMasterKeyFile = "JULEP_MASTER_KEY_FILE"
	// EnvNewMasterKey holds the master key that `julep secrets rewrap` moves the keyring to.
	EnvNewMasterKey = "JULEP_NEW_MASTER_KEY"
)

// MasterKeyLen is the length of a master key in bytes (AES-256).
const MasterKeyLen = 32

const (
	infoWrapKey     = "julep secrets keyring wrapping key v1"
	infoFingerprint = "julep secrets master key fingerprint v1"
)

// MasterKey is the key that wraps the keyring of data keys. It is never
// stored with the data. Printing or logging a MasterKey shows only its source
// and fingerprint.
type MasterKey struct {
	// key returns the key bytes. It is a function, not a []byte, so that
	// dumpers that bypass String and Format (reflection-based ones such as
	// go-spew, which testify uses for failure diffs) show a function
	// pointer instead of the key.
	key    func() []byte
	source string
}

// bytes returns the key, or nil for the zero MasterKey.
func (m MasterKey) bytes() []byte {
	if m.key == nil {
		return nil
	}
	return m.key()
}

// GenerateMasterKey returns a new random master key in its text form
// (standard base64 of 32 random bytes), as `julep keygen` prints it.
func GenerateMasterKey() string {
	b := make([]byte, MasterKeyLen)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go 1.24+)
	return base64.StdEncoding.EncodeToString(b)
}

// ParseMasterKey decodes a master key from standard base64 (surrounding
// whitespace is ignored). source names where it came from (for example
// "JULEP_MASTER_KEY") and appears in errors, which wrap ErrEncryption and
// never contain the key.
func ParseMasterKey(encoded, source string) (MasterKey, error) {
	encoded = strings.TrimSpace(encoded)
	if encoded == "" {
		return MasterKey{}, fmt.Errorf("%w: %s is empty: it must hold a master key (make one with `julep keygen`)", ErrEncryption, source)
	}
	b, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return MasterKey{}, fmt.Errorf("%w: %s is not standard base64 (make a master key with `julep keygen`)", ErrEncryption, source)
	}
	if len(b) != MasterKeyLen {
		return MasterKey{}, fmt.Errorf("%w: %s decodes to %d bytes, a master key has %d (make one with `julep keygen`)", ErrEncryption, source, len(b), MasterKeyLen)
	}
	return MasterKey{key: func() []byte { return b }, source: source}, nil
}

// MasterKeyFromEnv reads the master key from JULEP_MASTER_KEY or from the
// file named by JULEP_MASTER_KEY_FILE (exactly one of them must be set).
func MasterKeyFromEnv() (MasterKey, error) {
	return MasterKeyFromLookup(os.LookupEnv)
}

// MasterKeyFromLookup is MasterKeyFromEnv with a custom environment lookup.
func MasterKeyFromLookup(lookup func(string) (string, bool)) (MasterKey, error) {
	v, hasKey := lookup(EnvMasterKey)
	path, hasFile := lookup(EnvMasterKeyFile)
	hasKey = hasKey && v != ""
	hasFile = hasFile && path != ""
	switch {
	case hasKey && hasFile:
		return MasterKey{}, fmt.Errorf("%w: both %s and %s are set: set only one", ErrEncryption, EnvMasterKey, EnvMasterKeyFile)
	case hasKey:
		return ParseMasterKey(v, EnvMasterKey)
	case hasFile:
		text, err := readKeyFile(path)
		if err != nil {
			return MasterKey{}, fmt.Errorf("%w: %s: %v", ErrEncryption, EnvMasterKeyFile, err)
		}
		return ParseMasterKey(text, fmt.Sprintf("%s (%s)", EnvMasterKeyFile, path))
	default:
		return MasterKey{}, ErrNoMasterKey
	}
}

// MaxMasterKeyFileBytes is the most JULEP_MASTER_KEY_FILE may hold: a key
// is 44 characters of base64; the rest is room for whitespace and a
// newline. A bigger file (or a device such as /dev/zero) is refused without
// reading more than this.
const MaxMasterKeyFileBytes = 4 << 10

// readKeyFile reads the master key file at path: a regular file (after
// symbolic links) of at most MaxMasterKeyFileBytes. Errors name the path and
// never quote the content.
func readKeyFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("cannot read master key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		// Opening a FIFO would block, reading a device may never end.
		return "", fmt.Errorf("master key file %s is not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot read master key file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("master key file %s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxMasterKeyFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("cannot read master key file %s: %w", path, err)
	}
	if len(b) > MaxMasterKeyFileBytes {
		return "", fmt.Errorf("master key file %s is larger than %d bytes: it must hold only a key made by `julep keygen`", path, MaxMasterKeyFileBytes)
	}
	return string(b), nil
}

// fileKind names the type of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// ExposedFile reports whether the file at path can be read by its group or
// by others (docs ask for mode 0600 on the master key file and the store),
// with its permission bits. A file that cannot be examined is not reported.
func ExposedFile(path string) (fs.FileMode, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	perm := fi.Mode().Perm()
	return perm, perm&0o044 != 0
}

// ErrNoMasterKey is returned when neither JULEP_MASTER_KEY nor
// JULEP_MASTER_KEY_FILE is set. It wraps ErrEncryption.
var ErrNoMasterKey = fmt.Errorf("%w: no master key: set %s to a master key made with `julep keygen`, or %s to the path of a file holding one",
	ErrEncryption, EnvMasterKey, EnvMasterKeyFile)

// IsZero reports whether m holds no key.
func (m MasterKey) IsZero() bool { return len(m.bytes()) == 0 }

// Source says where the key came from (an environment variable name).
func (m MasterKey) Source() string { return m.source }

// Fingerprint is a short, one-way identifier of the key (16 hex digits,
// derived with HKDF), stored beside wrapped data keys so that a wrong master
// key is reported as such. It reveals nothing about the key.
func (m MasterKey) Fingerprint() string {
	if m.IsZero() {
		return ""
	}
	b, err := hkdf.Key(sha256.New, m.bytes(), nil, infoFingerprint, 8)
	if err != nil {
		return ""
	}
	return hex.EncodeToString(b)
}

// wrappingKey derives the AES-256 key that wraps data keys.
func (m MasterKey) wrappingKey() ([]byte, error) {
	if m.IsZero() {
		return nil, ErrNoMasterKey
	}
	return hkdf.Key(sha256.New, m.bytes(), nil, infoWrapKey, 32)
}

// String shows the source and fingerprint, never the key.
func (m MasterKey) String() string {
	if m.IsZero() {
		return "MasterKey(none)"
	}
	return fmt.Sprintf("MasterKey(%s, fingerprint %s)", m.source, m.Fingerprint())
}

// GoString is String (the key is never printed).
func (m MasterKey) GoString() string { return m.String() }

// Format prints String for every verb.
func (m MasterKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(m.String())) }

// LogValue implements slog.LogValuer without the key.
func (m MasterKey) LogValue() slog.Value { return slog.StringValue(m.String()) }

// NewMasterKeyFromEnv reads the master key that `julep secrets rewrap`
// moves the keyring to, from JULEP_NEW_MASTER_KEY.
func NewMasterKeyFromEnv() (MasterKey, error) {
	v, ok := os.LookupEnv(EnvNewMasterKey)
	if !ok || strings.TrimSpace(v) == "" {
		return MasterKey{}, fmt.Errorf("%w: no new master key: set %s to a master key made with `julep keygen`", ErrEncryption, EnvNewMasterKey)
	}
	return ParseMasterKey(v, EnvNewMasterKey)
}
