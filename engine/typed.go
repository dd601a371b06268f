package engine

import (
	"github.com/julepkit/julep/engine/internal/py"
)

// Typed helpers: the hot operations (variable reads, subscripts,
// attributes, comparisons, truth, iteration) are plain Go functions of one
// or two interface arguments, called through expr's OpCallTyped, which
// passes the arguments on the VM stack. (Calls of registered expr functions,
// OpCall1-3/OpCallN, take their argument slice from a per-run buffer sized
// from the static call count: inside loops it runs out and every call then
// allocates.) A typed helper cannot return an error: it panics with it, and
// the VM turns the panic into an error positioned at the call, exactly like
// an error returned by a registered function.
//
// These operations need no budget: reads are O(1) or bounded by the
// per-value limits that py applies with a nil *py.State. Operations that do
// work proportional to their input ($iter, `in`, arithmetic, calls) get the
// State through $env.

func raise(err error) { panic(err) }

// tVar reads frame slot i; NameError when the variable is not defined.
func tVar(env, i any) any {
	fr := env.(*frame)
	v := fr.vals[i.(int)]
	if v == unbound {
		raise(py.Errorf(py.NameError, "name '%s' is not defined", fr.slots[i.(int)]))
	}
	return v
}

// tVarOr reads frame slot i, or gives builtin when the slot is unbound (a
// bare builtin or module name that no variable shadows).
func tVarOr(env, i, builtin any) any {
	if v := env.(*frame).vals[i.(int)]; v != unbound {
		return v
	}
	return builtin
}

// tVarRaw reads frame slot i, unbound or not (lambda captures).
func tVarRaw(env, i any) any { return env.(*frame).vals[i.(int)] }

// tIter returns the items to loop over, charging one unit per item.
func tIter(env, v any) []any {
	items, err := py.Iterate(env.(*frame).st, v)
	if err != nil {
		raise(err)
	}
	return items
}

// tGetItem is obj[key], with fast paths for str keys of dicts and int
// indexes of lists.
func tGetItem(obj, key any) any {
	switch o := obj.(type) {
	case *py.Dict:
		if k, ok := key.(string); ok {
			if v, ok := o.GetStr(k); ok {
				return v
			}
		}
	case *py.List:
		if i, ok := key.(int64); ok {
			if i < 0 {
				i += int64(len(o.Items))
			}
			if i >= 0 && i < int64(len(o.Items)) {
				return o.Items[i]
			}
		}
	}
	v, err := py.GetItem(nil, obj, key)
	if err != nil {
		raise(err)
	}
	return v
}

func tTruth(v any) bool { return py.Truth(v) }

func tIs(a, b any) bool    { return py.Is(a, b) }
func tIsNot(a, b any) bool { return !py.Is(a, b) }

func cmpFunc(op string) func(a, b any) bool {
	return func(a, b any) bool {
		ok, err := py.Compare(op, a, b)
		if err != nil {
			raise(err)
		}
		return ok
	}
}

func tEq(a, b any) bool {
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return x == y
		}
	}
	return py.Equal(a, b)
}

func tNe(a, b any) bool { return !tEq(a, b) }

var cmpFuncs = map[string]func(a, b any) bool{
	"<": cmpFunc("<"), "<=": cmpFunc("<="), ">": cmpFunc(">"), ">=": cmpFunc(">="), "==": tEq, "!=": tNe,
}

func unary(f func(any) (any, error)) func(any) any {
	return func(v any) any {
		r, err := f(v)
		if err != nil {
			raise(err)
		}
		return r
	}
}

var (
	tNeg    = unary(py.Neg)
	tPos    = unary(py.Pos)
	tInvert = unary(py.Invert)
)

// tIdx is items[i] of an unpacked target list.
func tIdx(items, i any) any { return items.([]any)[i.(int)] }

// tUnpack unpacks v into spec.n values (for a, b in ...).
func tUnpack(v, specv any) any {
	spec := specv.(*unpackSpec)
	var items []any
	switch x := v.(type) {
	case py.Tuple:
		items = x
	case *py.List:
		items = x.Items
	default:
		if n, err := py.Len(v); err == nil && spec.star < 0 && n > spec.n {
			raise(py.Errorf(py.ValueError, "too many values to unpack (expected %d)", spec.n))
		}
		var err error
		items, err = py.Iterate(nil, x)
		if err != nil {
			if pe, ok := err.(*py.Error); ok && pe.Kind == py.TypeError {
				raise(py.Errorf(py.TypeError, "cannot unpack non-iterable %s object", py.TypeName(v)))
			}
			raise(err)
		}
	}
	if spec.star < 0 {
		if len(items) == spec.n {
			return items
		}
		if len(items) > spec.n {
			raise(py.Errorf(py.ValueError, "too many values to unpack (expected %d)", spec.n))
		}
		raise(py.Errorf(py.ValueError, "not enough values to unpack (expected %d, got %d)", spec.n, len(items)))
	}
	if len(items) < spec.n-1 {
		raise(py.Errorf(py.ValueError, "not enough values to unpack (expected at least %d, got %d)", spec.n-1, len(items)))
	}
	out := make([]any, spec.n)
	copy(out, items[:spec.star])
	rest := len(items) - (spec.n - 1 - spec.star)
	out[spec.star] = py.NewList(append([]any(nil), items[spec.star:rest]...))
	copy(out[spec.star+1:], items[rest:])
	return out
}

