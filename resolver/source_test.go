package resolver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
)

func newMemStore(t testing.TB, dev string, kv map[string]string) secrets.Store {
	t.Helper()
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	st, err := memory.New(master)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	for k, v := range kv {
		_, err := st.Create(context.Background(), dev, secrets.CreateParams{Name: k, Value: v})
		require.NoError(t, err)
	}
	return st
}

func TestSources(t *testing.T) {
	ctx := context.Background()
	st := newMemStore(t, "dev1", map[string]string{"api_key": "store-value-1", "other": "store-value-2"})
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(jsonPath, []byte(`{"api_key": "file-value-1"}`), 0o600))
	yamlPath := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(yamlPath, []byte("api_key: file-value-2\nother: x\n"), 0o600))
	fileJSON, err := LoadFile(jsonPath)
	require.NoError(t, err)
	fileYAML, err := LoadFile(yamlPath)
	require.NoError(t, err)
	env := EnvSource{LookupEnv: func(k string) (string, bool) {
		m := map[string]string{"api_key": "env-value", "empty": ""}
		v, ok := m[k]
		return v, ok
	}}

	tests := []struct {
		name string
		src  SecretSource
		dev  string
		want map[string]string
		str  string
	}{
		{"store", StoreSource{Store: st}, "dev1", map[string]string{"api_key": "store-value-1", "other": "store-value-2"}, "store"},
		{"store other developer", StoreSource{Store: st}, "dev2", map[string]string{}, "store"},
		{"env", env, "x", map[string]string{"api_key": "env-value"}, "env"},
		{"file json", fileJSON, "x", map[string]string{"api_key": "file-value-1"}, "file:" + jsonPath},
		{"file yaml", fileYAML, "x", map[string]string{"api_key": "file-value-2", "other": "x"}, "file:" + yamlPath},
		{"map", MapSource{"other": "m"}, "x", map[string]string{"other": "m"}, "map(1 names)"},
		{"none", NoneSource{}, "x", map[string]string{}, "none"},
		{"chain", Chain(fileJSON, MapSource{"api_key": "shadowed", "other": "from-map"}), "x",
			map[string]string{"api_key": "file-value-1", "other": "from-map"}, "chain(file:" + jsonPath + ", map(2 names))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.src.Fetch(ctx, tt.dev, []string{"api_key", "other", "missing", "empty"})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.str, sourceName(tt.src))
		})
	}
}

type errStore struct{ secrets.Store }

func (errStore) Get(context.Context, string, string) (*secrets.Secret, error) {
	return nil, fmt.Errorf("decrypting: %w", secrets.ErrEncryption)
}

