//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/secrets"
)

// printerMain is the julep-test-print helper command (see TestMain):
//
//	julep-test-print SLEEP FD:HEX...
//
// writes each hex-decoded chunk to fd 1 or 2, one write each, sleeping
// SLEEP (a Go duration) between writes, so that the reader sees separate
// reads. FD "0" copies stdin to stdout instead.
func printerMain() {
	pause, err := time.ParseDuration(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "julep-test-print: bad SLEEP")
		os.Exit(2)
	}
	for i, a := range os.Args[2:] {
		fd, data, _ := strings.Cut(a, ":")
		b, err := hex.DecodeString(data)
		if err != nil {
			fmt.Fprintln(os.Stderr, "julep-test-print: bad HEX")
			os.Exit(2)
		}
		if i > 0 {
			time.Sleep(pause)
		}
		switch fd {
		case "0":
			_, _ = io.Copy(os.Stdout, os.Stdin)
		case "1":
			_, _ = os.Stdout.Write(b)
		case "2":
			_, _ = os.Stderr.Write(b)
		}
	}
}

// chunk is one write of julep-test-print.
func chunk(fd int, s string) string { return fmt.Sprintf("%d:%s", fd, hex.EncodeToString([]byte(s))) }

// runHarness is a harness with secrets already created.
func runHarness(t *testing.T, values map[string]string) *harness {
	h := newHarness(t)
	for n, v := range values {
		h.ok("secrets", "create", "--name", n, "--value", v)
	}
	return h
}

func TestRunExitStatus(t *testing.T) {
	h := runHarness(t, map[string]string{"api_token": testValue})
	dir := t.TempDir()
	notExec := filepath.Join(dir, "script.sh")
	require.NoError(t, os.WriteFile(notExec, []byte("#!/bin/sh\necho hi\n"), 0o644))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"success", []string{"true"}, 0, ""},
		{"failure", []string{"false"}, 1, ""},
		{"status 3", []string{"sh", "-c", "exit 3"}, 3, ""},
		{"status 255", []string{"sh", "-c", "exit 255"}, 255, ""},
		{"killed by SIGKILL", []string{"sh", "-c", "kill -KILL $$"}, 128 + 9, ""},
		{"killed by SIGTERM", []string{"sh", "-c", "kill -TERM $$"}, 128 + 15, ""},
		{"not found", []string{"julep-no-such-command"}, 127, `julep: run: exec: "julep-no-such-command": executable file not found in $PATH` + "\n"},
		{"not executable", []string{notExec}, 126, "julep: run: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run("", append([]string{"run", "--"}, tt.args...)...)
			assert.Equal(t, tt.code, r.code)
			if tt.stderr == "" {
				assert.Empty(t, r.stderr)
			} else {
				assert.True(t, strings.HasPrefix(r.stderr, tt.stderr), "stderr %q", r.stderr)
			}
		})
	}
}

func TestRunEnvironment(t *testing.T) {
	h := runHarness(t, map[string]string{
		"OPENAI_API_KEY": "sk-openai-abcdef123456",
		"db_password":    "hunter2-hunter2",
		"prod_db_url":    "postgres://u:pw-98765@db/app",
	})
	show := `for v in OPENAI_API_KEY db_password prod_db_url DATABASE_URL; do eval "x=\${$v-unset}"; if [ "$x" = unset ]; then echo "$v unset"; else echo "$v set"; fi; done`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all secrets under their own names", nil,
			"OPENAI_API_KEY set\ndb_password set\nprod_db_url set\nDATABASE_URL unset\n"},
		{"--only", []string{"--only", "OPENAI_API_KEY"},
			"OPENAI_API_KEY set\ndb_password unset\nprod_db_url unset\nDATABASE_URL unset\n"},
		{"--only twice and with spaces", []string{"--only", "db_password, OPENAI_API_KEY", "--only", "db_password"},
			"OPENAI_API_KEY set\ndb_password set\nprod_db_url unset\nDATABASE_URL unset\n"},
		{"--env maps a variable", []string{"--only", "db_password", "--env", "DATABASE_URL=prod_db_url"},
			"OPENAI_API_KEY unset\ndb_password set\nprod_db_url unset\nDATABASE_URL set\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run"}, tt.args...)
			r := h.run("", append(args, "--", "sh", "-c", show)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, tt.want, r.stdout)
		})
	}
	// The values are the stored ones (compared inside the command, so that
	// the test never prints them).
	r := h.run("", "run", "--env", "DATABASE_URL=prod_db_url", "--", "sh", "-c",
		`[ "$DATABASE_URL" = 'postgres://u:pw-98765@db/app' ] && [ "$OPENAI_API_KEY" = sk-openai-abcdef123456 ] && echo same`)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "same\n", r.stdout)
	// The environment of julep passes through.
	h.t.Setenv("JULEP_TEST_INHERITED", "yes")
	r = h.run("", "run", "--only", "db_password", "--", "sh", "-c", `echo "$JULEP_TEST_INHERITED"`)
	assert.Equal(t, "yes\n", r.stdout)
}

