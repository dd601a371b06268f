package resolver_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/secrets/remote"
	"github.com/julepkit/julep/server"
)

// TestHTTPSourceBatchAndCache: behind a Cache, the names a step needs are
// fetched in one request, and a second fetch is answered from memory;
// presence checks read no values.
func TestHTTPSourceBatchAndCache(t *testing.T) {
	ctx := context.Background()
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	st, err := memory.New(master)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, n := range []string{"a_key", "b_key", "c_key"} {
		if _, err := st.Create(ctx, "dev", secrets.CreateParams{Name: n, Value: "value-of-" + n}); err != nil {
			t.Fatal(err)
		}
	}
	keys := apikeys.NewMemory()
	key, _, err := apikeys.Create(ctx, keys, "dev", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: st, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	var resolves, lists atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/secrets/_resolve":
			resolves.Add(1)
		case "/secrets":
			lists.Add(1)
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()

	src, err := resolver.NewHTTPSource(ts.URL, key)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cache := resolver.NewCache(src, time.Minute)
	names := []string{"a_key", "b_key", "c_key", "missing_key"}
	for range 2 {
		got, err := cache.Fetch(ctx, "ignored", names)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got["b_key"] != "value-of-b_key" {
			t.Fatalf("fetched %d values, want 3", len(got))
		}
		if _, ok := got["missing_key"]; ok {
			t.Fatal("a missing name is absent, not an error or empty value")
		}
	}
	if n := resolves.Load(); n != 1 {
		t.Errorf("%d resolve requests, want 1 (one batch, then the cache)", n)
	}
	has, err := resolver.Present(ctx, src, "ignored", []string{"a_key", "zzz"})
	if err != nil || !has["a_key"] || has["zzz"] {
		t.Fatalf("Present = %v, %v", has, err)
	}
	if resolves.Load() != 1 || lists.Load() != 1 {
		t.Errorf("presence read values (%d resolves) or did not list (%d lists)", resolves.Load(), lists.Load())
	}

	bad, err := resolver.NewHTTPSource(ts.URL, "jk_000000000000_bad")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Fetch(ctx, "", names); !errors.Is(err, remote.ErrUnauthorized) {
		t.Fatalf("wrong key: %v, want ErrUnauthorized", err)
	}
}

// ExampleNewHTTPSource shows a worker resolving from a central julep serve.
func ExampleNewHTTPSource() {
	src, err := resolver.NewHTTPSource("https://secrets.internal:8443", "jk_…")
	if err != nil {
		return
	}
	defer src.Close()
	cached := resolver.NewCache(src, time.Minute) // one request per step's missing names
	_ = resolver.New(cached)
}