func TestStoreSourceError(t *testing.T) {
	_, err := StoreSource{Store: errStore{}}.Fetch(context.Background(), "d", []string{"k"})
	require.Error(t, err)
	assert.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), `"k"`)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = StoreSource{Store: errStore{}}.Fetch(ctx, "d", []string{"k"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	tests := []struct{ name, path, want string }{
		{"number", write("n.yaml", "port: 5432\n"), `the value of "port" must be a string, got a number`},
		{"list", write("l.json", `{"k": [1]}`), `the value of "k" must be a string, got a list`},
		{"not a map", write("x.json", `["super-secret-value"]`), "not a JSON or YAML map"},
		{"broken yaml", write("b.yaml", "a: [super-secret-value\n"), "not a JSON or YAML map"},
		{"missing", filepath.Join(dir, "nope.json"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFile(tt.path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "super-secret-value")
		})
	}
}

func TestParseSource(t *testing.T) {
	st := newMemStore(t, "d", nil)
	opened := 0
	open := func() (secrets.Store, error) { opened++; return st, nil }
	for spec, want := range map[string]string{"store": "store", "": "store", "env": "env", "none": "none"} {
		src, err := ParseSource(spec, open)
		require.NoError(t, err)
		assert.Equal(t, want, sourceName(src))
	}
	assert.Equal(t, 2, opened)
	assert.NoError(t, StoreSource{}.Close())
	p := filepath.Join(t.TempDir(), "s.yaml")
	require.NoError(t, os.WriteFile(p, []byte("a: b\n"), 0o600))
	src, err := ParseSource("file:"+p, nil)
	require.NoError(t, err)
	assert.Equal(t, "file:"+p, sourceName(src))

	for _, bad := range []string{"file:", "vault:x", "STORE"} {
		_, err := ParseSource(bad, open)
		assert.ErrorIs(t, err, ErrBadSource, bad)
	}
	_, err = ParseSource("store", nil)
	assert.ErrorIs(t, err, ErrBadSource)
	boom := errors.New("no master key")
	_, err = ParseSource("store", func() (secrets.Store, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
}

type countingSource struct {
	calls atomic.Int64
	names atomic.Int64
	src   SecretSource
}

func (c *countingSource) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	c.calls.Add(1)
	c.names.Add(int64(len(names)))
	return c.src.Fetch(ctx, dev, names)
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	under := &countingSource{src: MapSource{"a": "value-a", "b": "value-b"}}
	c := NewCache(under, time.Minute)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }

	got, err := c.Fetch(ctx, "d", []string{"a", "x"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "value-a"}, got)
	got, err = c.Fetch(ctx, "d", []string{"a", "x", "b"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "value-a", "b": "value-b"}, got)
	assert.EqualValues(t, 2, under.calls.Load())
	assert.EqualValues(t, 3, under.names.Load(), "only b was fetched the second time")

	// other developer: separate entries
	_, err = c.Fetch(ctx, "e", []string{"a"})
	require.NoError(t, err)
	assert.EqualValues(t, 3, under.calls.Load())

	// expiry
	now = now.Add(2 * time.Minute)
	_, err = c.Fetch(ctx, "d", []string{"a"})
	require.NoError(t, err)
	assert.EqualValues(t, 4, under.calls.Load())

	c.Invalidate("d")
	_, err = c.Fetch(ctx, "d", []string{"a"})
	require.NoError(t, err)
	assert.EqualValues(t, 5, under.calls.Load())
	assert.Contains(t, c.String(), "cache(*resolver.countingSource, ttl 1m0s)")

	// errors are not cached
	c2 := NewCache(StoreSource{Store: errStore{}}, time.Minute)
	_, err = c2.Fetch(ctx, "d", []string{"k"})
	assert.ErrorIs(t, err, secrets.ErrEncryption)
}

func TestCacheConcurrent(t *testing.T) {
	under := &countingSource{src: MapSource{"a": "1111", "b": "2222"}}
	c := NewCache(under, time.Hour)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				got, err := c.Fetch(context.Background(), fmt.Sprintf("dev%d", i%3), []string{"a", "b", "z"})
				if err != nil || got["a"] != "1111" || got["b"] != "2222" || len(got) != 2 {
					t.Errorf("bad fetch")
					return
				}
				if i%50 == 0 {
					c.Invalidate("")
				}
			}
		}(g)
	}
	wg.Wait()
}

// FuzzParseFile: any content gives a source or an ErrBadSource error, never
// a panic, and an error never quotes the content.
func FuzzParseFile(f *testing.F) {
	f.Add("s.yaml", []byte("a: b\nc: 'd'\n"))
	f.Add("s.json", []byte(`{"a": "b"}`))
	f.Add("s.yaml", []byte("a: [zzsecretzz\n"))
	f.Add("s.json", []byte(`{"a": 1}`))
	f.Add("s.yaml", []byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		src, err := parseFile(name, data)
		if err != nil {
			if !errors.Is(err, ErrBadSource) {
				t.Fatalf("error without ErrBadSource: %v", err)
			}
			if bytes.Contains(data, []byte("zzsecretzz")) && strings.Contains(err.Error(), "zzsecretzz") {
				t.Fatal("error quotes the file content")
			}
			return
		}
		got, err := src.Fetch(context.Background(), "d", []string{"a"})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := got["a"]; ok && v != src.values["a"] {
			t.Fatal("fetch differs from the file")
		}
	})
}

// noGetStore fails every Get: presence checks must not read values.
type noGetStore struct{ secrets.Store }

func (noGetStore) Get(context.Context, string, string) (*secrets.Secret, error) {
	return nil, errors.New("Get called by a presence check")
}

// pagedStore lists n secrets named s0000… in pages, counting List calls.
type pagedStore struct {
	secrets.Store
	n     int
	lists atomic.Int64
}

