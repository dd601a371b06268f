package resolver_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/resolver"
)

// fakeFeed is a ChangeFeed driven by the test.
type fakeFeed struct {
	live atomic.Bool
	mu   sync.Mutex
	subs []func(string)
}

func (f *fakeFeed) Subscribe(fn func(string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs = append(f.subs, fn)
}

func (f *fakeFeed) Live() bool { return f.live.Load() }

func (f *fakeFeed) announce(dev string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fn := range f.subs {
		fn(dev)
	}
}

// mutableSource is a map source whose values the test changes, counting fetches.
type mutableSource struct {
	mu      sync.Mutex
	vals    map[string]string
	fetches int
}

func (m *mutableSource) set(k, v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v == "" {
		delete(m.vals, k)
	} else {
		m.vals[k] = v
	}
}

func (m *mutableSource) Fetch(_ context.Context, _ string, names []string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fetches++
	out := map[string]string{}
	for _, n := range names {
		if v, ok := m.vals[n]; ok {
			out[n] = v
		}
	}
	return out, nil
}

func TestNotifiedCache(t *testing.T) {
	ctx := context.Background()
	src := &mutableSource{vals: map[string]string{"A": "a1"}}
	feed := &fakeFeed{}
	feed.live.Store(true)
	c := resolver.NewNotifiedCache(src, time.Hour, feed)
	get := func() string {
		t.Helper()
		got, err := c.Fetch(ctx, "dev", []string{"A"})
		require.NoError(t, err)
		return got["A"]
	}
	steps := []struct {
		name        string
		do          func()
		want        string
		wantFetches int
	}{
		{"first fetch", func() {}, "a1", 1},
		{"cached", func() {}, "a1", 1},
		{"change unannounced: the cache answers (TTL is an hour)", func() { src.set("A", "a2") }, "a1", 1},
		{"another developer's change keeps it", func() { feed.announce("other") }, "a1", 1},
		{"announced change drops it", func() { feed.announce("dev") }, "a2", 2},
		{"cached again", func() {}, "a2", 2},
		{"feed down: bypassed, never stale", func() { feed.live.Store(false); src.set("A", "a3") }, "a3", 3},
		{"still down: every fetch goes to the source", func() {}, "a3", 4},
		{"deleted while down", func() { src.set("A", "") }, "", 5},
		{"back (announces everything)", func() { src.set("A", "a4"); feed.announce(""); feed.live.Store(true) }, "a4", 6},
		{"cached after reconnect", func() {}, "a4", 6},
	}
	for _, s := range steps {
		s.do()
		assert.Equal(t, s.want, get(), s.name)
		assert.Equal(t, s.wantFetches, src.fetches, s.name)
	}
	has, err := c.Has(ctx, "dev", []string{"A", "B"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"A": true, "B": false}, has)
	feed.live.Store(false)
	src.set("B", "b1")
	has, err = c.Has(ctx, "dev", []string{"B"})
	require.NoError(t, err)
	assert.True(t, has["B"], "Has bypasses the cache while the feed is down")
	assert.Contains(t, c.String(), "notified cache(")
}