func TestRunMissingSecretsStopBeforeStart(t *testing.T) {
	h := runHarness(t, map[string]string{"api_token": testValue})
	marker := filepath.Join(t.TempDir(), "started")
	r := h.run("", "run", "--only", "api_token,nope", "--env", "X=also_missing", "--", "touch", marker)
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, `julep: secrets "nope", "also_missing" not found for developer "default" (see: julep secrets list)`+"\n", r.stderr)
	assert.NoFileExists(t, marker)
}

func TestRunUsage(t *testing.T) {
	h := runHarness(t, nil)
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"run"}, "julep: missing the command to run"},
		{[]string{"run", "--"}, "julep: missing the command to run"},
		{[]string{"run", "--env", "NOEQUALS", "--", "true"}, `julep: --env "NOEQUALS" is not VAR=NAME`},
		{[]string{"run", "--env", "1X=a", "--", "true"}, `julep: --env "1X=a": "1X" is not a variable name`},
		{[]string{"run", "--env", "X=a", "--env", "X=b", "--", "true"}, `julep: --env sets variable "X" twice`},
		{[]string{"run", "--env", "X=bad-name", "--", "true"}, `julep: --env "X=bad-name": `},
		{[]string{"run", "--only", "a,,b", "--", "true"}, `julep: --only: empty secret name`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run("", tt.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.True(t, strings.HasPrefix(r.stderr, tt.stderr), "stderr %q", r.stderr)
		})
	}
	// Flags after the command belong to the command.
	r := h.run("", "run", "echo", "--only", "x")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "--only x\n", r.stdout)
}

func TestRunStdinAndMasking(t *testing.T) {
	h := runHarness(t, map[string]string{"api_token": testValue})
	r := h.run("first line\nBearer "+testValue+"\n", "run", "--", "julep-test-print", "1ms", chunk(1, "copy: "), "0:")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "copy: first line\nBearer [REDACTED:api_token]\n", r.stdout)

	// A value split across writes, on both streams.
	r = h.run("", "run", "--", "julep-test-print", "20ms",
		chunk(1, "a="+testValue[:5]), chunk(1, testValue[5:12]), chunk(1, testValue[12:]+"\n"),
		chunk(2, "b="+testValue[:1]), chunk(2, testValue[1:]+" end"))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "a=[REDACTED:api_token]\n", r.stdout)
	assert.Equal(t, "b=[REDACTED:api_token] end", r.stderr)

	// --no-mask shows the output as it is.
	r = h.run("", "run", "--no-mask", "--", "sh", "-c", `printf '%s' "$api_token" | wc -c`)
	assert.Equal(t, fmt.Sprintf("%d", len(testValue)), strings.TrimSpace(r.stdout))
	r = h.run("", "run", "--no-mask", "--", "sh", "-c", `[ "$(printf '%s' "$api_token")" = "$(printf 'sk-test-value-9f8e7d')" ] && echo raw`)
	assert.Equal(t, "raw\n", r.stdout)
}

// leakForms returns what a command might print of value v: v, its base64
// inside a larger blob at three alignments (standard, URL-safe and raw),
// its URL query escaping, its JSON string, and each of its lines.
func leakForms(v string) []string {
	out := []string{v}
	for shift := range 3 {
		blob := []byte("xy"[:shift] + v + "!tail")
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			out = append(out, "data="+enc.EncodeToString(blob))
		}
	}
	out = append(out, "https://api.example.com/?key="+url.QueryEscape(v)+"&x=1")
	j, _ := json.Marshal(map[string]string{"value": v})
	out = append(out, string(j))
	out = append(out, strings.Split(v, "\n")...)
	return out
}

