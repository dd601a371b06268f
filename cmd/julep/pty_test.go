//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
)

// openPTY opens a pseudo-terminal pair, or skips the test.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pty: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// ptyReader collects what a terminal shows.
type ptyReader struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptyReader) read(m *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := m.Read(b)
		p.mu.Lock()
		p.buf.Write(b[:n])
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until the terminal has shown s.
func (p *ptyReader) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		ok := strings.Contains(p.buf.String(), s)
		p.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Fatalf("the terminal never showed %q; it showed %q", s, p.buf.String())
}

func TestExportAsksForYesOnTerminal(t *testing.T) {
	master, tty := openPTY(t)
	var pr ptyReader
	go pr.read(master)
	h := runHarness(t, map[string]string{"api_token": testValue})
	h.env[envStore] = "sqlite:test"
	run := func(args ...string) (int, string) {
		var errb bytes.Buffer
		a := newApp(strings.NewReader(""), tty, &errb, func(k string) string { return h.env[k] })
		a.openStore = func(context.Context, string, bool) (secrets.Store, error) {
			key, err := secrets.MasterKeyFromLookup(func(k string) (string, bool) { v, ok := h.env[k]; return v, ok })
			if err != nil {
				return nil, err
			}
			return memory.Open(h.db, key)
		}
		return a.execute(context.Background(), args), errb.String()
	}
	code, stderr := run("secrets", "export")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "julep: export prints secret values and stdout is a terminal")
	code, stderr = run("secrets", "export", "--yes")
	assert.Equal(t, 0, code, stderr)
	pr.waitFor(t, "api_token="+testValue)
}

// TestRunOnTerminal runs julep as the session leader of a terminal: the
// command becomes the terminal's foreground group, so it can read the
// terminal, and Ctrl-C reaches it.
func TestRunOnTerminal(t *testing.T) {
	master, tty := openPTY(t)
	var pr ptyReader
	go pr.read(master)
	dir := t.TempDir()
	env := append(os.Environ(), secrets.EnvMasterKey+"="+testKeyA, "JULEP_STORE=sqlite:"+filepath.Join(dir, "s.db"))
	create := exec.Command("julep", "secrets", "create", "--name", "api_token", "--value-stdin")
	create.Env = env
	create.Stdin = strings.NewReader(testValue)
	out, err := create.CombinedOutput()
	require.NoError(t, err, "%s", out)

	c := exec.Command("julep", "run", "--", "sh", "-c",
		`trap 'echo "interrupted $api_token"; exit 9' INT; read line; echo "got $line $api_token"; echo waiting; while :; do sleep 0.05; done`)
	c.Env = env
	c.Stdin, c.Stdout, c.Stderr = tty, tty, tty
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	require.NoError(t, c.Start())
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	t.Cleanup(func() { _ = c.Process.Kill() })

	_, err = io.WriteString(master, "hello\n")
	require.NoError(t, err)
	pr.waitFor(t, "got hello [REDACTED:api_token]")
	pr.waitFor(t, "waiting")
	_, err = master.Write([]byte{3}) // Ctrl-C
	require.NoError(t, err)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("julep did not end after Ctrl-C")
	}
	pr.waitFor(t, "interrupted [REDACTED:api_token]")
	assert.Equal(t, 9, c.ProcessState.ExitCode())
	pr.mu.Lock()
	defer pr.mu.Unlock()
	assert.NotContains(t, pr.buf.String(), testValue)
}
