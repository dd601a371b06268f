package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

// runReal runs julep with the real store opener and the environment env.
func runReal(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	code := a.execute(context.Background(), args)
	return code, out.String(), errb.String()
}

// TestReadOnlyCommandsCreateNothing: with a mistyped JULEP_HOME or --store,
// list and get answer "no secret store at PATH" (exit 1) and create no
// directory or file; a write creates the store, after which reads work.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	home := filepath.Join(t.TempDir(), "julpe-typo")
	env := map[string]string{"JULEP_HOME": home, secrets.EnvMasterKey: secrets.GenerateMasterKey()}
	db := filepath.Join(home, "secrets.db")
	for _, args := range [][]string{
		{"secrets", "list"},
		{"secrets", "list", "--json"},
		{"secrets", "get", "x"},
		{"--store", "sqlite:" + filepath.Join(home, "other.db"), "secrets", "list"},
	} {
		code, stdout, stderr := runReal(t, env, "", args...)
		assert.Equal(t, exitGeneral, code, "%v", args)
		assert.Empty(t, stdout, "%v", args)
		assert.Regexp(t, `^julep: no secret store at `+regexpQuote(home)+`/(secrets|other)\.db: check JULEP_HOME, JULEP_STORE or --store; a store is created by the first write`, stderr, "%v", args)
		assert.NoDirExists(t, home, "%v created the directory", args)
	}

	code, _, stderr := runReal(t, env, "v1-value", "secrets", "create", "--name", "k", "--value-stdin")
	require.Equal(t, exitOK, code, stderr)
	fi, err := os.Stat(db)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	code, stdout, stderr := runReal(t, env, "", "secrets", "list")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "k ")
	assert.Empty(t, stderr)

	// Loose permissions on the store or the key file are warned about.
	require.NoError(t, os.Chmod(db, 0o644))
	keyFile := filepath.Join(home, "master.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(env[secrets.EnvMasterKey]+"\n"), 0o640))
	env[secrets.EnvMasterKeyFile], env[secrets.EnvMasterKey] = keyFile, ""
	code, _, stderr = runReal(t, env, "", "secrets", "get", "k")
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "julep: warning: master key file "+keyFile+" is readable by group or others (mode 0640): chmod 600 "+keyFile+"\n"+
		"julep: warning: secret store "+db+" is readable by group or others (mode 0644): chmod 600 "+db+"\n", stderr)
}

func regexpQuote(s string) string {
	return strings.NewReplacer(".", `\.`, "+", `\+`, "(", `\(`, ")", `\)`).Replace(s)
}

// TestValueStdinDevNull: /dev/null on stdin is not a terminal, so no
// interactive prompt is shown.
func TestValueStdinDevNull(t *testing.T) {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	var prompt bytes.Buffer
	v, err := readValue(f, &prompt)
	require.NoError(t, err)
	assert.Empty(t, v)
	assert.Empty(t, prompt.String())
}
