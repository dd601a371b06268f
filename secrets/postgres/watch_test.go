package postgres_test

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
)

const writerEnv = "JULEP_PG_TEST_WRITER"

// TestWriterProcess is not a test: TestNotifyAcrossProcesses runs the test
// binary with it as another worker that changes one secret and exits.
// JULEP_PG_TEST_WRITER is "DSN\nOP\nNAME\nVALUE" with OP create, update or
// delete.
func TestWriterProcess(t *testing.T) {
	spec := os.Getenv(writerEnv)
	if spec == "" {
		t.Skip("helper process only")
	}
	parts := strings.SplitN(spec, "\n", 4)
	require.Len(t, parts, 4)
	master, err := secrets.MasterKeyFromEnv()
	require.NoError(t, err)
	st, err := postgres.Open(ctx, parts[0], master)
	require.NoError(t, err)
	defer st.Close()
	switch op, name, value := parts[1], parts[2], parts[3]; op {
	case "create":
		_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: name, Value: value})
	case "update":
		_, err = st.Update(ctx, "dev", name, secrets.UpdateParams{Value: &value})
	case "delete":
		err = st.Delete(ctx, "dev", name)
	default:
		t.Fatalf("unknown op %q", op)
	}
	require.NoError(t, err)
}

// TestNotifyAcrossProcesses: a worker caches a secret (TTL one hour) in a
// resolver.NotifiedCache fed by a Watcher; another process updates and
// deletes it, and the worker sees each change within a second. When the
// watcher's connection is killed (pg_terminate_backend), the cache is
// bypassed until it is back, so no stale value is served, and changes are
// seen again after the reconnection.
func TestNotifyAcrossProcesses(t *testing.T) {
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
	w := st.Watch(postgres.WatchOptions{Heartbeat: 200 * time.Millisecond, RetryInterval: 300 * time.Millisecond})
	defer w.Close()
	cache := resolver.NewNotifiedCache(resolver.StoreSource{Store: st}, time.Hour, w)
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, w.WaitLive(waitCtx))

	other := func(op, name, value string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), writerEnv+"="+strings.Join([]string{dsn, op, name, value}, "\n"),
			secrets.EnvMasterKey+"="+key, secrets.EnvMasterKeyFile+"=")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Run(), "writer process:\n%s", out.String())
	}
	get := func() (string, bool) {
		t.Helper()
		got, err := cache.Fetch(ctx, "dev", []string{"S"})
		require.NoError(t, err)
		v, ok := got["S"]
		return v, ok
	}
	// seen waits up to a second for the cache to answer want ("" = absent).
	seen := func(want, what string) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for {
			v, ok := get()
			if (want == "" && !ok) || (ok && v == want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the worker's cache still answers the old value after a second", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	other("create", "S", "v1")
	seen("v1", "created by another process")
	// The cache answers from memory now: a change written behind the
	// store's back (no NOTIFY) is not seen, which proves the cache is used.
	// (The create's own notification may still be on its way: let it land,
	// then cache the value again.)
	time.Sleep(300 * time.Millisecond)
	get()
	raw, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer raw.Close(ctx)
	_, err = raw.Exec(ctx, `ALTER TABLE secrets DISABLE TRIGGER secrets_notify`)
	require.NoError(t, err)
	other("update", "S", "hidden")
	_, err = raw.Exec(ctx, `ALTER TABLE secrets ENABLE TRIGGER secrets_notify`)
	require.NoError(t, err)
	v, _ := get()
	assert.True(t, v == "v1", "unannounced change: the cached value is served")

	other("update", "S", "v2")
	seen("v2", "updated by another process")
	other("delete", "S", "")
	seen("", "deleted by another process")
	other("create", "S", "v3")
	seen("v3", "created again")

	// Drop the watcher's connection; until it is back, fetches bypass the cache.
	pid := w.BackendPID()
	require.NotZero(t, pid)
	var terminated bool
	require.NoError(t, raw.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(pid)).Scan(&terminated))
	require.True(t, terminated)
	deadline := time.Now().Add(2 * time.Second)
	for w.Live() && w.BackendPID() == pid && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	_, err = raw.Exec(ctx, `ALTER TABLE secrets DISABLE TRIGGER secrets_notify`)
	require.NoError(t, err)
	other("update", "S", "v4") // unannounced, while the watcher is down or just back
	_, err = raw.Exec(ctx, `ALTER TABLE secrets ENABLE TRIGGER secrets_notify`)
	require.NoError(t, err)
	v, _ = get()
	assert.True(t, v == "v4", "no stale value while the watcher reconnects")

	require.NoError(t, w.WaitLive(waitCtx), "the watcher reconnects")
	assert.NotEqual(t, pid, w.BackendPID(), "on a new connection")
	other("update", "S", "v5")
	seen("v5", "updated after the reconnection")
	other("delete", "S", "")
	seen("", "deleted after the reconnection")
}

