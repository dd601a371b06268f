package engine

import (
	"container/list"
	"sync"

	"github.com/julepkit/julep/engine/internal/py"
)

// Limits bounds what one expression may cost, at compile time (source size,
// tree size and depth) and at run time (Runtime: the budgets of one
// evaluation). A zero field means "the default". Limits is the one
// vocabulary of expression limits: package steps and package resolver take
// an *Engine built with WithLimits and have no limits of their own for
// expressions.
type Limits struct {
	// MaxSourceLen is the maximum length of an expression or field, in
	// bytes. Default 100,000.
	MaxSourceLen int
	// MaxNodes is the maximum number of syntax-tree nodes of one expression.
	// Default 10,000.
	MaxNodes int
	// MaxDepth is the maximum nesting depth of the syntax tree (brackets,
	// operators, f-strings in f-strings...). Default 100.
	MaxDepth int
	// Runtime holds the budgets of one evaluation.
	Runtime RuntimeLimits
}

// RuntimeLimits are the budgets of one evaluation. Exceeding one is an
// *Error of kind KindLimit. A zero field means "the default".
type RuntimeLimits struct {
	// MaxOps is the number of work units one evaluation may spend (about
	// one unit per item visited, per 16 bytes built, per loop iteration).
	// Default DefaultMaxOps.
	MaxOps int64
	// MaxBytes bounds the bytes of strings and collections built by one
	// evaluation (8 bytes per collection slot, 1 per string byte).
	// Default DefaultMaxBytes (64 MiB).
	MaxBytes int64
	// MaxStringLen bounds the length of a single string built.
	// Default DefaultMaxStringLen (2,048,000, Julep's limit).
	MaxStringLen int64
	// MaxCollectionLen bounds the length of a single list, tuple, dict, set
	// or range built. Default DefaultMaxCollectionLen (1,000,000, Julep's
	// range limit).
	MaxCollectionLen int64
	// MaxIntBits bounds the size of an int result (e.g. of **, * or <<).
	// Default DefaultMaxIntBits (32,768 bits, about 9,860 decimal digits).
	MaxIntBits int64
	// MaxValueDepth bounds the nesting depth of values walked by repr, ==,
	// <, hashing and JSON conversion. Default DefaultMaxValueDepth (200).
	MaxValueDepth int
}

// Default limits (see Limits and RuntimeLimits).
const (
	DefaultMaxSourceLen = 100_000
	DefaultMaxNodes     = 10_000
	DefaultMaxDepth     = 100
	// DefaultMaxOps is the default work budget of one evaluation
	// (Limits.Runtime.MaxOps): about one unit per loop iteration or item
	// visited and per 16 bytes built, so roughly 0.1 to 0.5 s of work at
	// most.
	DefaultMaxOps           = 2_000_000
	DefaultMaxBytes         = 64 << 20
	DefaultMaxStringLen     = 2_048_000
	DefaultMaxCollectionLen = 1_000_000
	DefaultMaxIntBits       = 32_768
	DefaultMaxValueDepth    = 200
	// DefaultCacheSize is the number of compiled programs an Engine keeps.
	DefaultCacheSize = 4096
)

