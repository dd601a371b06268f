package resolver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/secrets"
)

// SecretSource fetches secret values. Fetch returns the values of the names
// the developer has; absent names are simply absent from the map (not an
// error), so that a caller can report every missing name at once. An error
// means the source itself failed (store unreachable, master key wrong…).
// Implementations are safe for concurrent use and never put a value in an
// error.
type SecretSource interface {
	Fetch(ctx context.Context, developerID string, names []string) (map[string]string, error)
}

// SecretLister is implemented by sources that can tell which secrets a
// developer has without reading their values (validate --secrets). Has
// returns an entry for every name in names, true when the developer has
// it (by the same rule as Fetch: an absent name is false, not an error).
// Every source of this package implements it; use Present to ask any
// source.
type SecretLister interface {
	Has(ctx context.Context, developerID string, names []string) (map[string]bool, error)
}

// Present reports, for every name in names, whether src has it for the
// developer. It uses src's Has when src is a SecretLister, so no value is
// read (a store lists names without decrypting); otherwise it fetches and
// drops the values at once.
func Present(ctx context.Context, src SecretSource, developerID string, names []string) (map[string]bool, error) {
	if l, ok := src.(SecretLister); ok {
		got, err := l.Has(ctx, developerID, names)
		if err != nil {
			return nil, err
		}
		out := make(map[string]bool, len(names))
		for _, n := range names {
			out[n] = got[n]
		}
		return out, nil
	}
	got, err := src.Fetch(ctx, developerID, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(names))
	for _, n := range names {
		_, out[n] = got[n]
	}
	clear(got)
	return out, nil
}

// Every source of the package answers presence without reading values.
var (
	_ SecretLister = StoreSource{}
	_ SecretLister = EnvSource{}
	_ SecretLister = MapSource{}
	_ SecretLister = (*FileSource)(nil)
	_ SecretLister = chain{}
	_ SecretLister = NoneSource{}
	_ SecretLister = (*Cache)(nil)
)

// ErrBadSource is wrapped by ParseSource errors for a spec it cannot use.
var ErrBadSource = errors.New("bad secret source")

// StoreSource reads secrets from a secrets.Store (one Get per name;
// secrets.ErrNotFound means absent).
type StoreSource struct {
	Store secrets.Store
}

// Fetch implements SecretSource.
func (s StoreSource) Fetch(ctx context.Context, developerID string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("fetching secrets: %w", err)
		}
		sec, err := s.Store.Get(ctx, developerID, n)
		if errors.Is(err, secrets.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("fetching secret %q: %w", n, err)
		}
		out[n] = sec.Value
	}
	return out, nil
}

// Has implements SecretLister with the store's List (names only: listing
// never decrypts), page by page until every name is found or the list
// ends. A secret created or deleted while the pages are read may be
// reported either way.
func (s StoreSource) Has(ctx context.Context, developerID string, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	want := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = false
		want[n] = true
	}
	for off := 0; len(want) > 0; {
		page, err := s.Store.List(ctx, developerID, secrets.ListParams{Limit: secrets.MaxListLimit, Offset: off})
		if err != nil {
			return nil, fmt.Errorf("listing secrets: %w", err)
		}
		for _, sec := range page {
			if want[sec.Name] {
				out[sec.Name] = true
				delete(want, sec.Name)
			}
		}
		if len(page) < secrets.MaxListLimit {
			break
		}
		off += len(page)
	}
	return out, nil
}

// String names the source.
func (StoreSource) String() string { return "store" }

// Close closes the store (ParseSource opened it for the caller).
func (s StoreSource) Close() error {
	if s.Store == nil {
		return nil
	}
	return s.Store.Close()
}

