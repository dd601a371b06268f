package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

var updateValidate = flag.Bool("update-validate", false, "rewrite testdata/validate/*.golden")

// validateDir is the absolute path of testdata/validate (tests chdir there).
var validateDir, _ = filepath.Abs(filepath.Join("testdata", "validate"))

// runValidate runs julep-run in testdata/validate and returns the exit code
// and the streams.
func runValidate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(validateDir)
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestValidateGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"valid", []string{"validate", "valid.yaml"}, 0},
		{"broken", []string{"validate", "broken.yaml", "valid.yaml"}, 1},
		{"broken_json", []string{"validate", "--json", "broken.yaml"}, 1},
		{"lenient", []string{"validate", "strict.yaml"}, 0},
		{"strict", []string{"validate", "--strict", "strict.yaml"}, 1},
		{"secrets_file", []string{"validate", "--secrets", "file:secrets.json", "secrets.yaml"}, 1},
		{"secrets_none_json", []string{"validate", "--json", "--secrets", "none", "secrets.yaml"}, 1},
		{"missing_file", []string{"validate", "nope.yaml"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runValidate(t, tc.args...)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.NotContains(t, stdout+stderr, "not-printed", "secret values are never printed")
			got := "-- stdout --\n" + stdout + "-- stderr --\n" + stderr
			golden := filepath.Join(validateDir, tc.name+".golden")
			if *updateValidate {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./cmd/julep-run -run TestValidate -update-validate")
			assert.Equal(t, string(want), got)
		})
	}
}

func TestValidateJSONShape(t *testing.T) {
	code, stdout, _ := runValidate(t, "validate", "--json", "broken.yaml")
	require.Equal(t, 1, code)
	var out []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	require.NotEmpty(t, out)
	for _, f := range out {
		for _, k := range []string{"location", "message", "severity", "type", "line", "column", "file"} {
			assert.Contains(t, f, k)
		}
	}
	assert.Equal(t, "workflows.main.steps[1].evaluate.a", out[2]["location"])
}

func TestValidateEnvSecrets(t *testing.T) {
	t.Setenv("api_token", "tok-not-printed")
	t.Setenv("api_key", "")
	code, stdout, stderr := runValidate(t, "validate", "--secrets", "env", "secrets.yaml")
	assert.Equal(t, 1, code)
	assert.Equal(t, "secrets.yaml:8:23: error: secret \"api_key\" is not set in the environment (--secrets env) (in steps[0])\n"+
		"secrets.yaml:12:18: error: secret \"email_key\" is not set in the environment (--secrets env) (in steps[1])\n", stdout)
	assert.Empty(t, stderr)
}

func TestValidateStoreSecrets(t *testing.T) {
	t.Setenv("JULEP_STORE", "memory:")
	t.Setenv("JULEP_MASTER_KEY", "")
	code, stdout, stderr := runValidate(t, "validate", "--secrets", "store", "secrets.yaml")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "julep-run: opening the secrets store: ", "a store that cannot open is a failure, not a finding")

	// An empty store lacks every name.
	t.Setenv("JULEP_MASTER_KEY", secrets.GenerateMasterKey())
	t.Setenv("JULEP_DEVELOPER", "dev-1")
	code, stdout, stderr = runValidate(t, "validate", "--secrets", "store", "secrets.yaml")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, "secrets.yaml:12:18: error: secret \"email_key\" is not in the secrets store of developer \"dev-1\" (--secrets store) (in steps[1])")
}

func TestValidateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"validate"},
		{"validate", "--secrets", "vault", "valid.yaml"},
		{"validate", "--bogus", "valid.yaml"},
	} {
		code, stdout, stderr := runValidate(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "julep-run: ")
	}
}
