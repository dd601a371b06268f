package storeopen_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
	"github.com/julepkit/julep/secrets/storeopen"
)

func TestOpenMemory(t *testing.T) {
	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	t.Setenv(secrets.EnvMasterKeyFile, "")
	ctx := context.Background()
	st, err := storeopen.Open(ctx, "memory:")
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "token-1"})
	require.NoError(t, err)
	got, err := st.Get(ctx, "dev", "API_KEY")
	require.NoError(t, err)
	assert.True(t, got.Value == "token-1", "value round trip")
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	t.Setenv(secrets.EnvMasterKey, "")
	t.Setenv(secrets.EnvMasterKeyFile, "")
	_, err := storeopen.Open(ctx, "memory:")
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")
	assert.Contains(t, err.Error(), "julep keygen")

	_, err = storeopen.Open(ctx, "postgres:user:hunter2@db/x")
	require.ErrorIs(t, err, storeopen.ErrBadSpec)
	assert.NotContains(t, err.Error(), "hunter2")

	_, err = storeopen.Open(ctx, "mysql://user:hunter2@db/x")
	require.ErrorIs(t, err, storeopen.ErrBadSpec)
	assert.NotContains(t, err.Error(), "hunter2")

	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	_, err = storeopen.Open(ctx, "postgres://user:hunter2@127.0.0.1:1/x?connect_timeout=2")
	require.Error(t, err, "nothing listens on port 1")
	assert.NotContains(t, err.Error(), "hunter2", "the password is never shown")
	assert.Contains(t, err.Error(), "postgres store")

	t.Setenv(secrets.EnvMasterKey, "not base64!")
	_, err = storeopen.Open(ctx, "memory:")
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")
}

func TestOpenSQLiteDefault(t *testing.T) {
	home := filepath.Join(t.TempDir(), "julephome")
	t.Setenv(storeopen.EnvHome, home)
	t.Setenv(storeopen.EnvStore, "")
	t.Setenv(secrets.EnvMasterKeyFile, "")
	spec, err := storeopen.DefaultSpec()
	require.NoError(t, err)
	assert.Equal(t, "sqlite:"+filepath.Join(home, "secrets.db"), spec)

	key := secrets.GenerateMasterKey()
	keyFile := filepath.Join(t.TempDir(), "master.key")
	require.NoError(t, os.WriteFile(keyFile, []byte("  "+key+"\n"), 0o600))
	t.Setenv(secrets.EnvMasterKey, "")
	t.Setenv(secrets.EnvMasterKeyFile, keyFile)
	ctx := context.Background()
	st, err := storeopen.Open(ctx, spec)
	require.NoError(t, err)
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "A", Value: "value-a"})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	fi, err := os.Stat(home)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	fi, err = os.Stat(filepath.Join(home, "secrets.db"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Same key from the variable instead of the file: the data is readable.
	t.Setenv(secrets.EnvMasterKeyFile, "")
	t.Setenv(secrets.EnvMasterKey, key)
	st, err = storeopen.Open(ctx, spec)
	require.NoError(t, err)
	g, err := st.Get(ctx, "dev", "A")
	require.NoError(t, err)
	assert.True(t, g.Value == "value-a")
	require.NoError(t, st.Close())

	// Another key: ErrEncryption naming the variable.
	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	_, err = storeopen.Open(ctx, spec)
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")

	t.Setenv(storeopen.EnvStore, "memory:")
	spec, err = storeopen.DefaultSpec()
	require.NoError(t, err)
	assert.Equal(t, "memory:", spec)
}

func TestEnvVariants(t *testing.T) {
	env := map[string]string{
		storeopen.EnvHome:      "/srv/julep",
		secrets.EnvMasterKey:   secrets.GenerateMasterKey(),
		storeopen.EnvDeveloper: " alice ",
	}
	getenv := func(k string) string { return env[k] }
	spec, err := storeopen.DefaultSpecEnv(getenv)
	require.NoError(t, err)
	assert.Equal(t, "sqlite:/srv/julep/secrets.db", spec)
	assert.Equal(t, "alice", storeopen.DeveloperEnv(getenv))
	assert.Equal(t, "default", storeopen.DeveloperEnv(func(string) string { return "" }))
	st, err := storeopen.OpenEnv(context.Background(), "memory:", getenv)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	_, err = storeopen.OpenEnv(context.Background(), "memory:", func(string) string { return "" })
	require.ErrorIs(t, err, secrets.ErrNoMasterKey)
	_, err = storeopen.OpenEnv(context.Background(), "sqlite:", getenv)
	require.ErrorIs(t, err, storeopen.ErrBadSpec)
	_, err = storeopen.OpenEnv(context.Background(), "", getenv)
	require.ErrorIs(t, err, storeopen.ErrBadSpec)
}

func TestOpenPostgres(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	t.Setenv(secrets.EnvMasterKeyFile, "")
	ctx := context.Background()
	st, err := storeopen.Open(ctx, dsn)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "token-1"})
	require.NoError(t, err)
	// Another open of the same spec (another worker) reads it.
	st2, err := storeopen.Open(ctx, dsn)
	require.NoError(t, err)
	defer st2.Close()
	got, err := st2.Get(ctx, "dev", "API_KEY")
	require.NoError(t, err)
	assert.True(t, got.Value == "token-1", "value round trip")
}

