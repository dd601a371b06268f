package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/conf"
	"github.com/julepkit/julep/engine/internal/py"
)

// The runtime helpers: every Python operation of a translated program is a
// call of one of these expr functions. The first argument of most helpers is
// the *frame ($env) holding the evaluation's py.State. Helper names start
// with '$', which no Python identifier can, so user code can never name one.

type helperFn = func(args ...any) (any, error)

type helperDef struct {
	name string
	fn   helperFn
	typ  any // a *func(...) value describing the arity and result type for expr's checker
}

const (
	hSet       = "$set"
	hCollect   = "$collect"
	hSlice     = "$slice"
	hCall      = "$call"
	hCallKw    = "$callkw"
	hCallM     = "$callm"
	hCallMKw   = "$callmkw"
	hBuild     = "$build"
	hDict      = "$dict"
	hDictConst = "$dictc"
	hFStr      = "$fstr"
	hLambda    = "$lambda"
	hIn        = "$in"
	hNotIn     = "$notin"
	hMakeSlc   = "$mkslice"
	hBinPrefx  = "$bin"
)

var (
	typeAny3  = new(func(any, any, any) any)
	typeBool3 = new(func(any, any, any) bool)
	typeVarAn = new(func(...any) any)
)

// binary operators: Python operator -> py function.
var binOps = map[string]func(*py.State, any, any) (any, error){
	"+": py.Add, "-": py.Sub, "*": py.Mul, "/": py.TrueDiv, "//": py.FloorDiv, "%": py.Mod,
	"**": py.Pow, "<<": py.LShift, ">>": py.RShift, "&": py.BitAnd, "|": py.BitOr, "^": py.BitXor,
}

func st(a any) *py.State { return a.(*frame).st }

func helperDefs() []helperDef {
	defs := []helperDef{
		{hSet, func(a ...any) (any, error) {
			a[0].(*frame).vals[a[1].(int)] = a[2]
			return a[2], nil
		}, typeAny3},
		{hCollect, helperCollect, typeAny3},
		{hSlice, func(a ...any) (any, error) { return py.GetSlice(st(a[0]), a[1], a[2], a[3], a[4]) }, typeVarAn},
		{hCall, helperCall, typeVarAn},
		{hCallKw, helperCallKw, typeVarAn},
		{hCallM, func(a ...any) (any, error) {
			return a[2].(*methodSite).call(st(a[0]), a[1], a[3:], nil)
		}, typeVarAn},
		{hCallMKw, helperCallMKw, typeVarAn},
		{hBuild, helperBuild, typeVarAn},
		{hDict, helperDict, typeVarAn},
		{hDictConst, helperDictConst, typeVarAn},
		{hFStr, helperFString, typeVarAn},
		{hLambda, helperLambda, typeVarAn},
		{hIn, func(a ...any) (any, error) { return py.Contains(st(a[0]), a[2], a[1]) }, typeBool3},
		{hNotIn, func(a ...any) (any, error) {
			ok, err := py.Contains(st(a[0]), a[2], a[1])
			return !ok, err
		}, typeBool3},
		{hMakeSlc, func(a ...any) (any, error) {
			return nil, py.Errorf(py.TypeError, "slices inside a tuple subscript are not supported")
		}, typeVarAn},
	}
	for op, fn := range binOps {
		fn := fn
		defs = append(defs, helperDef{hBinPrefx + op, func(a ...any) (any, error) {
			return fn(a[0].(*frame).st, a[1], a[2])
		}, typeAny3})
	}
	return defs
}

