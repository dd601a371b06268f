package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

// TestRotateAndRewrapWhileInUse runs `julep secrets rotate-key` and
// `julep secrets rewrap` as separate processes against SQLite and
// PostgreSQL while this process keeps writing to the same store: the
// rotation is killed with SIGKILL halfway, every secret stays readable, the
// next run resumes it, and no write of the other process is lost.
func TestRotateAndRewrapWhileInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	backends := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "secrets.db") },
		"postgres": func(t *testing.T) string { _, dsn := pgtest.Schema(t); return dsn },
	}
	for name, newSpec := range backends {
		t.Run(name, func(t *testing.T) { testRotateAndRewrap(t, newSpec(t)) })
	}
}

func testRotateAndRewrap(t *testing.T, spec string) {
	ctx := context.Background()
	key := secrets.GenerateMasterKey()
	master, err := secrets.ParseMasterKey(key, secrets.EnvMasterKey)
	require.NoError(t, err)
	st, err := storeopen.OpenWithKey(ctx, spec, master)
	require.NoError(t, err)
	defer func() { _ = st.Close() }()
	const n = 300
	want := map[string]string{}
	for i := range n {
		name, v := fmt.Sprintf("S%03d", i), fmt.Sprintf("value-%03d", i)
		_, err := st.Create(ctx, "default", secrets.CreateParams{Name: name, Value: v})
		require.NoError(t, err)
		want[name] = v
	}
	julep := func(extraEnv ...string) *exec.Cmd {
		cmd := exec.Command("julep", "--store", spec, "secrets")
		cmd.Env = append(os.Environ(), secrets.EnvMasterKey+"="+key, secrets.EnvMasterKeyFile+"=", secrets.EnvNewMasterKey+"=", envBaseURL+"=")
		cmd.Env = append(cmd.Env, extraEnv...)
		return cmd
	}
	checkAll := func(st secrets.Store, what string) {
		t.Helper()
		for name, v := range want {
			g, err := st.Get(ctx, "default", name)
			require.NoError(t, err, "%s: %s", what, name)
			require.True(t, g.Value == v, "%s: value of %s", what, name)
		}
	}

	// This process keeps updating secrets (as a worker would) throughout.
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			name := fmt.Sprintf("S%03d", (i*7)%n)
			v := fmt.Sprintf("updated-%d", i)
			mu.Lock() // checkAll holds mu: it sees each update with its value
			_, err := st.Update(ctx, "default", name, secrets.UpdateParams{Value: &v})
			if err == nil {
				want[name] = v
			}
			mu.Unlock()
			if err != nil {
				t.Errorf("concurrent update of %s: %v", name, err)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	stopWriter := func() {
		close(stop)
		wg.Wait()
	}

	// Kill -9 the rotation after its first batch.
	cmd := julep()
	cmd.Args = append(cmd.Args, "rotate-key", "--batch", "1")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stderr)
	require.True(t, sc.Scan(), "a progress line")
	assert.Regexp(t, `^rotate-key: \d+ of \d+ secrets re-encrypted$`, sc.Text())
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	mu.Lock()
	checkAll(st, "after kill -9 halfway")
	mu.Unlock()

	// Run again: it resumes the same rotation.
	cmd = julep()
	cmd.Args = append(cmd.Args, "rotate-key")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Regexp(t, `Resumed the unfinished rotation to data key 2: re-encrypted \d+ secrets\.`, string(out))

	// Rewrap while the writer goes on.
	newKey := secrets.GenerateMasterKey()
	keyFile := filepath.Join(t.TempDir(), "new.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(newKey+"\n"), 0o600))
	cmd = julep()
	cmd.Args = append(cmd.Args, "rewrap", "--new-master-key-file", keyFile)
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Re-wrapped the keyring under the new master key")
	// Again: already done, nothing to do (as after a kill right after the commit).
	cmd = julep(secrets.EnvNewMasterKey + "=" + newKey)
	cmd.Args = append(cmd.Args, "rewrap")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "already wrapped under the new master key")

	stopWriter()
	checkAll(st, "the writer's own store after rotate and rewrap")
	newMaster, err := secrets.ParseMasterKey(newKey, "new")
	require.NoError(t, err)
	st2, err := storeopen.OpenWithKey(ctx, spec, newMaster)
	require.NoError(t, err)
	defer st2.Close()
	checkAll(st2, "reopened with the new master key")
	_, err = storeopen.OpenWithKey(ctx, spec, master)
	require.ErrorIs(t, err, secrets.ErrWrongMasterKey, "the old master key no longer opens it")

	// A fresh rotation with the new key makes data key 3.
	cmd = julep(secrets.EnvMasterKey + "=" + newKey)
	cmd.Args = append(cmd.Args, "rotate-key", "--quiet")
	var stdout, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &errOut
	require.NoError(t, cmd.Run(), "%s", errOut.String())
	assert.Equal(t, fmt.Sprintf("Data key 3 is active: re-encrypted %d secrets.\n", n), stdout.String())
	assert.Empty(t, errOut.String(), "--quiet prints no progress")
	checkAll(st2, "after the second rotation")
	for _, v := range want {
		assert.False(t, strings.Contains(stdout.String()+errOut.String(), v), "no value printed")
	}
}

// stubRotator is a store whose rotation ends as the test says.
type stubRotator struct {
	secrets.Store
	res secrets.RotateResult
	err error
}

func (s stubRotator) RotateDataKey(context.Context, secrets.RotateOptions) (secrets.RotateResult, error) {
	return s.res, s.err
}

func (s stubRotator) Rewrap(context.Context, secrets.MasterKey) error { return nil }

// TestRotateKeyOutcomes: how rotate-key reports each way a rotation ends.
func TestRotateKeyOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		res        secrets.RotateResult
		err        error
		code       int
		stdout     string
		stderrPart string
	}{
		{"done", secrets.RotateResult{KeyID: 2, Reencrypted: 5}, nil, 0, "Data key 2 is active: re-encrypted 5 secrets.\n", ""},
		{"resumed", secrets.RotateResult{KeyID: 2, Resumed: true, Reencrypted: 3}, nil, 0, "Resumed the unfinished rotation to data key 2: re-encrypted 3 secrets.\n", ""},
		{"undecryptable secrets", secrets.RotateResult{KeyID: 3, Reencrypted: 4}, secrets.ReencryptFailures([]string{"B"}), 6,
			"Data key 3 is active: re-encrypted 4 secrets.\n", `1 secrets could not be decrypted and keep their old key: "B"`},
		{"interrupted", secrets.RotateResult{KeyID: 2, Reencrypted: 7}, fmt.Errorf("rotate: re-encrypt: %w", context.Canceled), 1,
			"", "rotate-key stopped after re-encrypting 7 secrets under data key 2; every secret stays readable; run julep secrets rotate-key again to finish"},
		{"connection lost", secrets.RotateResult{KeyID: 2, Reencrypted: 7}, fmt.Errorf("rotate: re-encrypt: unexpected EOF"), 1,
			"", "run julep secrets rotate-key again to finish"},
		{"never started", secrets.RotateResult{}, fmt.Errorf("rotate: %w", secrets.ErrWrongMasterKey), 6, "", "wrong master key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.wrap = func(st secrets.Store) secrets.Store { return stubRotator{Store: st, res: tc.res, err: tc.err} }
			r := h.run("", "secrets", "rotate-key")
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Equal(t, tc.stdout, r.stdout)
			assert.Contains(t, r.stderr, tc.stderrPart)
		})
	}
}
