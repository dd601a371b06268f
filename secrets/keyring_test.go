package secrets_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

var ctx = context.Background()

func mustKey(t testing.TB) secrets.MasterKey {
	t.Helper()
	m, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	return m
}

func mustRing(t testing.TB, m secrets.MasterKey) (*secrets.Keyring, []secrets.WrappedDataKey) {
	t.Helper()
	k, err := secrets.NewWrappedDataKey(m, 1, true, time.Now())
	require.NoError(t, err)
	keys := []secrets.WrappedDataKey{k}
	r, err := secrets.OpenKeyring(m, keys)
	require.NoError(t, err)
	return r, keys
}

func TestParseMasterKey(t *testing.T) {
	good := secrets.GenerateMasterKey()
	raw, err := base64.StdEncoding.DecodeString(good)
	require.NoError(t, err)
	require.Len(t, raw, 32)
	tests := []struct {
		name, in string
		ok       bool
		msg      string
	}{
		{"good", good, true, ""},
		{"whitespace", " \n" + good + "\n", true, ""},
		{"empty", "", false, "is empty"},
		{"not base64", "!!!!", false, "not standard base64"},
		{"url base64", base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)), false, "not standard base64"},
		{"short", base64.StdEncoding.EncodeToString(make([]byte, 16)), false, "16 bytes"},
		{"long", base64.StdEncoding.EncodeToString(make([]byte, 33)), false, "33 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := secrets.ParseMasterKey(tc.in, "SOME_VAR")
			if tc.ok {
				require.NoError(t, err)
				assert.Len(t, m.Fingerprint(), 16)
				return
			}
			require.ErrorIs(t, err, secrets.ErrEncryption)
			assert.Contains(t, err.Error(), "SOME_VAR")
			assert.Contains(t, err.Error(), tc.msg)
			assert.Contains(t, err.Error(), "julep keygen")
		})
	}
}

func TestMasterKeyFromLookup(t *testing.T) {
	key := secrets.GenerateMasterKey()
	file := filepath.Join(t.TempDir(), "k")
	require.NoError(t, os.WriteFile(file, []byte(key+"\n"), 0o600))
	env := func(kv map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	_, err := secrets.MasterKeyFromLookup(env(nil))
	require.ErrorIs(t, err, secrets.ErrNoMasterKey)
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY_FILE")
	assert.Contains(t, err.Error(), "julep keygen")

	a, err := secrets.MasterKeyFromLookup(env(map[string]string{"JULEP_MASTER_KEY": key}))
	require.NoError(t, err)
	b, err := secrets.MasterKeyFromLookup(env(map[string]string{"JULEP_MASTER_KEY_FILE": file}))
	require.NoError(t, err)
	assert.Equal(t, a.Fingerprint(), b.Fingerprint())
	assert.Contains(t, b.Source(), file)

	_, err = secrets.MasterKeyFromLookup(env(map[string]string{"JULEP_MASTER_KEY": key, "JULEP_MASTER_KEY_FILE": file}))
	assert.ErrorIs(t, err, secrets.ErrEncryption)
	_, err = secrets.MasterKeyFromLookup(env(map[string]string{"JULEP_MASTER_KEY_FILE": file + ".missing"}))
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY_FILE")
	_, err = secrets.MasterKeyFromLookup(env(map[string]string{"JULEP_MASTER_KEY": "abc"}))
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.False(t, strings.Contains(err.Error(), "abc"), "the error does not quote the malformed key")
}

func TestKeyringRoundTripAndBinding(t *testing.T) {
	m := mustKey(t)
	ring, _ := mustRing(t, m)
	aad := secrets.ValueAAD(vref("dev", "id-1", "N", 1))
	ct, err := ring.Encrypt(ctx, aad, []byte(probe))
	require.NoError(t, err)
	assert.False(t, bytes.Contains(ct, []byte(probe)))
	c, err := secrets.ParseCiphertext(ct)
	require.NoError(t, err)
	assert.Equal(t, uint32(1), c.KeyID)
	assert.Equal(t, byte(secrets.CiphertextVersion), c.Version)
	assert.Len(t, ct, secrets.MinCiphertextLen+len(probe))
	pt, err := ring.Decrypt(ctx, aad, ct)
	require.NoError(t, err)
	assert.True(t, string(pt) == probe)

	ct2, err := ring.Encrypt(ctx, aad, []byte(probe))
	require.NoError(t, err)
	assert.NotEqual(t, ct, ct2, "fresh nonce each time")

	for _, other := range [][]byte{
		secrets.ValueAAD(vref("dev2", "id-1", "N", 1)),
		secrets.ValueAAD(vref("dev", "id-2", "N", 1)),
		secrets.ValueAAD(vref("dev", "id-1", "N", 2)),
		secrets.ValueAAD(vref("dev", "id-1", "M", 1)),
		secrets.ValueAAD(vref("de", "vid-1", "N", 1)), // length-prefixed: no ambiguity
		secrets.ValueAAD(vref("dev", "id-", "1N", 1)),
		secrets.LegacyValueAAD("dev", "id-1", 1),
		nil,
	} {
		_, err := ring.Decrypt(ctx, other, ct)
		assert.ErrorIs(t, err, secrets.ErrEncryption)
	}
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x80
		_, err := ring.Decrypt(ctx, aad, bad)
		assert.ErrorIs(t, err, secrets.ErrEncryption, "flipped byte %d", i)
	}
	// Another keyring (another master, or same master with fresh data key) cannot open it.
	ring2, _ := mustRing(t, mustKey(t))
	_, err = ring2.Decrypt(ctx, aad, ct)
	assert.ErrorIs(t, err, secrets.ErrEncryption)
	// A key id not in the ring is reported as such.
	bad := bytes.Clone(ct)
	bad[4] = 9
	_, err = ring.Decrypt(ctx, aad, bad)
	assert.True(t, secrets.IsUnknownKey(err))
	assert.ErrorIs(t, err, secrets.ErrEncryption)
}