// TestWatcherSchemas: a watcher hears its own schema's changes only.
func TestWatcherSchemas(t *testing.T) {
	a, b := newHarness(t), newHarness(t)
	w := a.st.Watch(postgres.WatchOptions{})
	defer w.Close()
	got := make(chan string, 10)
	w.Subscribe(func(dev string) { got <- dev })
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, w.WaitLive(waitCtx))
	require.Equal(t, "", <-got, "connecting announces every developer")
	_, err := b.st.Create(ctx, "dev-b", secrets.CreateParams{Name: "X", Value: "v"})
	require.NoError(t, err)
	_, err = a.st.Create(ctx, "dev-a", secrets.CreateParams{Name: "X", Value: "v"})
	require.NoError(t, err)
	select {
	case dev := <-got:
		assert.Equal(t, "dev-a", dev, "the other schema's change is not announced")
	case <-time.After(2 * time.Second):
		t.Fatal("no notification")
	}
	// A rotation rewrites every row without changing a value: not announced.
	_, err = a.st.RotateDataKey(ctx, secrets.RotateOptions{})
	require.NoError(t, err)
	_, err = a.st.Update(ctx, "dev-a", "X", secrets.UpdateParams{Description: ptr("d")})
	require.NoError(t, err)
	require.NoError(t, a.st.Delete(ctx, "dev-a", "X"))
	select {
	case dev := <-got:
		assert.Equal(t, "dev-a", dev)
	case <-time.After(2 * time.Second):
		t.Fatal("no notification for the delete")
	}
	assert.Empty(t, got, "only the delete was announced")
}

func ptr[T any](v T) *T { return &v }

// freezingProxy forwards TCP connections to the test server until frozen:
// then it stops passing bytes either way without closing anything, as a
// network cut does.
type freezingProxy struct {
	ln     net.Listener
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newFreezingProxy(t *testing.T, target string) *freezingProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &freezingProxy{ln: ln}
	t.Cleanup(func() {
		p.frozen.Store(false)
		_ = ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			_ = c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go p.pipe(c, s)
			go p.pipe(s, c)
		}
	}()
	return p
}

func (p *freezingProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		for p.frozen.Load() {
			time.Sleep(10 * time.Millisecond) // hold the bytes: nothing arrives
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// TestWatcherSilentNetworkCut: when the network stops passing packets (no
// error, no close), the watcher stops being Live within two heartbeats, so
// caches fall back to the store instead of trusting a feed that went quiet.
func TestWatcherSilentNetworkCut(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	proxy := newFreezingProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	st, err := postgres.Open(ctx, u.String(), testKey(t))
	require.NoError(t, err)
	defer st.Close()
	const heartbeat = 200 * time.Millisecond
	w := st.Watch(postgres.WatchOptions{Heartbeat: heartbeat, RetryInterval: 100 * time.Millisecond})
	defer w.Close()
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, w.WaitLive(waitCtx))
	time.Sleep(3 * heartbeat)
	require.True(t, w.Live(), "live while heartbeats get through")

	proxy.frozen.Store(true)
	// Live depends on the time of the last answer, not on the watcher's
	// goroutine running: two heartbeats after the cut it is false.
	time.Sleep(2*heartbeat + 100*time.Millisecond)
	assert.False(t, w.Live(), "not live two heartbeats after a silent cut")

	proxy.frozen.Store(false)
	require.NoError(t, w.WaitLive(waitCtx), "live again once the network is back")
}

// down closes every connection and stops listening: the database is gone.
func (p *freezingProxy) down() {
	_ = p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
}

// TestDatabaseDownFailsClosed: when the database goes away, a worker's
// notified cache stops answering from memory and fetches fail with an
// error that names the database but not its password.
func TestDatabaseDownFailsClosed(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	proxy := newFreezingProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	u.User = url.UserPassword(u.User.Username(), "hunter2-password") // trust auth ignores it
	st, err := postgres.Open(ctx, u.String(), testKey(t))
	require.NoError(t, err)
	defer st.Close()
	w := st.Watch(postgres.WatchOptions{Heartbeat: 200 * time.Millisecond})
	defer w.Close()
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, w.WaitLive(waitCtx))
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "S", Value: "v1"})
	require.NoError(t, err)
	cache := resolver.NewNotifiedCache(resolver.StoreSource{Store: st}, time.Hour, w)
	got, err := cache.Fetch(ctx, "dev", []string{"S"})
	require.NoError(t, err)
	require.True(t, got["S"] == "v1")

	proxy.down()
	deadline := time.Now().Add(2 * time.Second)
	for w.Live() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.False(t, w.Live(), "the watcher notices the database is gone")
	fetchCtx, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	got, err = cache.Fetch(fetchCtx, "dev", []string{"S"})
	require.Error(t, err, "no cached value is served while the database is down")
	assert.Nil(t, got)
	t.Logf("fetch while the database is down: %v", err)
	assert.Contains(t, err.Error(), "postgres store postgres@127.0.0.1:", "the error names the database")
	assert.NotContains(t, err.Error(), "hunter2-password")
	assert.NotContains(t, err.Error(), "v1")
}