// Small displays and calls get typed closures built at compile time, so
// that comprehensions building them per item do not pay for an argument
// slice per call.

// smallDict1 / smallDict2 build a dict display with constant str keys from
// a template dict holding the (already boxed) keys: one allocation per
// dict.
func smallDict1(k string) func(any) any {
	tpl := py.NewDict(1)
	tpl.SetStr(k, nil)
	return func(v any) any { return tpl.WithValues([]any{v}) }
}

func smallDict2(k1, k2 string) func(any, any) any {
	tpl := py.NewDict(2)
	tpl.SetStr(k1, nil)
	tpl.SetStr(k2, nil)
	return func(v1, v2 any) any { return tpl.WithValues([]any{v1, v2}) }
}

func tTuple1(a any) any    { return py.Tuple{a} }
func tTuple2(a, b any) any { return py.Tuple{a, b} }
func tList1(a any) any     { return py.NewList([]any{a}) }
func tList2(a, b any) any  { return py.NewList([]any{a, b}) }

// methodSite is a method call site recv.name(...): the methods of str,
// dict and list named name are looked up once at compile time (they are
// in the library, which never changes), the rest goes through py.CallMethod.
type methodSite struct {
	name           string
	str, dict, lst py.MethodFunc
}

func newMethodSite(name string) *methodSite {
	m := &methodSite{name: name}
	if len(name) > 0 && name[0] == '_' {
		return m // py.CallMethod refuses it
	}
	m.str, _ = library.Method("str", name)
	m.dict, _ = library.Method("dict", name)
	m.lst, _ = library.Method("list", name)
	return m
}

func (m *methodSite) String() string { return "method(" + m.name + ")" }

// call is py.CallMethod(st, recv, name, args, kw): a library method of
// recv's type (str, dict and list are not AttrGetters) is called after
// charging one unit.
func (m *methodSite) call(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
	var fn py.MethodFunc
	switch recv.(type) {
	case string:
		fn = m.str
	case *py.Dict:
		fn = m.dict
	case *py.List:
		fn = m.lst
	}
	if fn == nil {
		return py.CallMethod(st, recv, m.name, args, kw)
	}
	if err := st.Charge(1); err != nil {
		return nil, err
	}
	return fn(st, recv, args, kw)
}

// method0 calls recv.name() with no arguments.
func method0(name string) func(env, recv any) any {
	m := newMethodSite(name)
	return func(env, recv any) any {
		v, err := m.call(env.(*frame).st, recv, nil, nil)
		if err != nil {
			raise(err)
		}
		return v
	}
}

// builtin1 calls f(a).
func builtin1(f *py.Func) func(env, a any) any {
	return func(env, a any) any {
		v, err := f.Call(env.(*frame).st, []any{a}, nil)
		if err != nil {
			raise(err)
		}
		return v
	}
}

// getKey returns obj[key] for a constant key.
func getKey(key any) func(obj any) any {
	if ks, ok := key.(string); ok {
		return func(obj any) any {
			if d, ok := obj.(*py.Dict); ok {
				if v, ok := d.GetStr(ks); ok {
					return v
				}
			}
			return tGetItem(obj, key)
		}
	}
	return func(obj any) any { return tGetItem(obj, key) }
}

// getAttr returns obj.name for a constant name. On a dict, a name that is
// not a dict method reads the key directly (py.GetAttr's rule, with the
// method lookup done once here: the library never changes).
func getAttr(name string) func(obj any) any {
	_, isMethod := library.Method("dict", name)
	keyOK := !isMethod && (len(name) == 0 || name[0] != '_')
	return func(obj any) any {
		if keyOK {
			if d, ok := obj.(*py.Dict); ok {
				if v, ok := d.GetStr(name); ok {
					return v
				}
			}
		}
		v, err := library.GetAttr(nil, obj, name)
		if err != nil {
			raise(err)
		}
		return v
	}
}

// tLen is the builtin len(v) (pylib's len: py.Len as an int).
func tLen(v any) any {
	n, err := py.Len(v)
	if err != nil {
		raise(err)
	}
	return py.BoxInt(int64(n))
}

// cmpConst compares its operand with a constant right operand.
func cmpConst(op string, c any) func(a any) bool {
	f := cmpFuncs[op]
	return func(a any) bool { return f(a, c) }
}

// fstring1 renders an f-string with one replacement field (no computed
// spec): prefix, the field, suffix.
func fstring1(prefix string, p fpart, suffix string) func(env, v any) any {
	return func(env, v any) any {
		s := env.(*frame).st
		str, err := formatField(s, v, p.conv, p.spec)
		if err != nil {
			raise(err)
		}
		n := len(prefix) + len(str) + len(suffix)
		if err := s.CheckStringLen(int64(n)); err != nil {
			raise(err)
		}
		if prefix == "" && suffix == "" {
			return str
		}
		b := make([]byte, 0, n)
		b = append(b, prefix...)
		b = append(b, str...)
		b = append(b, suffix...)
		return string(b)
	}
}