// EnvSource reads secrets from the process environment (the developer id is
// ignored). An empty variable counts as absent.
type EnvSource struct {
	// LookupEnv reads a variable; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// Fetch implements SecretSource.
func (e EnvSource) Fetch(ctx context.Context, _ string, names []string) (map[string]string, error) {
	look := e.LookupEnv
	if look == nil {
		look = os.LookupEnv
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		if v, ok := look(n); ok && v != "" {
			out[n] = v
		}
	}
	return out, ctx.Err()
}

// Has implements SecretLister (a set, non-empty variable is present).
func (e EnvSource) Has(ctx context.Context, _ string, names []string) (map[string]bool, error) {
	look := e.LookupEnv
	if look == nil {
		look = os.LookupEnv
	}
	out := make(map[string]bool, len(names))
	for _, n := range names {
		v, ok := look(n)
		out[n] = ok && v != ""
	}
	return out, ctx.Err()
}

// String names the source.
func (EnvSource) String() string { return "env" }

// MapSource is a fixed name → value map (tests, embedding). The developer
// id is ignored.
type MapSource map[string]string

// Fetch implements SecretSource.
func (m MapSource) Fetch(ctx context.Context, _ string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, n := range names {
		if v, ok := m[n]; ok {
			out[n] = v
		}
	}
	return out, ctx.Err()
}

// Has implements SecretLister.
func (m MapSource) Has(ctx context.Context, _ string, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		_, out[n] = m[n]
	}
	return out, ctx.Err()
}

// String names the source without its values.
func (m MapSource) String() string { return fmt.Sprintf("map(%d names)", len(m)) }

// FileSource is a JSON or YAML file holding a map of secret name to value,
// read once by LoadFile. The developer id is ignored.
type FileSource struct {
	Path   string
	values MapSource
}

// LoadFile reads a JSON or YAML map of name → string value. Values must be
// strings (numbers and booleans are refused rather than guessed at); errors
// name the file and the key, never a value.
func LoadFile(path string) (*FileSource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	return parseFile(path, data)
}

// maxFileSize bounds a secrets file (a map of at most a few hundred values
// of at most 64 KiB each).
const maxFileSize = 16 << 20

// parseFile decodes a secrets file's content; path names it in errors and
// picks the decoder (.json: JSON, anything else: YAML, which JSON is too).
func parseFile(path string, data []byte) (*FileSource, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%w: secrets file %s: larger than %d bytes", ErrBadSource, path, maxFileSize)
	}
	var raw map[string]any
	var err error
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".json" {
		err = json.Unmarshal(data, &raw)
	} else {
		err = yaml.Unmarshal(data, &raw)
	}
	if err != nil {
		// The decoders' messages may quote file content; keep only the kind.
		return nil, fmt.Errorf("%w: secrets file %s: not a JSON or YAML map of name to value", ErrBadSource, path)
	}
	fs := &FileSource{Path: path, values: MapSource{}}
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%w: secrets file %s: the value of %q must be a string, got %s", ErrBadSource, path, k, typeName(v))
		}
		fs.values[k] = s
	}
	return fs, nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, int, int64, uint64:
		return "a number"
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("%T", v)
}

// Fetch implements SecretSource.
func (f *FileSource) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	return f.values.Fetch(ctx, dev, names)
}

// Has implements SecretLister.
func (f *FileSource) Has(ctx context.Context, dev string, names []string) (map[string]bool, error) {
	return f.values.Has(ctx, dev, names)
}

// String names the source.
func (f *FileSource) String() string { return "file:" + f.Path }

// Chain asks each source in turn for the names the earlier ones did not
// have; the first source that has a name wins.
func Chain(sources ...SecretSource) SecretSource { return chain(sources) }

type chain []SecretSource

func (c chain) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	rest := names
	for _, s := range c {
		if len(rest) == 0 {
			break
		}
		got, err := s.Fetch(ctx, dev, rest)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, n := range rest {
			if v, ok := got[n]; ok {
				out[n] = v
			} else {
				next = append(next, n)
			}
		}
		rest = next
	}
	return out, nil
}

// Has implements SecretLister: each source in turn (with Present) for the
// names the earlier ones did not have.
func (c chain) Has(ctx context.Context, dev string, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = false
	}
	rest := names
	for _, s := range c {
		if len(rest) == 0 {
			break
		}
		got, err := Present(ctx, s, dev, rest)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, n := range rest {
			if got[n] {
				out[n] = true
			} else {
				next = append(next, n)
			}
		}
		rest = next
	}
	return out, nil
}