// TestOpenExistingCreatesNothing: commands that only read never create a
// directory or an empty store; a missing one is secrets.ErrNoStore naming
// the path, before any master key is asked for.
func TestOpenExistingCreatesNothing(t *testing.T) {
	ctx := context.Background()
	t.Setenv(secrets.EnvMasterKeyFile, "")
	t.Setenv(secrets.EnvMasterKey, "")
	dir := filepath.Join(t.TempDir(), "typo", "julep")
	path := filepath.Join(dir, "secrets.db")
	_, err := storeopen.OpenExisting(ctx, "sqlite:"+path)
	require.ErrorIs(t, err, secrets.ErrNoStore)
	assert.Equal(t, "no secret store at "+path, err.Error())
	assert.NoDirExists(t, dir)

	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	_, err = storeopen.OpenExisting(ctx, "sqlite:"+path)
	require.ErrorIs(t, err, secrets.ErrNoStore)
	assert.NoDirExists(t, dir)

	// An empty file (as older versions left behind) is no store either.
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	_, err = storeopen.OpenExisting(ctx, "sqlite:"+path)
	require.ErrorIs(t, err, secrets.ErrNoStore)
	assert.Contains(t, err.Error(), "the file is empty")

	// Once a write created it, reads open it.
	require.NoError(t, os.Remove(path))
	st, err := storeopen.Open(ctx, "sqlite:"+path)
	require.NoError(t, err)
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "k", Value: "v1-value"})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	ro, err := storeopen.OpenExisting(ctx, "sqlite:"+path)
	require.NoError(t, err)
	defer ro.Close()
	got, err := ro.Get(ctx, "dev", "k")
	require.NoError(t, err)
	assert.True(t, got.Value == "v1-value")
}

// TestOpenExistingTakesNoWriteLock: a reader opens and reads while another
// connection holds the database write lock (BEGIN IMMEDIATE).
func TestOpenExistingTakesNoWriteLock(t *testing.T) {
	ctx := context.Background()
	t.Setenv(secrets.EnvMasterKeyFile, "")
	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	path := filepath.Join(t.TempDir(), "secrets.db")
	st, err := storeopen.Open(ctx, "sqlite:"+path)
	require.NoError(t, err)
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "k", Value: "v1-value"})
	require.NoError(t, err)
	defer st.Close()

	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(100)")
	require.NoError(t, err)
	defer db.Close()
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.NoError(t, err)
	defer conn.ExecContext(ctx, "ROLLBACK") //nolint:errcheck

	start := time.Now()
	ro, err := storeopen.OpenExisting(ctx, "sqlite:"+path)
	require.NoError(t, err)
	defer ro.Close()
	items, err := ro.List(ctx, "dev", secrets.ListParams{})
	require.NoError(t, err)
	assert.Len(t, items, 1)
	assert.Less(t, time.Since(start), sqlite.BusyTimeout/2, "the reader waited for the writer")

}

func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "master.key")
	require.NoError(t, os.WriteFile(key, []byte(secrets.GenerateMasterKey()), 0o644))
	db := filepath.Join(dir, "secrets.db")
	require.NoError(t, os.WriteFile(db, []byte("x"), 0o640))
	env := map[string]string{secrets.EnvMasterKeyFile: key}
	got := storeopen.Warnings("sqlite:"+db, func(k string) string { return env[k] })
	assert.Equal(t, []string{
		"master key file " + key + " is readable by group or others (mode 0644): chmod 600 " + key,
		"secret store " + db + " is readable by group or others (mode 0640): chmod 600 " + db,
	}, got)
	require.NoError(t, os.Chmod(key, 0o600))
	require.NoError(t, os.Chmod(db, 0o600))
	assert.Empty(t, storeopen.Warnings("sqlite:"+db, func(k string) string { return env[k] }))
}