// baseConfig is the expr configuration shared by all compilations: expr's
// builtins disabled, our helpers registered. It is built once; each
// compilation uses a shallow copy with its own type cache.
var baseConfig = func() *conf.Config {
	c := conf.CreateNew()
	opts := []expr.Option{expr.DisableAllBuiltins()}
	for _, d := range helperDefs() {
		opts = append(opts, expr.Function(d.name, d.fn, d.typ))
	}
	for _, o := range opts {
		o(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	c.Strict = false
	return c
}()

func newConfig() *conf.Config {
	c := *baseConfig
	c.NtCache = nature.Cache{} // lazily filled; one per compilation (not safe to share)
	c.ConstFns = nil
	return &c
}

// collectSpec describes how $collect turns the nested arrays built by a
// comprehension's loops into its value.
type collectSpec struct {
	kind  byte // 'l' list, 's' set, 'd' dict (items are []any{k, v}), 'g' generator (a list)
	depth int  // number of for clauses (levels of nesting)
	skips bool // some items may be the skip sentinel
}

func (c *collectSpec) String() string { return fmt.Sprintf("collect(%c,%d)", c.kind, c.depth) }

func helperCollect(a ...any) (any, error) {
	s := st(a[0])
	spec := a[1].(*collectSpec)
	arr := a[2].([]any)
	var items []any
	if spec.depth == 1 {
		if spec.skips {
			n := 0
			for _, v := range arr {
				if v != skip {
					arr[n] = v
					n++
				}
			}
			clear(arr[n:])
			arr = arr[:n]
		}
		items = arr
	} else {
		var err error
		items, err = flatten(s, nil, arr, spec.depth)
		if err != nil {
			return nil, err
		}
	}
	switch spec.kind {
	case 's':
		if err := s.CheckCollectionLen(int64(len(items))); err != nil {
			return nil, err
		}
		set := py.NewSet(len(items))
		for _, v := range items {
			if err := set.Add(v); err != nil {
				return nil, err
			}
		}
		return set, nil
	case 'd':
		if err := s.CheckCollectionLen(int64(len(items))); err != nil {
			return nil, err
		}
		d := py.NewDict(len(items))
		for _, v := range items {
			kv := v.([]any)
			if err := d.Set(kv[0], kv[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	if err := s.CheckCollectionLen(int64(len(items))); err != nil {
		return nil, err
	}
	return py.NewList(items), nil
}

func flatten(s *py.State, dst, arr []any, depth int) ([]any, error) {
	for _, v := range arr {
		if v == skip {
			continue
		}
		if depth > 1 {
			var err error
			if dst, err = flatten(s, dst, v.([]any), depth-1); err != nil {
				return nil, err
			}
			continue
		}
		dst = append(dst, v)
	}
	if len(dst) > int(s.Limits().MaxCollectionLen) {
		return nil, s.CheckCollectionLen(int64(len(dst)))
	}
	return dst, nil
}

// unpackSpec describes a target list of a for clause: n names, the starred
// one at index star (-1 when none).
type unpackSpec struct {
	n    int
	star int
}

func (u *unpackSpec) String() string { return "unpack(" + strconv.Itoa(u.n) + ")" }

// callSpec describes the arguments of a call with keywords or unpacking:
// after the positional arguments come the keyword values; star[i] marks a
// positional *iterable, and a keyword name "" a **mapping.
type callSpec struct {
	name    string // method name for $callmkw
	npos    int
	star    []bool
	kwNames []string
}

func (c *callSpec) String() string { return "call(" + c.name + ")" }

func helperCall(a ...any) (any, error) {
	if f, ok := a[1].(*py.Func); ok {
		return f.Call(st(a[0]), a[2:], nil)
	}
	return py.Call(st(a[0]), a[1], a[2:], nil)
}

func helperCallKw(a ...any) (any, error) {
	s := st(a[0])
	args, kw, err := spreadArgs(s, a[2].(*callSpec), a[3:])
	if err != nil {
		return nil, err
	}
	return py.Call(s, a[1], args, kw)
}

func helperCallMKw(a ...any) (any, error) {
	s := st(a[0])
	spec := a[2].(*callSpec)
	args, kw, err := spreadArgs(s, spec, a[3:])
	if err != nil {
		return nil, err
	}
	return py.CallMethod(s, a[1], spec.name, args, kw)
}

// spreadArgs applies a callSpec to the evaluated argument values.
func spreadArgs(s *py.State, spec *callSpec, vals []any) ([]any, *py.Kwargs, error) {
	pos := vals[:spec.npos]
	if spec.star != nil {
		var out []any
		for i, v := range pos {
			if !spec.star[i] {
				out = append(out, v)
				continue
			}
			items, err := py.Iterate(s, v)
			if err != nil {
				return nil, nil, py.Errorf(py.TypeError, "argument after * must be an iterable, not %s", py.TypeName(v))
			}
			out = append(out, items...)
		}
		pos = out
	}
	kvals := vals[spec.npos:]
	if len(kvals) == 0 {
		return pos, nil, nil
	}
	kw := &py.Kwargs{}
	add := func(name string, v any) error {
		if slices.Contains(kw.Names, name) {
			return py.Errorf(py.TypeError, "got multiple values for keyword argument '%s'", name)
		}
		kw.Names = append(kw.Names, name)
		kw.Values = append(kw.Values, v)
		return nil
	}
	for i, name := range spec.kwNames {
		v := kvals[i]
		if name != "" {
			if err := add(name, v); err != nil {
				return nil, nil, err
			}
			continue
		}
		d, ok := v.(*py.Dict)
		if !ok {
			return nil, nil, py.Errorf(py.TypeError, "argument after ** must be a mapping, not %s", py.TypeName(v))
		}
		var err error
		d.Range(func(k, v any) bool {
			ks, ok := k.(string)
			if !ok {
				err = py.Errorf(py.TypeError, "keywords must be strings")
				return false
			}
			err = add(ks, v)
			return err == nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return pos, kw, nil
}

// buildSpec describes a list, tuple or set display: kind 'l', 't' or 's',
// star[i] marks a *iterable element (nil when none).
type buildSpec struct {
	kind byte
	star []bool
}

func (b *buildSpec) String() string { return "build(" + string(b.kind) + ")" }

func helperBuild(a ...any) (any, error) {
	s := st(a[0])
	spec := a[1].(*buildSpec)
	items := a[2:]
	if spec.star != nil {
		var out []any
		for i, v := range items {
			if !spec.star[i] {
				out = append(out, v)
				continue
			}
			vs, err := py.Iterate(s, v)
			if err != nil {
				return nil, err
			}
			out = append(out, vs...)
		}
		items = out
	}
	if err := s.CheckCollectionLen(int64(len(items))); err != nil {
		return nil, err
	}
	switch spec.kind {
	case 't':
		return py.Tuple(items), nil
	case 's':
		set := py.NewSet(len(items))
		for _, v := range items {
			if err := set.Add(v); err != nil {
				return nil, err
			}
		}
		return set, nil
	}
	return py.NewList(items), nil
}

// dictSpec describes a dict display: dstar[i] marks a **mapping entry (its
// key slot holds nil).
type dictSpec struct {
	dstar []bool
}

func (d *dictSpec) String() string { return "dict" }

func helperDict(a ...any) (any, error) {
	s := st(a[0])
	spec := a[1].(*dictSpec)
	kvs := a[2:]
	n := len(kvs) / 2
	if err := s.CheckCollectionLen(int64(n)); err != nil {
		return nil, err
	}
	d := py.NewDict(n)
	for i := 0; i < n; i++ {
		k, v := kvs[2*i], kvs[2*i+1]
		if spec.dstar != nil && spec.dstar[i] {
			src, ok := v.(*py.Dict)
			if !ok {
				return nil, py.Errorf(py.TypeError, "'%s' object is not a mapping", py.TypeName(v))
			}
			d.Update(src)
			continue
		}
		if ks, ok := k.(string); ok {
			d.SetStr(ks, v)
			continue
		}
		if err := d.Set(k, v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// smallDictMax is the largest dict display with constant str keys built
// from a template.
const smallDictMax = 8

// constDict is a dict display with distinct constant str keys: a template
// dict holding the keys, copied for each evaluation.
type constDict struct {
	tpl  *py.Dict
	keys []string
}

func (c *constDict) String() string { return "constdict" }

// newConstDict returns the template of keys, or nil when they repeat.
func newConstDict(keys []string) *constDict {
	tpl := py.NewDict(len(keys))
	for _, k := range keys {
		tpl.SetStr(k, nil)
	}
	if tpl.Len() != len(keys) {
		return nil
	}
	return &constDict{tpl: tpl, keys: keys}
}

func helperDictConst(a ...any) (any, error) {
	return a[0].(*constDict).tpl.WithValues(a[1:]), nil
}

// fstrSpec describes an f-string: literal parts and replacement fields, in
// order. The arguments of $fstr are, for each field, its value and (when
// dynSpec) its computed format spec.
type fstrSpec struct {
	parts []fpart
}

type fpart struct {
	lit     string // literal text (field == false) or debug text "x=" (field == true)
	field   bool
	conv    rune   // 'r', 's', 'a' or 0
	spec    string // static format spec
	dynSpec bool   // the spec is computed (nested fields): it is the next argument
}

func (f *fstrSpec) String() string { return "fstring" }

func helperFString(a ...any) (any, error) {
	return renderFString(st(a[0]), a[1].(*fstrSpec), a[2:])
}

// renderFString renders an f-string from the values of its fields (and
// computed specs), in order.
func renderFString(s *py.State, spec *fstrSpec, args []any) (any, error) {
	var b strings.Builder
	n := 0
	for _, p := range spec.parts {
		n += len(p.lit) + 8
	}
	b.Grow(n)
	ai := 0
	for _, p := range spec.parts {
		if !p.field {
			b.WriteString(p.lit)
			continue
		}
		b.WriteString(p.lit)
		v := args[ai]
		ai++
		fs := p.spec
		if p.dynSpec {
			fs = args[ai].(string)
			ai++
		}
		str, err := formatField(s, v, p.conv, fs)
		if err != nil {
			return nil, err
		}
		if err := s.CheckStringLen(int64(b.Len() + len(str))); err != nil {
			return nil, err
		}
		b.WriteString(str)
	}
	out := b.String()
	if err := s.CheckStringLen(int64(len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// formatField renders one replacement field {v!conv:spec}.
func formatField(s *py.State, v any, conv rune, spec string) (string, error) {
	var err error
	switch conv {
	case 'r':
		v, err = py.ToRepr(s, v)
	case 's':
		v, err = py.ToStr(s, v)
	case 'a':
		var r string
		r, err = py.ToRepr(s, v)
		v = asciiEscape(r)
	}
	if err != nil {
		return "", err
	}
	if str, ok := v.(string); ok && spec == "" {
		return str, nil
	}
	if spec == "" {
		switch v.(type) {
		case int64, float64, bool, nil:
			return py.Str(v), nil
		}
		return py.ToStr(s, v)
	}
	return py.Format(s, v, spec)
}

// asciiEscape implements ascii() on a repr: non-ASCII characters become
// \xhh, \uhhhh or \Uhhhhhhhh.
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r <= 0xffff:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			fmt.Fprintf(&b, "\\U%08x", r)
		}
	}
	return b.String()
}
