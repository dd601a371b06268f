package py

import (
	"context"
	"errors"
	"strconv"
	"unicode/utf8"
)

// Limits bounds the work and memory of one evaluation. The zero value of a
// field means "use the default" (see DefaultLimits).
type Limits struct {
	// MaxOps is the number of work units one evaluation may spend (about one
	// unit per item visited, per 16 bytes built, per loop iteration).
	// Default 10,000,000.
	MaxOps int64
	// MaxBytes bounds the bytes of strings and collections built by one
	// evaluation (8 bytes per collection slot, 1 per string byte).
	// Default 64 MiB.
	MaxBytes int64
	// MaxStringLen bounds the length of a single string built (Julep:
	// 2,048,000 characters). Default 2,048,000.
	MaxStringLen int64
	// MaxCollectionLen bounds the length of a single list, tuple, dict, set
	// or range built. Default 1,000,000 (Julep's range limit).
	MaxCollectionLen int64
	// MaxIntBits bounds the size of an int result (e.g. of **, * or <<).
	// Default 32,768 bits (about 9,860 decimal digits).
	MaxIntBits int64
	// MaxDepth bounds the nesting depth walked by repr, ==, <, hashing and
	// JSON conversion. Default 200.
	MaxDepth int
}

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{
		MaxOps:           10_000_000,
		MaxBytes:         64 << 20,
		MaxStringLen:     2_048_000,
		MaxCollectionLen: 1_000_000,
		MaxIntBits:       32_768,
		MaxDepth:         200,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxOps <= 0 {
		l.MaxOps = d.MaxOps
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxStringLen <= 0 {
		l.MaxStringLen = d.MaxStringLen
	}
	if l.MaxCollectionLen <= 0 {
		l.MaxCollectionLen = d.MaxCollectionLen
	}
	if l.MaxIntBits <= 0 {
		l.MaxIntBits = d.MaxIntBits
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	return l
}

var defaultLimits = DefaultLimits()

// ctxCheckEvery is the number of work units between two checks of the
// context's cancellation.
const ctxCheckEvery = 1 << 14

// State is the per-evaluation budget: work units and bytes spent so far,
// the limits and the context. It is not safe for concurrent use; pool one per
// evaluating goroutine and Reset it before each evaluation.
type State struct {
	ctx       context.Context
	lim       Limits
	ops       int64
	bytes     int64
	nextCheck int64
	// Depth is the current nesting depth of recursive helpers (repr, ==, …);
	// library code walking nested values may use Enter/Leave.
	depth int
	lib   *Library
}

// NewState returns a State for one evaluation under ctx (nil means
// context.Background()) and l (zero fields take their defaults).
func NewState(ctx context.Context, l Limits) *State {
	st := &State{}
	st.Reset(ctx, l)
	return st
}

// Reset prepares st for a new evaluation; it does not allocate.
func (st *State) Reset(ctx context.Context, l Limits) {
	if ctx == nil {
		ctx = context.Background()
	}
	st.ctx = ctx
	// The same (filled) limits as the last evaluation, the common case, need
	// no defaults.
	if l != st.lim || l.MaxOps <= 0 {
		st.lim = l.withDefaults()
	}
	st.ops = 0
	st.bytes = 0
	st.depth = 0
	st.nextCheck = min(ctxCheckEvery, st.lim.MaxOps+1)
}

// SetLibrary makes lib the library of st's evaluations (GetAttr and
// CallMethod find methods in it). Reset keeps it.
func (st *State) SetLibrary(lib *Library) { st.lib = lib }

// Library returns the library set by SetLibrary (nil for a nil State or
// none set: no methods).
func (st *State) Library() *Library {
	if st == nil {
		return nil
	}
	return st.lib
}

// Limits returns the limits in force (DefaultLimits for a nil State).
func (st *State) Limits() Limits {
	if st == nil {
		return defaultLimits
	}
	return st.lim
}

// Context returns the evaluation's context (context.Background() for a nil State).
func (st *State) Context() context.Context {
	if st == nil || st.ctx == nil {
		return context.Background()
	}
	return st.ctx
}

// Ops returns the work units spent so far.
func (st *State) Ops() int64 {
	if st == nil {
		return 0
	}
	return st.ops
}

// Bytes returns the bytes charged so far.
func (st *State) Bytes() int64 {
	if st == nil {
		return 0
	}
	return st.bytes
}

// ErrCanceled is wrapped by the LimitError returned when the evaluation's
// context is done (errors.Is(err, ErrCanceled)); the context's own error is
// wrapped too.
var ErrCanceled = errors.New("evaluation canceled")

// ctxError is the error returned when the context is done.
type ctxError struct {
	err   *Error
	cause error
}

func (e *ctxError) Error() string   { return e.err.Error() }
func (e *ctxError) Unwrap() []error { return []error{e.err, e.cause, ErrCanceled} }

// Charge spends units of work. It returns a LimitError when the evaluation
// exceeds MaxOps, and (checked every few thousand units) when its context is
// done.
func (st *State) Charge(units int64) error {
	if st == nil {
		return nil
	}
	st.ops += units
	if st.ops >= st.nextCheck {
		return st.slowCheck()
	}
	return nil
}

func (st *State) slowCheck() error {
	st.nextCheck = min(st.ops+ctxCheckEvery, st.lim.MaxOps+1)
	if st.ops > st.lim.MaxOps {
		return newErr(LimitError, "operation limit exceeded ("+strconv.FormatInt(st.lim.MaxOps, 10)+" work units)")
	}
	if err := st.ctx.Err(); err != nil {
		return &ctxError{err: newErr(LimitError, "evaluation stopped: "+err.Error()), cause: err}
	}
	return nil
}

// ChargeBytes accounts for n bytes about to be allocated (and n/16 work
// units). It returns a LimitError when the evaluation's total exceeds
// MaxBytes. Call it before allocating.
func (st *State) ChargeBytes(n int64) error {
	if st == nil {
		if n > defaultLimits.MaxBytes {
			return errBytes(defaultLimits.MaxBytes)
		}
		return nil
	}
	if n < 0 || n > st.lim.MaxBytes || st.bytes+n > st.lim.MaxBytes {
		return errBytes(st.lim.MaxBytes)
	}
	st.bytes += n
	return st.Charge(n>>4 + 1)
}

func errBytes(max int64) *Error {
	return newErr(LimitError, "memory limit exceeded ("+strconv.FormatInt(max, 10)+" bytes)")
}

// CheckStringLen returns a LimitError when a string of n characters (or
// bytes) would exceed MaxStringLen, and charges its bytes otherwise.
func (st *State) CheckStringLen(n int64) error {
	if n > st.Limits().MaxStringLen || n < 0 {
		return newErr(LimitError, "string too long ("+strconv.FormatInt(n, 10)+" characters, limit "+strconv.FormatInt(st.Limits().MaxStringLen, 10)+")")
	}
	return st.ChargeBytes(n)
}

// CheckBuilt returns a LimitError when the string s, built by a producer
// (json.dumps, repr, re.escape, yaml.dump...), is longer than MaxStringLen
// characters; it counts characters only when the byte length passes the
// limit.
func (st *State) CheckBuilt(s []byte) error {
	if int64(len(s)) <= st.Limits().MaxStringLen {
		return nil
	}
	return st.CheckStringLen(int64(utf8.RuneCount(s)))
}

// CheckCollectionLen returns a LimitError when a collection of n items would
// exceed MaxCollectionLen, and charges 16 bytes per item otherwise.
func (st *State) CheckCollectionLen(n int64) error {
	if n > st.Limits().MaxCollectionLen || n < 0 {
		return newErr(LimitError, "collection too large ("+strconv.FormatInt(n, 10)+" items, limit "+strconv.FormatInt(st.Limits().MaxCollectionLen, 10)+")")
	}
	return st.ChargeBytes(n * 16)
}

// Enter increments the nesting depth for recursive walks and returns a
// LimitError past MaxDepth; pair every successful Enter with Leave.
func (st *State) Enter() error {
	if st == nil {
		return nil
	}
	st.depth++
	if st.depth > st.lim.MaxDepth {
		st.depth--
		return newErr(LimitError, "maximum nesting depth exceeded ("+strconv.Itoa(st.lim.MaxDepth)+")")
	}
	return nil
}

// Leave undoes Enter.
func (st *State) Leave() {
	if st != nil {
		st.depth--
	}
}
