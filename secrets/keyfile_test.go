//go:build unix

package secrets_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

// TestMasterKeyFileBounded: JULEP_MASTER_KEY_FILE is read up to
// MaxMasterKeyFileBytes, and only from a regular file (/dev/zero once grew
// the process to 1.8 GB; a FIFO would block).
func TestMasterKeyFileBounded(t *testing.T) {
	dir := t.TempDir()
	key := secrets.GenerateMasterKey()
	lookup := func(path string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			if k == secrets.EnvMasterKeyFile {
				return path, true
			}
			return "", false
		}
	}
	padded := filepath.Join(dir, "padded")
	require.NoError(t, os.WriteFile(padded, []byte("\n  "+key+"\n\n"), 0o600))
	_, err := secrets.MasterKeyFromLookup(lookup(padded))
	require.NoError(t, err, "whitespace around the key is fine")

	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, []byte(key+strings.Repeat("\n", secrets.MaxMasterKeyFileBytes)), 0o600))
	_, err = secrets.MasterKeyFromLookup(lookup(big))
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "larger than 4096 bytes")
	assert.NotContains(t, err.Error(), key)

	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	cases := map[string]string{
		"/dev/zero": "is not a regular file (a device)",
		dir:         "is not a regular file (a directory)",
		fifo:        "is not a regular file (a named pipe)",
	}
	for path, want := range cases {
		done := make(chan error, 1)
		go func() { _, err := secrets.MasterKeyFromLookup(lookup(path)); done <- err }()
		select {
		case err := <-done:
			require.ErrorIs(t, err, secrets.ErrEncryption, path)
			assert.Contains(t, err.Error(), want, path)
		case <-time.After(5 * time.Second):
			t.Fatalf("reading %s as the master key file did not return", path)
		}
	}
}

func TestExposedFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		mode    os.FileMode
		exposed bool
	}{{0o600, false}, {0o400, false}, {0o640, true}, {0o604, true}, {0o644, true}, {0o620, false}} {
		p := filepath.Join(dir, tc.mode.String())
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
		require.NoError(t, os.Chmod(p, tc.mode))
		perm, exposed := secrets.ExposedFile(p)
		assert.Equal(t, tc.exposed, exposed, "%04o", tc.mode)
		assert.Equal(t, tc.mode, perm)
	}
	_, exposed := secrets.ExposedFile(filepath.Join(dir, "missing"))
	assert.False(t, exposed)
}