func (p *pagedStore) List(_ context.Context, _ string, lp secrets.ListParams) ([]*secrets.Secret, error) {
	p.lists.Add(1)
	out := []*secrets.Secret{}
	for i := lp.Offset; i < p.n && i < lp.Offset+lp.Limit; i++ {
		out = append(out, &secrets.Secret{Name: fmt.Sprintf("s%04d", i), Value: secrets.EncryptedPlaceholder})
	}
	return out, nil
}

func TestPresent(t *testing.T) {
	ctx := context.Background()
	st := newMemStore(t, "dev1", map[string]string{"api_key": "store-value-1", "other": "store-value-2"})
	env := EnvSource{LookupEnv: func(k string) (string, bool) {
		m := map[string]string{"api_key": "env-value", "empty": ""}
		v, ok := m[k]
		return v, ok
	}}
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(yamlPath, []byte("api_key: file-value\n"), 0o600))
	file, err := LoadFile(yamlPath)
	require.NoError(t, err)
	names := []string{"api_key", "other", "missing", "empty"}
	none := map[string]bool{"api_key": false, "other": false, "missing": false, "empty": false}
	both := map[string]bool{"api_key": true, "other": true, "missing": false, "empty": false}
	onlyKey := map[string]bool{"api_key": true, "other": false, "missing": false, "empty": false}

	tests := []struct {
		name   string
		src    SecretSource
		dev    string
		lister bool
		want   map[string]bool
	}{
		{"store lists, never gets", StoreSource{Store: noGetStore{st}}, "dev1", true, both},
		{"store other developer", StoreSource{Store: noGetStore{st}}, "dev2", true, none},
		{"env", env, "x", true, onlyKey},
		{"file", file, "x", true, onlyKey},
		{"map", MapSource{"other": "m"}, "x", true, map[string]bool{"api_key": false, "other": true, "missing": false, "empty": false}},
		{"none", NoneSource{}, "x", true, none},
		{"chain", Chain(file, StoreSource{Store: noGetStore{st}}), "dev1", true, both},
		{"cache over a store", NewCache(StoreSource{Store: noGetStore{st}}, time.Minute), "dev1", true, both},
		{"fallback: Fetch", &countingSource{src: MapSource{"other": "m"}}, "x", false, map[string]bool{"api_key": false, "other": true, "missing": false, "empty": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, isLister := tt.src.(SecretLister)
			assert.Equal(t, tt.lister, isLister)
			got, err := Present(ctx, tt.src, tt.dev, names)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStoreSourceHasPages(t *testing.T) {
	ctx := context.Background()
	ps := &pagedStore{n: secrets.MaxListLimit + 5}
	got, err := StoreSource{Store: ps}.Has(ctx, "d", []string{"s0001", fmt.Sprintf("s%04d", secrets.MaxListLimit+3), "nope"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"s0001": true, fmt.Sprintf("s%04d", secrets.MaxListLimit+3): true, "nope": false}, got)
	assert.EqualValues(t, 2, ps.lists.Load(), "two pages")

	ps.lists.Store(0)
	got, err = StoreSource{Store: ps}.Has(ctx, "d", []string{"s0002"})
	require.NoError(t, err)
	assert.True(t, got["s0002"])
	assert.EqualValues(t, 1, ps.lists.Load(), "stops once every name is found")

	_, err = StoreSource{Store: listErrStore{}}.Has(ctx, "d", []string{"k"})
	assert.ErrorIs(t, err, secrets.ErrPermissionDenied)
}

type listErrStore struct{ secrets.Store }

func (listErrStore) List(context.Context, string, secrets.ListParams) ([]*secrets.Secret, error) {
	return nil, secrets.ErrPermissionDenied
}

func TestCacheHas(t *testing.T) {
	ctx := context.Background()
	under := &countingSource{src: MapSource{"a": "value-a", "b": "value-b"}}
	c := NewCache(under, time.Minute)
	_, err := c.Fetch(ctx, "d", []string{"a", "x"})
	require.NoError(t, err)
	got, err := c.Has(ctx, "d", []string{"a", "x"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"a": true, "x": false}, got)
	assert.EqualValues(t, 1, under.calls.Load(), "answered from the cache")
	got, err = c.Has(ctx, "d", []string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"a": true, "b": true}, got)
	assert.EqualValues(t, 2, under.calls.Load())
	assert.EqualValues(t, 3, under.names.Load(), "only b was asked")
}

// gateSource counts Fetch calls and blocks each until release is closed
// (or fails them with err when set).
type gateSource struct {
	calls   atomic.Int64
	names   atomic.Int64
	release chan struct{}
	err     error
	src     SecretSource
}

func (g *gateSource) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	g.calls.Add(1)
	g.names.Add(int64(len(names)))
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if g.err != nil {
		return nil, g.err
	}
	return g.src.Fetch(ctx, dev, names)
}

// waitFlight waits until n callers wait on the flight of (dev, name).
func waitFlight(t *testing.T, c *Cache, dev, name string, n int32) {
	t.Helper()
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		f := c.inflight[cacheKey{dev, name}]
		return f != nil && f.waiters.Load() >= n
	}, 5*time.Second, time.Millisecond)
}

