package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/server"
)

// remoteHarness is a harness whose julep talks to a real server (over
// loopback) holding its own memory store, in remote mode.
func remoteHarness(t *testing.T) *harness {
	h := newHarness(t)
	master, err := secrets.ParseMasterKey(testKeyA, "test")
	require.NoError(t, err)
	st, err := memory.Open(memory.NewDB(), master)
	require.NoError(t, err)
	keys := apikeys.NewMemory()
	key, _, err := apikeys.Create(context.Background(), keys, "default", time.Now())
	require.NoError(t, err)
	srv, err := server.New(server.Config{Store: st, Keys: keys})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	h.env[envBaseURL] = ts.URL
	h.env[envAPIKey] = key
	// No master key on the client side: the server holds it.
	delete(h.env, secrets.EnvMasterKey)
	return h
}

var (
	timestampRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
	uuidRE      = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

func normalize(s string) string {
	return uuidRE.ReplaceAllString(timestampRE.ReplaceAllString(s, "TIME"), "UUID")
}

// TestRemoteModeMatchesLocal runs the same session against a local store
// and, in remote mode, against "julep serve": stdout, stderr and exit codes
// are the same (export and import included).
func TestRemoteModeMatchesLocal(t *testing.T) {
	local, rem := newHarness(t), remoteHarness(t)
	envFile := filepath.Join(t.TempDir(), "import.env")
	require.NoError(t, os.WriteFile(envFile, []byte("IMPORTED_ONE=imported-value-1\nstripe_key=imported-value-2\n"), 0o600))
	steps := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"secrets", "list"}},
		{"", []string{"secrets", "create", "--name", "openai_api_key", "--value", testValue, "--description", "OpenAI", "--metadata", "env=prod"}},
		{testValue + "-2\n", []string{"secrets", "create", "--name", "stripe_key", "--value-stdin", "--metadata", "env=dev"}},
		{"", []string{"secrets", "create", "--name", "openai_api_key", "--value", "other-value-1"}},
		{"", []string{"secrets", "create", "--name", "bad name", "--value", "other-value-1"}},
		{"", []string{"secrets", "list"}},
		{"", []string{"secrets", "list", "--json", "--metadata", "env=prod"}},
		{"", []string{"secrets", "list", "--limit", "1", "--offset", "1"}},
		{"", []string{"secrets", "get", "openai_api_key"}},
		{"", []string{"secrets", "get", "openai_api_key", "--json"}},
		{"", []string{"secrets", "get", "nope"}},
		{"", []string{"secrets", "update", "openai_api_key", "--value", testValue + "-3", "--metadata", "owner=ml"}},
		{"", []string{"secrets", "update", "openai_api_key", "--value", testValue + "-3"}},
		{"", []string{"secrets", "update", "openai_api_key", "--new-name", "stripe_key"}},
		{"", []string{"secrets", "update", "openai_api_key", "--new-name", "OPENAI_API_KEY", "--description", ""}},
		{"", []string{"secrets", "get", "OPENAI_API_KEY", "--json"}},
		{"", []string{"secrets", "list", "--expiring-within", "7d"}},
		{"", []string{"secrets", "import", envFile}},
		{"", []string{"secrets", "import", envFile, "--overwrite"}},
		{"", []string{"secrets", "export", "--format", "json", "--yes"}},
		{"", []string{"secrets", "export", "--format", "env", "--only", "stripe_key", "--yes"}},
		{"", []string{"secrets", "delete", "OPENAI_API_KEY"}},
		{"", []string{"secrets", "delete", "OPENAI_API_KEY"}},
		{"", []string{"secrets", "list", "--json"}},
	}
	for _, s := range steps {
		l := local.run(s.stdin, s.args...)
		r := rem.run(s.stdin, s.args...)
		what := strings.Join(s.args, " ")
		assert.Equal(t, l.code, r.code, "exit code of %s: remote stderr %s", mask(what), mask(r.stderr))
		assert.Equal(t, normalize(mask(l.stdout)), normalize(mask(r.stdout)), "stdout of %s", mask(what))
		assert.Equal(t, normalize(mask(l.stderr)), normalize(mask(r.stderr)), "stderr of %s", mask(what))
	}
	// The session did reach the server's store.
	r := rem.run("", "secrets", "get", "IMPORTED_ONE", "--json")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, `"value": "imported-value-1"`)
}

func TestRemoteModeErrors(t *testing.T) {
	h := remoteHarness(t)
	h.env[envAPIKey] = "jk_000000000000_wrong"
	r := h.run("", "secrets", "list")
	assert.Equal(t, exitGeneral, r.code)
	assert.Contains(t, r.stderr, "refused the API key in JULEP_API_KEY (invalid API key)")
	assert.NotContains(t, r.stderr, "wrong")

	h.env[envAPIKey] = ""
	r = h.run("", "secrets", "list")
	assert.Equal(t, exitGeneral, r.code)
	assert.Contains(t, r.stderr, "JULEP_API_KEY is empty")

	h.env[envBaseURL] = "http://127.0.0.1:1"
	h.env[envAPIKey] = "jk_000000000000_x"
	r = h.run("", "secrets", "get", "x")
	assert.Equal(t, exitGeneral, r.code)
	assert.Contains(t, r.stderr, "cannot reach the server at http://127.0.0.1:1")
}