func (c chain) String() string {
	parts := make([]string, len(c))
	for i, s := range c {
		parts[i] = sourceName(s)
	}
	return "chain(" + strings.Join(parts, ", ") + ")"
}

// NoneSource has no secrets: every name is missing (dry-run --secrets none).
type NoneSource struct{}

// Fetch implements SecretSource.
func (NoneSource) Fetch(ctx context.Context, _ string, _ []string) (map[string]string, error) {
	return map[string]string{}, ctx.Err()
}

// Has implements SecretLister: nothing is present.
func (NoneSource) Has(ctx context.Context, _ string, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = false
	}
	return out, ctx.Err()
}

// String names the source.
func (NoneSource) String() string { return "none" }

func sourceName(s SecretSource) string {
	if st, ok := s.(fmt.Stringer); ok {
		return st.String()
	}
	return fmt.Sprintf("%T", s)
}

// Cache wraps a source for a worker: found values and absences are kept for
// ttl per developer and name, so that repeated executions do not hit the
// store. It is safe for concurrent use. A secret created or changed in the
// store is seen after at most ttl.
//
// Concurrent misses for the same developer and name are fetched once
// (single flight): the first caller fetches, the others wait for its answer
// (or their own context). When the first caller's fetch fails, each waiter
// fetches the names it still lacks itself, so one caller's cancelled
// context or error never becomes another's. Errors are not cached.
type Cache struct {
	src SecretSource
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex
	entries  map[cacheKey]cacheEntry
	inflight map[cacheKey]*flight
	gen      uint64 // bumped by Invalidate: fetches started before do not store
}

type cacheKey struct{ dev, name string }

type cacheEntry struct {
	value   string
	found   bool
	expires time.Time
}

// flight is one fetch in progress for a name; done is closed when value,
// found and ok are set (ok false: the fetch failed).
type flight struct {
	done    chan struct{}
	value   string
	found   bool
	ok      bool
	waiters atomic.Int32 // callers waiting (tests)
}

// NewCache returns a cache in front of src keeping entries for ttl.
func NewCache(src SecretSource, ttl time.Duration) *Cache {
	return &Cache{src: src, ttl: ttl, now: time.Now, entries: map[cacheKey]cacheEntry{}, inflight: map[cacheKey]*flight{}}
}

// Fetch implements SecretSource: cached names are answered from memory,
// names another caller is fetching are waited for, and the others are
// fetched from the wrapped source in one call.
func (c *Cache) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	var mine []string
	var mineFl []*flight
	var waitNames []string
	var waitFl []*flight
	now := c.now()
	c.mu.Lock()
	for _, n := range names {
		k := cacheKey{dev, n}
		if e, ok := c.entries[k]; ok && now.Before(e.expires) {
			if e.found {
				out[n] = e.value
			}
			continue
		}
		if f, ok := c.inflight[k]; ok {
			if !slices.Contains(waitNames, n) && !slices.Contains(mine, n) {
				f.waiters.Add(1)
				waitNames = append(waitNames, n)
				waitFl = append(waitFl, f)
			}
			continue
		}
		f := &flight{done: make(chan struct{})}
		c.inflight[k] = f
		mine = append(mine, n)
		mineFl = append(mineFl, f)
	}
	gen := c.gen
	c.mu.Unlock()

	if len(mine) > 0 {
		if err := c.fetchOwn(ctx, dev, mine, mineFl, gen, out); err != nil {
			return nil, err
		}
	}
	var retry []string
	for i, f := range waitFl {
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("fetching secrets: %w", ctx.Err())
		}
		switch {
		case !f.ok:
			retry = append(retry, waitNames[i])
		case f.found:
			out[waitNames[i]] = f.value
		}
	}
	if len(retry) > 0 {
		got, err := c.src.Fetch(ctx, dev, retry)
		if err != nil {
			return nil, err
		}
		c.store(dev, retry, got, gen)
		for _, n := range retry {
			if v, ok := got[n]; ok {
				out[n] = v
			}
		}
	}
	return out, nil
}

