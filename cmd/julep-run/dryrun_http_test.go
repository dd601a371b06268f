package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/server"
)

// TestDryRunHTTPSource: --secrets http resolves from a julep serve (real
// server over loopback) exactly as --secrets file: does from the same
// values.
func TestDryRunHTTPSource(t *testing.T) {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	st, err := memory.New(master)
	require.NoError(t, err)
	defer st.Close()
	data, err := os.ReadFile(filepath.Join(dryDir, "secrets.yaml"))
	require.NoError(t, err)
	var vals map[string]string
	require.NoError(t, yaml.Unmarshal(data, &vals))
	ctx := context.Background()
	for n, v := range vals {
		_, err := st.Create(ctx, "dev-http", secrets.CreateParams{Name: n, Value: v})
		require.NoError(t, err)
	}
	keys := apikeys.NewMemory()
	key, _, err := apikeys.Create(ctx, keys, "dev-http", time.Now())
	require.NoError(t, err)
	srv, err := server.New(server.Config{Store: st, Keys: keys})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	env := map[string]string{"JULEP_BASE_URL": ts.URL, "JULEP_API_KEY": key}

	for _, c := range dryCases {
		if !strings.Contains(strings.Join(c.args, " "), fileSecrets()) || c.corpus {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			hc := dryCase{name: c.name, code: c.code, env: env}
			for _, a := range c.args {
				if a == fileSecrets() {
					a = "--secrets=http"
				}
				hc.args = append(hc.args, a)
			}
			stdout, stderr, code := runDry(t, hc)
			want, err := os.ReadFile(filepath.Join(dryDir, c.name+".golden"))
			require.NoError(t, err)
			got := "exit: " + itoa(code) + "\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
			fileSpec := "file:" + dryDir + "/secrets.yaml"
			assert.Equal(t, strings.ReplaceAll(string(want), fileSpec, "http"), strings.ReplaceAll(got, fileSpec, "http"))
			for _, v := range vals {
				assert.NotContains(t, stdout+stderr, v)
			}
			assert.NotContains(t, stdout+stderr, key)
		})
	}

	// A wrong key is a source error, not a list of missing secrets.
	bad := dryCase{args: []string{dryDir + "/seed_api_headers.yaml", "--secrets", "http"},
		env: map[string]string{"JULEP_BASE_URL": ts.URL, "JULEP_API_KEY": "jk_000000000000_nope"}}
	_, stderr, code := runDry(t, bad)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, "refused the API key")
	// Without the variables, a clear usage error.
	_, stderr, code = runDry(t, dryCase{args: bad.args, env: map[string]string{}})
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "JULEP_BASE_URL")
}
