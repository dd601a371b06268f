package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
)

// TestFormat1Store opens a store written before ciphertext format 2
// (testdata/format1.db): its values read, a write rewrites a value in the
// current format (binding its name), and a rotation rewrites the rest, after
// which swapping two rows' names is detected.
func TestFormat1Store(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile("testdata/format1.db")
	require.NoError(t, err)
	key, err := os.ReadFile("testdata/format1.key")
	require.NoError(t, err)
	master, err := secrets.ParseMasterKey(string(key), "testdata/format1.key")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "format1.db")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	st, err := sqlite.Open(ctx, path, master)
	require.NoError(t, err)
	defer st.Close()
	raw, err := sql.Open("sqlite", sqlite.DSN(path))
	require.NoError(t, err)
	defer raw.Close()
	h := &harness{path: path, st: st, raw: raw, master: master}

	want := []struct {
		dev, name, value string
		version          int
	}{
		{"dev", "ALPHA", "legacy-value-ALPHA", 1},
		{"dev", "BRAVO", "legacy-value-BRAVO-v2", 2},
		{"dev", "CHARLIE", "legacy-value-CHARLIE", 1},
		{"other", "ALPHA", "legacy-value-other-ALPHA", 1},
	}
	ids := map[string]string{}
	for _, w := range want {
		g, err := st.Get(ctx, w.dev, w.name)
		require.NoError(t, err, "%s/%s", w.dev, w.name)
		assert.True(t, g.Value == w.value, "%s/%s reads its format-1 value", w.dev, w.name)
		assert.Equal(t, w.version, g.Version)
		assert.True(t, secrets.IsLegacyCiphertext(h.Ciphertext(t, g.ID)), "%s/%s is format 1 on disk", w.dev, w.name)
		ids[w.dev+"/"+w.name] = g.ID
	}

	// Any write rewrites the value in the current format, version unchanged.
	u, err := st.Update(ctx, "dev", "ALPHA", secrets.UpdateParams{Description: ptr("touched")})
	require.NoError(t, err)
	assert.Equal(t, 1, u.Version)
	assert.False(t, secrets.IsLegacyCiphertext(h.Ciphertext(t, ids["dev/ALPHA"])), "rewritten on the next write")
	g, err := st.Get(ctx, "dev", "ALPHA")
	require.NoError(t, err)
	assert.True(t, g.Value == "legacy-value-ALPHA")

	// A rotation rewrites every remaining format-1 value.
	res, err := st.RotateDataKey(ctx, secrets.RotateOptions{BatchSize: 2})
	require.NoError(t, err)
	assert.Equal(t, 4, res.Reencrypted)
	for _, w := range want {
		g, err := st.Get(ctx, w.dev, w.name)
		require.NoError(t, err)
		assert.True(t, g.Value == w.value, "%s/%s after rotation", w.dev, w.name)
		assert.Equal(t, w.version, g.Version)
		assert.False(t, secrets.IsLegacyCiphertext(h.Ciphertext(t, g.ID)))
	}

	// Now the names are bound: swapping two rows' names is detected.
	h.SetName(t, ids["dev/BRAVO"], "TMP")
	h.SetName(t, ids["dev/CHARLIE"], "BRAVO")
	h.SetName(t, ids["dev/BRAVO"], "CHARLIE")
	for _, n := range []string{"BRAVO", "CHARLIE"} {
		_, err := st.Get(ctx, "dev", n)
		require.ErrorIs(t, err, secrets.ErrEncryption, n)
	}
}

func ptr[T any](v T) *T { return &v }