// TestRunLeaks prints every value in every form, each print split into
// three writes, on stdout and on stderr, and checks that nothing of it
// reaches julep's output.
func TestRunLeaks(t *testing.T) {
	values := map[string]string{
		"api_token":   "tok-live-123456789abcdef",
		"db_password": `p@ss word/1&"x"<y>`,
		"pem":         "-----BEGIN TEST KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\nq8v9w7x6y5z4a3b2c1d0e9f8\n-----END TEST KEY-----",
	}
	h := runHarness(t, values)
	args := []string{"run", "--", "julep-test-print", "2ms"}
	for _, n := range slices.Sorted(maps.Keys(values)) {
		for _, form := range leakForms(values[n]) {
			line := "log: " + form + "\n"
			a, b := len(line)/3, 2*len(line)/3
			for fd := 1; fd <= 2; fd++ {
				args = append(args, chunk(fd, line[:a]), chunk(fd, line[a:b]), chunk(fd, line[b:]))
			}
		}
	}
	r := h.run("", args...)
	require.Equal(t, 0, r.code)
	for stream, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		assert.Contains(t, out, "[REDACTED:pem]", stream)
		assert.Equal(t, strings.Count(out, "\n"), len(args)/6, "%s: one line per print", stream)
		for n, v := range values {
			noValue(t, out, v, stream+" "+n)
			for i, f := range redact.Forms(v) {
				noValue(t, out, f, fmt.Sprintf("%s: %s form %d", stream, n, i))
			}
			for i, line := range strings.Split(v, "\n") {
				noValue(t, out, line, fmt.Sprintf("%s: %s line %d", stream, n, i))
			}
		}
	}
}

// julepProcess starts the julep command (the test binary in $PATH, see
// TestMain) as a process of its own, over a SQLite store in a temporary
// directory holding api_token, and returns it with a reader of its stdout.
func julepProcess(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	env := append(os.Environ(), secrets.EnvMasterKey+"="+testKeyA, "JULEP_STORE=sqlite:"+filepath.Join(dir, "s.db"))
	create := exec.Command("julep", "secrets", "create", "--name", "api_token", "--value-stdin")
	create.Env = env
	create.Stdin = strings.NewReader(testValue)
	out, err := create.CombinedOutput()
	require.NoError(t, err, "%s", out)

	c := exec.Command("julep", args...)
	c.Env = env
	stdout, err := c.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	require.NoError(t, c.Start())
	t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
	return c, bufio.NewReader(stdout), &stderr
}

// TestRunSignals sends julep each signal it forwards while the command
// waits; the command's trap sees it and picks the exit status.
func TestRunSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			name := strings.TrimPrefix(unixSignalName(sig), "SIG")
			script := fmt.Sprintf(`trap 'echo "got %s $api_token"; exit 7' %s; echo ready; while :; do sleep 0.05; done`, name, name)
			c, out, stderr := julepProcess(t, "run", "--", "sh", "-c", script)
			line, err := out.ReadString('\n')
			require.NoError(t, err, "stderr: %s", stderr)
			require.Equal(t, "ready\n", line)
			require.NoError(t, c.Process.Signal(sig))
			rest, _ := io.ReadAll(out)
			err = c.Wait()
			assert.Equal(t, "got "+name+" [REDACTED:api_token]\n", string(rest))
			assert.Equal(t, 7, c.ProcessState.ExitCode(), "err %v, stderr %s", err, stderr)
		})
	}
}

// TestRunSignalReachesGroup: a command's own children get the signal too,
// and julep reports 128+N when the signal ends the command.
func TestRunSignalReachesGroup(t *testing.T) {
	c, out, stderr := julepProcess(t, "run", "--", "sh", "-c", `sleep 30 & echo "$!"; wait`)
	line, err := out.ReadString('\n')
	require.NoError(t, err, "stderr: %s", stderr)
	var child int
	_, err = fmt.Sscan(line, &child)
	require.NoError(t, err)
	require.NoError(t, c.Process.Signal(syscall.SIGTERM))
	_ = c.Wait()
	assert.Equal(t, 128+int(syscall.SIGTERM), c.ProcessState.ExitCode(), "stderr %s", stderr)
	// The background sleep got SIGTERM as well.
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(child, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Error(t, syscall.Kill(child, 0), "the command's child is still running")
}

func unixSignalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}