func TestOpenKeyringErrors(t *testing.T) {
	m := mustKey(t)
	_, keys := mustRing(t, m)
	wrong := mustKey(t)
	_, err := secrets.OpenKeyring(wrong, keys)
	require.ErrorIs(t, err, secrets.ErrEncryption)
	require.ErrorIs(t, err, secrets.ErrWrongMasterKey)
	assert.Contains(t, err.Error(), "not the master key")
	assert.Contains(t, err.Error(), "use the master key this store was created with", "the error says what to do")

	// Wrong key even without a fingerprint: GCM refuses.
	nofp := append([]secrets.WrappedDataKey(nil), keys...)
	nofp[0].MasterFingerprint = ""
	_, err = secrets.OpenKeyring(wrong, nofp)
	require.ErrorIs(t, err, secrets.ErrWrongMasterKey)
	assert.Contains(t, err.Error(), "use the master key this store was created with")

	// The wrapped key is bound to its id.
	swapped := append([]secrets.WrappedDataKey(nil), keys...)
	swapped[0].ID = 2
	_, err = secrets.OpenKeyring(m, swapped)
	require.ErrorIs(t, err, secrets.ErrEncryption)

	flipped := append([]secrets.WrappedDataKey(nil), keys...)
	flipped[0].Wrapped = bytes.Clone(keys[0].Wrapped)
	flipped[0].Wrapped[20] ^= 1
	_, err = secrets.OpenKeyring(m, flipped)
	require.ErrorIs(t, err, secrets.ErrEncryption)

	_, err = secrets.OpenKeyring(m, nil)
	require.ErrorIs(t, err, secrets.ErrEncryption)
	_, err = secrets.OpenKeyring(secrets.MasterKey{}, keys)
	require.ErrorIs(t, err, secrets.ErrNoMasterKey)

	inactive := append([]secrets.WrappedDataKey(nil), keys...)
	inactive[0].Active = false
	_, err = secrets.OpenKeyring(m, inactive)
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "active")
}

func TestKeyringRotateAndRewrap(t *testing.T) {
	m := mustKey(t)
	ring, keys := mustRing(t, m)
	aad := secrets.ValueAAD(vref("dev", "id", "N", 1))
	old, err := ring.Encrypt(ctx, aad, []byte("one"))
	require.NoError(t, err)

	k2, err := secrets.NewWrappedDataKey(m, 2, true, time.Now())
	require.NoError(t, err)
	keys[0].Active = false
	keys = append(keys, k2)
	ring2, err := secrets.OpenKeyring(m, keys)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), ring2.ActiveID())
	assert.Equal(t, []uint32{1, 2}, ring2.IDs())
	pt, err := ring2.Decrypt(ctx, aad, old)
	require.NoError(t, err, "old ciphertexts stay readable")
	assert.True(t, string(pt) == "one", "old ciphertext decrypts to its plaintext")
	nct, err := ring2.Encrypt(ctx, aad, []byte("two"))
	require.NoError(t, err)
	id, err := secrets.KeyIDOf(nct)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), id)

	m2 := mustKey(t)
	rewrapped, err := ring2.Rewrap(m2)
	require.NoError(t, err)
	ring3, err := secrets.OpenKeyring(m2, rewrapped)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), ring3.ActiveID())
	for _, ct := range [][]byte{old, nct} {
		_, err := ring3.Decrypt(ctx, aad, ct)
		require.NoError(t, err)
	}
	_, err = secrets.OpenKeyring(m, rewrapped)
	assert.ErrorIs(t, err, secrets.ErrEncryption, "the old master no longer opens the keyring")
}

