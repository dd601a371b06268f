package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
)

const helperEnv = "JULEP_SQLITE_TEST_HELPER"

// TestHelperProcess is not a test: TestMultiProcess runs the test binary
// with it as separate processes writing to the same file.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	master, err := secrets.MasterKeyFromEnv()
	require.NoError(t, err)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, master)
	require.NoError(t, err)
	defer st.Close()
	prefix := os.Getenv(helperEnv + "_PREFIX")
	for i := range 30 {
		_, err := st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("%s%02d", prefix, i), Value: "v"})
		require.NoError(t, err)
		_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "SHARED", Value: "v"})
		if err != nil {
			require.ErrorIs(t, err, secrets.ErrAlreadyExists)
		}
		// Every process merges its own keys into SHARED's metadata and
		// bumps its value: no process may lose another's change.
		v := fmt.Sprintf("%s-%02d", prefix, i)
		_, err = st.Update(ctx, "dev", "SHARED", secrets.UpdateParams{
			Value: &v, Metadata: map[string]any{fmt.Sprintf("%s%02d", prefix, i): i}, MergeMetadata: true})
		require.NoError(t, err)
		_, err = st.List(ctx, "dev", secrets.ListParams{})
		require.NoError(t, err)
	}
}

// TestMultiProcess has three processes create, list and race on one name in
// the same file at once (as the CLI and a server would).
func TestMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	key := secrets.GenerateMasterKey()
	path := t.TempDir() + "/shared.db"
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, prefix := range []string{"P", "Q", "R"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+path, helperEnv+"_PREFIX="+prefix,
			secrets.EnvMasterKey+"="+key, secrets.EnvMasterKeyFile+"=")
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		require.NoError(t, cmd.Start())
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		assert.NoError(t, cmd.Wait(), "helper process output:\n%s", outs[i])
	}
	master, err := secrets.ParseMasterKey(key, "test")
	require.NoError(t, err)
	st, err := sqlite.Open(context.Background(), path, master)
	require.NoError(t, err)
	defer st.Close()
	list, err := st.List(context.Background(), "dev", secrets.ListParams{Limit: secrets.MaxListLimit})
	require.NoError(t, err)
	assert.Len(t, list, 3*30+1)
	shared, err := st.Get(context.Background(), "dev", "SHARED")
	require.NoError(t, err)
	assert.Len(t, shared.Metadata, 3*30, "every process's metadata merge survives")
	assert.Equal(t, 1+3*30, shared.Version, "every process's value change is a version")
}
