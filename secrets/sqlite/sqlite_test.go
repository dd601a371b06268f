package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
	"github.com/julepkit/julep/secrets/storetest"
)

type harness struct {
	path   string
	st     *sqlite.Store
	raw    *sql.DB
	master secrets.MasterKey
}

func (h *harness) Store() secrets.Store      { return h.st }
func (h *harness) Master() secrets.MasterKey { return h.master }

func (h *harness) Ciphertext(t testing.TB, id string) []byte {
	t.Helper()
	var ct []byte
	require.NoError(t, h.raw.QueryRow(`SELECT value FROM secrets WHERE id = ?`, id).Scan(&ct))
	return ct
}

func (h *harness) SetCiphertext(t testing.TB, id string, ct []byte) {
	t.Helper()
	if ct == nil {
		ct = []byte{}
	}
	res, err := h.raw.Exec(`UPDATE secrets SET value = ? WHERE id = ?`, ct, id)
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "no secret %s", id)
}

func (h *harness) SetName(t testing.TB, id, name string) {
	t.Helper()
	res, err := h.raw.Exec(`UPDATE secrets SET name = ? WHERE id = ?`, name, id)
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "no secret %s", id)
}

func (h *harness) Reopen(t testing.TB, master secrets.MasterKey) (secrets.Store, error) {
	return sqlite.Open(context.Background(), h.path, master)
}

func testKey(t testing.TB) secrets.MasterKey {
	m, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	return m
}

func newHarness(t *testing.T) *harness {
	path := filepath.Join(t.TempDir(), "sub", "secrets.db")
	master := testKey(t)
	st, err := sqlite.Open(context.Background(), path, master)
	require.NoError(t, err)
	raw, err := sql.Open("sqlite", sqlite.DSN(path))
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close() })
	return &harness{path: path, st: st, raw: raw, master: master}
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness { return newHarness(t) })
}

// TestNoPlaintextOnDisk greps the database file and its WAL and shared-memory
// files for the values written (they must not be there) and for the names
// (they must be, proving the grep would find plaintext).
func TestNoPlaintextOnDisk(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var values, names []string
	for i := range 20 {
		name := fmt.Sprintf("PLAINTEXT_PROBE_NAME_%02d", i)
		v := fmt.Sprintf("plaintext-probe-value-%02d-%s", i, secrets.GenerateMasterKey())
		_, err := h.st.Create(ctx, "dev", secrets.CreateParams{Name: name, Value: v, Description: "probe"})
		require.NoError(t, err)
		names, values = append(names, name), append(values, v)
		v2 := v + "-second-version"
		_, err = h.st.Update(ctx, "dev", name, secrets.UpdateParams{Value: &v2})
		require.NoError(t, err)
		values = append(values, v2)
		switch i % 3 {
		case 1: // renamed, value kept
			renamed := name + "_RENAMED"
			_, err = h.st.Update(ctx, "dev", name, secrets.UpdateParams{NewName: &renamed,
				Metadata: map[string]any{"k": "v"}, MergeMetadata: true})
			require.NoError(t, err)
			names[len(names)-1] = renamed
		case 2: // renamed together with a new value
			renamed, v3 := name+"_RENAMED", v+"-third-version"
			_, err = h.st.Update(ctx, "dev", name, secrets.UpdateParams{NewName: &renamed, Value: &v3})
			require.NoError(t, err)
			names[len(names)-1] = renamed
			values = append(values, v3)
		}
	}
	// Old values are overwritten, deleted rows too (secure_delete).
	require.NoError(t, h.st.Delete(ctx, "dev", names[0]))
	_, err := h.st.RotateDataKey(ctx, secrets.RotateOptions{})
	require.NoError(t, err)

	check := func(stage string) {
		var all []byte
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			b, err := os.ReadFile(h.path + suffix)
			if os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			all = append(all, b...)
		}
		for i, v := range values {
			if bytes.Contains(all, []byte(v)) {
				t.Errorf("%s: plaintext of value #%d found on disk (value withheld)", stage, i)
			}
		}
		for _, n := range names[1:] {
			assert.True(t, bytes.Contains(all, []byte(n)), "%s: the grep finds plaintext name %s, so it would find values", stage, n)
		}
	}
	check("store open")
	require.NoError(t, h.raw.Close())
	require.NoError(t, h.st.Close())
	check("store closed")
}

func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	path := filepath.Join(dir, "secrets.db")
	st, err := sqlite.Open(context.Background(), path, testKey(t))
	require.NoError(t, err)
	defer st.Close()
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	fi, err = os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestMigrations(t *testing.T) {
	ms, err := sqlite.Migrations()
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	h := newHarness(t)
	v, err := h.st.SchemaVersion(context.Background())
	require.NoError(t, err)
	assert.Equal(t, len(ms), v)
	// Reopening does not re-apply migrations.
	st2, err := h.Reopen(t, h.master)
	require.NoError(t, err)
	require.NoError(t, st2.Close())
	var n int
	require.NoError(t, h.raw.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n))
	assert.Equal(t, len(ms), n)
	// A database from a newer program is refused.
	_, err = h.raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, len(ms)+1)
	require.NoError(t, err)
	_, err = h.Reopen(t, h.master)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "newer")
}

// TestTwoProcesses opens the file twice (as a CLI and a server would) and
// writes from both at once; a rotation in one is seen by the other.
func TestTwoProcesses(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	other, err := sqlite.Open(ctx, h.path, h.master)
	require.NoError(t, err)
	defer other.Close()
	errs := make(chan error, 40)
	for i := range 20 {
		go func() {
			_, err := h.st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("A%02d", i), Value: "v"})
			errs <- err
		}()
		go func() {
			_, err := other.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("B%02d", i), Value: "v"})
			errs <- err
		}()
	}
	for range 40 {
		require.NoError(t, <-errs)
	}
	res, err := h.st.RotateDataKey(ctx, secrets.RotateOptions{})
	require.NoError(t, err)
	assert.Equal(t, 40, res.Reencrypted)
	// The other instance still has the old keyring cached: reads reload it,
	// writes pick up the new active key.
	g, err := other.Get(ctx, "dev", "A00")
	require.NoError(t, err)
	assert.True(t, g.Value == "v")
	c, err := other.Create(ctx, "dev", secrets.CreateParams{Name: "C", Value: "w"})
	require.NoError(t, err)
	id, err := secrets.KeyIDOf(h.Ciphertext(t, c.ID))
	require.NoError(t, err)
	assert.Equal(t, res.KeyID, id)
}
