package engine

import (
	"context"
	"math"
	"slices"
	"sync"

	"github.com/expr-lang/expr/vm"
	"github.com/julepkit/julep/engine/internal/py"
)

// Program is a compiled expression (or f-string body). It is immutable and
// safe for concurrent use: compile once, evaluate many times.
type Program struct {
	src     string
	prog    *vm.Program
	limits  py.Limits
	slots   []string // names of the frame slots, in slot order
	free    []string // root variables read (FreeNames), sorted
	refs    map[string]*refInfo
	fstring bool
	isConst bool // the program always yields the string konst
	konst   string
	uses    *uses // reads, constructs, replacement fields (collectUses)
}

// constString returns the value of a program that is a constant string.
func (p *Program) constString() (string, bool) { return p.konst, p.isConst }

// refInfo records how a root variable is read (see Program.Refs).
type refInfo struct {
	keys    []string
	dynamic bool
}

// Source returns the text the program was compiled from (the expression,
// without "$ ", or the f-string body).
func (p *Program) Source() string { return p.src }

// FreeNames returns the root variables the program reads from vars, sorted:
// for "steps[0].output + secrets.key" it is ["secrets", "steps"]. Names
// bound inside the expression (comprehension variables, lambda parameters,
// walrus targets), builtins and modules are not included. The caller must
// not modify the slice.
func (p *Program) FreeNames() []string { return p.free }

// Refs reports which constant keys the program reads directly on the root
// variable root: secrets.api_key, secrets["x"] and secrets.get("y") give
// keys ["api_key", "x", "y"] (in order of first use, without duplicates).
// dynamic is true when root is also used in any other way (indexed with a
// non-constant, iterated, passed to a function, captured by a lambda, or
// used as a whole value), so that any key may be read. A root the program
// never reads gives (nil, false).
func (p *Program) Refs(root string) (keys []string, dynamic bool) {
	r := p.refs[root]
	if r == nil {
		return nil, false
	}
	return slices.Clone(r.keys), r.dynamic
}

// Eval evaluates the program with the given variables and returns an
// engine value: nil for None, bool, int64 or *big.Int, float64, string, or
// a list, tuple, dict, set or library object of the engine's value model
// (see FromGo; ToJSON, ToGo, Repr and AsDict read them).
//
// Values in vars may be plain Go values (map[string]any, []any, float64 and
// json.Number from encoding/json, int...), engine values (results of Eval,
// FromGo or DecodeJSON: a cheap no-op) or a *Dict. Only the names in
// FreeNames are read. The evaluation stops with an *Error of kind
// KindLimit when it exceeds the engine's runtime Limits or when ctx is
// done. Errors are *Error values positioned in Source.
func (p *Program) Eval(ctx context.Context, vars map[string]any) (any, error) {
	out, _, err := p.eval(ctx, vars, p.limits)
	return out, err
}

// eval evaluates the program under the runtime limits lim and also returns
// the work units spent.
func (p *Program) eval(ctx context.Context, vars map[string]any, lim py.Limits) (any, int64, error) {
	r := getRunner()
	defer putRunner(r)
	r.st.Reset(ctx, lim)
	vals := r.buf[:0]
	for _, name := range p.slots {
		v, ok := vars[name]
		if !ok {
			vals = append(vals, unbound)
			continue
		}
		if d, ok := v.(*Dict); ok {
			v = d.d
		}
		cv, err := py.FromGo(v)
		if err != nil {
			clear(vals)
			r.buf = vals[:0]
			return nil, 0, &Error{Kind: py.TypeError, Msg: "variable " + name + ": " + errMsg(err), Source: p.src, cause: err}
		}
		vals = append(vals, cv)
	}
	r.buf = vals
	out, err := p.run(r, &r.st, vals)
	clear(vals)
	r.buf = vals[:0]
	return out, r.st.Ops(), err
}

// run executes the program on runner r with state st and the frame values.
func (p *Program) run(r *runner, st *py.State, vals []any) (any, error) {
	r.fr = frame{st: st, vals: vals, slots: p.slots, scratch: &r.scratch}
	out, err := r.vm.Run(p.prog, &r.fr)
	r.fr = frame{}
	if err != nil {
		return nil, runtimeError(err, p.src, 0)
	}
	return out, nil
}

func errMsg(err error) string {
	if pe, ok := err.(*py.Error); ok {
		return pe.Msg
	}
	return err.Error()
}

// frame is the environment of one run of a program: the evaluation state and
// the values of the frame slots (free variables, walrus targets, lambda
// parameters and captured variables). Helpers receive it as their first
// argument ($env).
type frame struct {
	st    *py.State
	vals  []any
	slots []string
	// scratch is the runner's reusable item buffer (fused loops whose list
	// is consumed by a function that does not keep it).
	scratch *[]any
}

// runner is a pooled virtual machine with a State and buffers; a VM is not
// safe for concurrent use, so each goroutine takes its own.
type runner struct {
	vm      vm.VM
	st      py.State
	fr      frame
	buf     []any
	scratch []any
}

var runners = sync.Pool{New: func() any {
	r := &runner{}
	// py's budgets are the real limits; expr's own memory budget counts
	// array slots built by loops, keep it out of the way.
	r.vm.MemoryBudget = math.MaxInt32
	r.st.SetLibrary(library)
	return r
}}

func getRunner() *runner { return runners.Get().(*runner) }

func putRunner(r *runner) {
	if cap(r.buf) > 1024 {
		r.buf = nil
	}
	if cap(r.scratch) > 4096 {
		r.scratch = nil
	}
	// Do not keep values alive (or big stacks) in the pool.
	clear(r.vm.Variables)
	if cap(r.vm.Stack) > 4096 {
		r.vm.Stack = nil
	}
	runners.Put(r)
}

// sentinel values never visible to expressions.
type sentinel struct{ name string }

var (
	// unbound marks a frame slot whose variable is not defined.
	unbound any = &sentinel{"unbound"}
	// skip marks an item a comprehension's conditions dropped.
	skip any = &sentinel{"skip"}
)

// ToJSON encodes an engine value (or a plain Go value) as JSON (Python's json.dumps with compact
// separators: dict order kept, 1.0 stays 1.0).
func ToJSON(v any) ([]byte, error) {
	b, err := py.MarshalJSON(goValue(v))
	if err != nil {
		return nil, &Error{Kind: kindOf(err), Msg: errMsg(err), cause: err}
	}
	return b, nil
}

func kindOf(err error) string {
	if pe, ok := err.(*py.Error); ok {
		return pe.Kind
	}
	return py.ValueError
}