// fetchOwn fetches the names this caller registered flights for, caches
// the answers (unless Invalidate ran meanwhile), and completes the flights,
// also on error or panic.
func (c *Cache) fetchOwn(ctx context.Context, dev string, names []string, fl []*flight, gen uint64, out map[string]string) (err error) {
	var got map[string]string
	defer func() {
		c.mu.Lock()
		for i, n := range names {
			k := cacheKey{dev, n}
			if c.inflight[k] == fl[i] {
				delete(c.inflight, k)
			}
			if got != nil {
				fl[i].value, fl[i].found = got[n]
				fl[i].ok = true
			}
			close(fl[i].done)
		}
		c.mu.Unlock()
	}()
	got, err = c.src.Fetch(ctx, dev, names)
	if err != nil {
		got = nil
		return err
	}
	if got == nil {
		got = map[string]string{}
	}
	c.store(dev, names, got, gen)
	for _, n := range names {
		if v, ok := got[n]; ok {
			out[n] = v
		}
	}
	return nil
}

// store caches the answers for names, unless Invalidate ran since gen.
func (c *Cache) store(dev string, names []string, got map[string]string, gen uint64) {
	exp := c.now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	for _, n := range names {
		v, ok := got[n]
		c.entries[cacheKey{dev, n}] = cacheEntry{value: v, found: ok, expires: exp}
	}
}

// Invalidate drops the cached entries of a developer (all developers when
// dev is ""). Fetches in flight still answer their callers but are not
// cached.
func (c *Cache) Invalidate(dev string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k := range c.entries {
		if dev == "" || k.dev == dev {
			delete(c.entries, k)
		}
	}
}

// String names the source.
func (c *Cache) String() string { return fmt.Sprintf("cache(%s, ttl %s)", sourceName(c.src), c.ttl) }

// Has implements SecretLister: fresh cached entries answer (a cached value
// or absence), the other names are asked of the wrapped source with
// Present (no value read when it is a SecretLister). Presence answers are
// not cached: they carry no value for a later Fetch.
func (c *Cache) Has(ctx context.Context, dev string, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	var miss []string
	now := c.now()
	c.mu.Lock()
	for _, n := range names {
		if e, ok := c.entries[cacheKey{dev, n}]; ok && now.Before(e.expires) {
			out[n] = e.found
		} else {
			miss = append(miss, n)
		}
	}
	c.mu.Unlock()
	if len(miss) == 0 {
		return out, nil
	}
	got, err := Present(ctx, c.src, dev, miss)
	if err != nil {
		return nil, err
	}
	for _, n := range miss {
		out[n] = got[n]
	}
	return out, nil
}

// ParseSource turns a --secrets spec into a source: "store" (the configured
// store, opened by calling store), "env", "file:PATH", "http" (a julep
// serve at $JULEP_BASE_URL with $JULEP_API_KEY, see HTTPSource) or "none".
func ParseSource(spec string, store func() (secrets.Store, error)) (SecretSource, error) {
	switch {
	case spec == "store" || spec == "":
		if store == nil {
			return nil, fmt.Errorf("%w: no store configured", ErrBadSource)
		}
		st, err := store()
		if err != nil {
			return nil, fmt.Errorf("opening the secrets store: %w", err)
		}
		return StoreSource{Store: st}, nil
	case spec == "env":
		return EnvSource{}, nil
	case spec == "none":
		return NoneSource{}, nil
	case spec == "http":
		return HTTPSourceFromEnv(os.Getenv)
	case strings.HasPrefix(spec, "file:"):
		p := strings.TrimPrefix(spec, "file:")
		if p == "" {
			return nil, fmt.Errorf("%w: file: needs a path (file:secrets.yaml)", ErrBadSource)
		}
		return LoadFile(p)
	}
	valid := []string{"store", "env", "file:PATH", "http", "none"}
	return nil, fmt.Errorf("%w: %q (use one of %s)", ErrBadSource, spec, strings.Join(valid, ", "))
}

// sortedKeys returns the keys of m sorted.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
