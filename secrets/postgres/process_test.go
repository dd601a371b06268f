package postgres_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
)

// TestMigrationsConcurrent: many stores opening one empty schema at once
// (workers starting together) migrate it exactly once and share one keyring.
func TestMigrationsConcurrent(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	master := testKey(t)
	const n = 8
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgres.Open(ctx, dsn, master)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "open %d", i)
		defer stores[i].Close()
	}
	ms, err := postgres.Migrations()
	require.NoError(t, err)
	v, err := stores[0].SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, len(ms), v)
	raw, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer raw.Close(ctx)
	var migrations, keys int
	require.NoError(t, raw.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&migrations))
	require.NoError(t, raw.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys`).Scan(&keys))
	assert.Equal(t, len(ms), migrations, "each migration applied once")
	assert.Equal(t, 1, keys, "one keyring")
	// Every store reads what another wrote.
	_, err = stores[0].Create(ctx, "dev", secrets.CreateParams{Name: "A", Value: "v"})
	require.NoError(t, err)
	g, err := stores[n-1].Get(ctx, "dev", "A")
	require.NoError(t, err)
	assert.True(t, g.Value == "v")

	// A database from a newer program is refused.
	_, err = raw.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')`, len(ms)+1)
	require.NoError(t, err)
	_, err = postgres.Open(ctx, dsn, master)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "newer")
}

func TestOpenErrors(t *testing.T) {
	schema, dsn := pgtest.Schema(t)
	_, err := postgres.Open(ctx, dsn, secrets.MasterKey{})
	require.ErrorIs(t, err, secrets.ErrEncryption)
	_, err = postgres.Open(ctx, pgtest.WithSearchPath(dsn, schema+"_missing"), testKey(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "search_path")
	_, err = postgres.Open(ctx, "postgres://u:hunter2@127.0.0.1:1/x?connect_timeout=2", testKey(t))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
	st, err := postgres.Open(ctx, dsn, testKey(t))
	require.NoError(t, err)
	require.NoError(t, st.Close())
	_, err = postgres.Open(ctx, dsn, testKey(t))
	require.ErrorIs(t, err, secrets.ErrWrongMasterKey, "another master key")
}

const helperEnv = "JULEP_PG_TEST_HELPER"

// TestHelperProcess is not a test: TestMultiProcess runs the test binary
// with it as separate worker processes sharing one schema.
func TestHelperProcess(t *testing.T) {
	dsn := os.Getenv(helperEnv)
	if dsn == "" {
		t.Skip("helper process only")
	}
	master, err := secrets.MasterKeyFromEnv()
	require.NoError(t, err)
	st, err := postgres.Open(ctx, dsn, master)
	require.NoError(t, err)
	defer st.Close()
	prefix := os.Getenv(helperEnv + "_PREFIX")
	for i := range 30 {
		_, err := st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("%s%02d", prefix, i), Value: "v"})
		require.NoError(t, err)
		_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("RACE%02d", i), Value: prefix})
		switch {
		case err == nil:
			fmt.Printf("WON RACE%02d\n", i)
		case errors.Is(err, secrets.ErrAlreadyExists):
		default:
			t.Fatalf("create RACE%02d: %v", i, err)
		}
		// Every process merges its own keys into SHARED's metadata and
		// changes its value: no process may lose another's change.
		v := fmt.Sprintf("%s-%02d", prefix, i)
		_, err = st.Update(ctx, "dev", "SHARED", secrets.UpdateParams{
			Value: &v, Metadata: map[string]any{fmt.Sprintf("%s%02d", prefix, i): i}, MergeMetadata: true})
		require.NoError(t, err)
		_, err = st.List(ctx, "dev", secrets.ListParams{})
		require.NoError(t, err)
	}
}

// TestMultiProcess has three worker processes create, race on the same
// names and update one secret at once: exactly one create of each raced
// name wins, and every update is a version.
func TestMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	_, dsn := pgtest.Schema(t)
	key := secrets.GenerateMasterKey()
	master, err := secrets.ParseMasterKey(key, "test")
	require.NoError(t, err)
	st, err := postgres.Open(ctx, dsn, master)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "SHARED", Value: "v0"})
	require.NoError(t, err)

	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, prefix := range []string{"P", "Q", "R"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), helperEnv+"="+dsn, helperEnv+"_PREFIX="+prefix,
			secrets.EnvMasterKey+"="+key, secrets.EnvMasterKeyFile+"=")
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		require.NoError(t, cmd.Start())
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	wins := map[string]int{}
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(), "helper process output:\n%s", outs[i])
		for _, line := range strings.Split(outs[i].String(), "\n") {
			if name, ok := strings.CutPrefix(line, "WON "); ok {
				wins[name]++
			}
		}
	}
	assert.Len(t, wins, 30, "every raced name was created")
	for name, n := range wins {
		assert.Equal(t, 1, n, "exactly one process created %s", name)
	}
	list, err := st.List(ctx, "dev", secrets.ListParams{Limit: secrets.MaxListLimit})
	require.NoError(t, err)
	assert.Len(t, list, 3*30+30+1)
	shared, err := st.Get(ctx, "dev", "SHARED")
	require.NoError(t, err)
	assert.Len(t, shared.Metadata, 3*30, "every process's metadata merge survives")
	assert.Equal(t, 1+3*30, shared.Version, "every process's value change is a version")
}