func TestParseCiphertext(t *testing.T) {
	for _, in := range [][]byte{nil, {}, {1}, {2, 0, 0, 0, 1}, bytes.Repeat([]byte{1}, secrets.MinCiphertextLen-1)} {
		_, err := secrets.ParseCiphertext(in)
		assert.ErrorIs(t, err, secrets.ErrEncryption)
	}
	c, err := secrets.ParseCiphertext(append([]byte{1, 0, 0, 1, 2}, make([]byte, 28)...))
	require.NoError(t, err)
	assert.Equal(t, uint32(258), c.KeyID)
	assert.Len(t, c.Nonce, 12)
	assert.Len(t, c.Sealed, 16)
}

// FuzzDecrypt feeds arbitrary ciphertexts to the decoder and the keyring:
// the only outcomes allowed are an error wrapping ErrEncryption, or (for
// the genuine ciphertext only) the original plaintext. Never a panic,
// never garbage.
func FuzzDecrypt(f *testing.F) {
	m := mustKey(f)
	ring, _ := mustRing(f, m)
	aad := secrets.ValueAAD(vref("dev", "id", "N", 1))
	genuine, err := ring.Encrypt(ctx, aad, []byte("plain"))
	require.NoError(f, err)
	f.Add(genuine)
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 1})
	f.Add(genuine[:secrets.MinCiphertextLen])
	f.Fuzz(func(t *testing.T, b []byte) {
		c, perr := secrets.ParseCiphertext(b)
		if perr != nil {
			if !strings.HasPrefix(perr.Error(), secrets.ErrEncryption.Error()) {
				t.Fatalf("parse error does not wrap ErrEncryption: %v", perr)
			}
		} else if len(c.Nonce) != 12 || len(c.Sealed) < 16 {
			t.Fatalf("bad decode: nonce %d sealed %d", len(c.Nonce), len(c.Sealed))
		}
		pt, err := ring.Decrypt(ctx, aad, b)
		if err != nil {
			if !errorsIsEncryption(err) {
				t.Fatalf("decrypt error does not wrap ErrEncryption: %v", err)
			}
			return
		}
		if !bytes.Equal(b, genuine) || string(pt) != "plain" {
			t.Fatalf("forged ciphertext decrypted")
		}
	})
}

func errorsIsEncryption(err error) bool { return errors.Is(err, secrets.ErrEncryption) }

func vref(dev, id, name string, version int) secrets.ValueRef {
	return secrets.ValueRef{DeveloperID: dev, SecretID: id, Name: name, Version: version}
}

// TestLegacyCiphertext: values sealed in format 1 (bound without the name)
// still open, only for their developer, id and version, and only as format 1:
// a format 2 ciphertext relabelled as format 1 fails.
func TestLegacyCiphertext(t *testing.T) {
	ring, _ := mustRing(t, mustKey(t))
	ref := vref("dev", "id-1", "API_KEY", 3)
	old := secrets.SealLegacyValue(t, ring, ref, []byte(probe))
	assert.True(t, secrets.IsLegacyCiphertext(old))
	pt, err := secrets.OpenValue(ctx, ring, ref, old)
	require.NoError(t, err)
	assert.True(t, string(pt) == probe)
	renamed := ref
	renamed.Name = "OTHER" // format 1 does not bind the name: that is why it is rewritten
	_, err = secrets.OpenValue(ctx, ring, renamed, old)
	require.NoError(t, err)
	for _, other := range []secrets.ValueRef{vref("dev2", "id-1", "API_KEY", 3), vref("dev", "id-2", "API_KEY", 3), vref("dev", "id-1", "API_KEY", 4)} {
		_, err := secrets.OpenValue(ctx, ring, other, old)
		assert.ErrorIs(t, err, secrets.ErrEncryption, "%+v", other)
	}

	cur, err := secrets.SealValue(ctx, ring, ref, []byte(probe))
	require.NoError(t, err)
	assert.False(t, secrets.IsLegacyCiphertext(cur))
	_, err = secrets.OpenValue(ctx, ring, renamed, cur)
	assert.ErrorIs(t, err, secrets.ErrEncryption, "format 2 binds the name")
	downgraded := bytes.Clone(cur)
	downgraded[0] = secrets.LegacyCiphertextVersion
	_, err = secrets.OpenValue(ctx, ring, ref, downgraded)
	assert.ErrorIs(t, err, secrets.ErrEncryption, "the format byte is authenticated")
	future := bytes.Clone(cur)
	future[0] = 3
	_, err = secrets.OpenValue(ctx, ring, ref, future)
	assert.ErrorIs(t, err, secrets.ErrEncryption)
}