// DefaultLimits returns the documented default limits.
func DefaultLimits() Limits {
	return Limits{
		MaxSourceLen: DefaultMaxSourceLen,
		MaxNodes:     DefaultMaxNodes,
		MaxDepth:     DefaultMaxDepth,
		Runtime: RuntimeLimits{
			MaxOps:           DefaultMaxOps,
			MaxBytes:         DefaultMaxBytes,
			MaxStringLen:     DefaultMaxStringLen,
			MaxCollectionLen: DefaultMaxCollectionLen,
			MaxIntBits:       DefaultMaxIntBits,
			MaxValueDepth:    DefaultMaxValueDepth,
		},
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxSourceLen <= 0 {
		l.MaxSourceLen = d.MaxSourceLen
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	r, dr := &l.Runtime, d.Runtime
	if r.MaxOps <= 0 {
		r.MaxOps = dr.MaxOps
	}
	if r.MaxBytes <= 0 {
		r.MaxBytes = dr.MaxBytes
	}
	if r.MaxStringLen <= 0 {
		r.MaxStringLen = dr.MaxStringLen
	}
	if r.MaxCollectionLen <= 0 {
		r.MaxCollectionLen = dr.MaxCollectionLen
	}
	if r.MaxIntBits <= 0 {
		r.MaxIntBits = dr.MaxIntBits
	}
	if r.MaxValueDepth <= 0 {
		r.MaxValueDepth = dr.MaxValueDepth
	}
	return l
}

// runtime returns the runtime's budgets.
func (r RuntimeLimits) runtime() py.Limits {
	return py.Limits{
		MaxOps:           r.MaxOps,
		MaxBytes:         r.MaxBytes,
		MaxStringLen:     r.MaxStringLen,
		MaxCollectionLen: r.MaxCollectionLen,
		MaxIntBits:       r.MaxIntBits,
		MaxDepth:         r.MaxValueDepth,
	}
}

// Option configures an Engine.
type Option func(*Engine)

// WithLimits sets the engine's limits (zero fields take their defaults).
func WithLimits(l Limits) Option {
	return func(e *Engine) { e.limits = l.withDefaults() }
}

// WithCacheSize sets how many compiled programs the engine keeps (least
// recently used ones are dropped). 0 disables the cache.
func WithCacheSize(n int) Option {
	return func(e *Engine) { e.cacheSize = max(n, 0) }
}

// Engine compiles expressions under a set of Limits and caches the compiled
// programs by source text. It is safe for concurrent use.
type Engine struct {
	limits    Limits
	cacheSize int
	noFusion  bool // compile without the fused fast path (withoutFusion)

	mu    sync.Mutex
	lru   *list.List // of *cacheEntry, most recent first
	cache map[cacheKey]*list.Element
}

type cacheKind uint8

const (
	cacheExpr cacheKind = iota
	cacheFString
	cacheField
)

type cacheKey struct {
	kind cacheKind
	src  string
}

type cacheEntry struct {
	key cacheKey
	val any // *Program or *Field
}

// New returns an Engine with the given options (default limits and a cache of
// DefaultCacheSize programs).
func New(opts ...Option) *Engine {
	e := &Engine{
		limits:    DefaultLimits(),
		cacheSize: DefaultCacheSize,
		lru:       list.New(),
		cache:     map[cacheKey]*list.Element{},
	}
	for _, o := range opts {
		o(e)
	}
	return e
}

var (
	defaultOnce   sync.Once
	defaultEngine *Engine
)

// Default returns the shared engine with default limits used by the
// package-level functions.
func Default() *Engine {
	defaultOnce.Do(func() { defaultEngine = New() })
	return defaultEngine
}

// Limits returns the engine's limits, defaults filled in.
func (e *Engine) Limits() Limits { return e.limits }

// Compile compiles a Python expression (the text after "$ " of a task
// field) into a Program. Errors are *Error values: SyntaxError and
// LimitError from the parser, SecurityError for refused names and
// attributes (anything starting with '_' except the name _, and functions
// such as open or eval), NameError for an unknown function called by name.
// Results are cached by source text.
func (e *Engine) Compile(src string) (*Program, error) {
	v, err := e.cached(cacheKey{cacheExpr, src}, func() (any, error) {
		return e.compileExpr(src)
	})
	if err != nil {
		return nil, err
	}
	return v.(*Program), nil
}

// Compile compiles src with the Default engine.
func Compile(src string) (*Program, error) { return Default().Compile(src) }

// CompileFString compiles body as the body of a Python f-string (without
// the f prefix and quotes): "Hello {name}!" evaluates to a str. This is how
// plain strings of task fields are evaluated.
func (e *Engine) CompileFString(body string) (*Program, error) {
	v, err := e.cached(cacheKey{cacheFString, body}, func() (any, error) {
		return e.compileFString(body)
	})
	if err != nil {
		return nil, err
	}
	return v.(*Program), nil
}

// cached returns the cached value for k or builds, caches and returns it.
// Errors are not cached.
func (e *Engine) cached(k cacheKey, build func() (any, error)) (any, error) {
	if e.cacheSize > 0 {
		e.mu.Lock()
		if el, ok := e.cache[k]; ok {
			e.lru.MoveToFront(el)
			v := el.Value.(*cacheEntry).val
			e.mu.Unlock()
			return v, nil
		}
		e.mu.Unlock()
	}
	v, err := build()
	if err != nil || e.cacheSize == 0 {
		return v, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if el, ok := e.cache[k]; ok { // compiled concurrently by another goroutine
		e.lru.MoveToFront(el)
		return el.Value.(*cacheEntry).val, nil
	}
	e.cache[k] = e.lru.PushFront(&cacheEntry{key: k, val: v})
	for e.lru.Len() > e.cacheSize {
		last := e.lru.Back()
		e.lru.Remove(last)
		delete(e.cache, last.Value.(*cacheEntry).key)
	}
	return v, nil
}

// CacheLen returns the number of compiled programs and fields in the cache.
func (e *Engine) CacheLen() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lru.Len()
}