func TestCacheSingleFlight(t *testing.T) {
	under := &gateSource{release: make(chan struct{}), src: MapSource{"a": "value-a", "b": "value-b"}}
	c := NewCache(under, time.Hour)
	const n = 16
	var wg sync.WaitGroup
	results := make([]map[string]string, n)
	errs := make([]error, n)
	start := func(i int, names ...string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.Fetch(context.Background(), "d", names)
		}()
	}
	start(0, "a", "b", "z")
	require.Eventually(t, func() bool { return under.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	for i := 1; i < n; i++ {
		start(i, "b", "a", "z", "a")
	}
	waitFlight(t, c, "d", "z", n-1)
	close(under.release)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, map[string]string{"a": "value-a", "b": "value-b"}, results[i], "caller %d", i)
	}
	assert.EqualValues(t, 1, under.calls.Load(), "concurrent misses fetched once")
	assert.EqualValues(t, 3, under.names.Load())
	assert.Empty(t, c.inflight)

	// cached now
	got, err := c.Fetch(context.Background(), "d", []string{"a"})
	require.NoError(t, err)
	assert.Equal(t, "value-a", got["a"])
	assert.EqualValues(t, 1, under.calls.Load())
}

func TestCacheSingleFlightLeaderFails(t *testing.T) {
	under := &gateSource{release: make(chan struct{}), src: MapSource{"a": "value-a"}}
	c := NewCache(under, time.Hour)
	leaderCtx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var leaderErr, waiterErr error
	var waiterGot map[string]string
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, leaderErr = c.Fetch(leaderCtx, "d", []string{"a"})
	}()
	require.Eventually(t, func() bool { return under.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	wg.Add(1)
	go func() {
		defer wg.Done()
		waiterGot, waiterErr = c.Fetch(context.Background(), "d", []string{"a"})
	}()
	waitFlight(t, c, "d", "a", 1)
	cancel() // the leader's context ends: its fetch fails, the waiter fetches itself
	require.Eventually(t, func() bool { return under.calls.Load() == 2 }, 5*time.Second, time.Millisecond)
	close(under.release)
	wg.Wait()
	assert.ErrorIs(t, leaderErr, context.Canceled)
	require.NoError(t, waiterErr, "another caller's cancellation is not the waiter's error")
	assert.Equal(t, map[string]string{"a": "value-a"}, waiterGot)

	// a waiter whose own context ends stops waiting
	under2 := &gateSource{release: make(chan struct{}), src: MapSource{"a": "value-a"}}
	c2 := NewCache(under2, time.Hour)
	go func() { _, _ = c2.Fetch(context.Background(), "d", []string{"a"}) }()
	require.Eventually(t, func() bool { return under2.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	wctx, wcancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c2.Fetch(wctx, "d", []string{"a"}); done <- err }()
	waitFlight(t, c2, "d", "a", 1)
	wcancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	close(under2.release)
}

func TestCacheInvalidateDuringFetch(t *testing.T) {
	under := &gateSource{release: make(chan struct{}), src: MapSource{"a": "old-value"}}
	c := NewCache(under, time.Hour)
	done := make(chan map[string]string, 1)
	go func() { got, _ := c.Fetch(context.Background(), "d", []string{"a"}); done <- got }()
	require.Eventually(t, func() bool { return under.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	c.Invalidate("d")
	close(under.release)
	assert.Equal(t, map[string]string{"a": "old-value"}, <-done, "the caller gets its answer")
	_, err := c.Fetch(context.Background(), "d", []string{"a"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, under.calls.Load(), "a fetch started before Invalidate is not cached")
}
