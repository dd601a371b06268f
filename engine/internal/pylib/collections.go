package pylib

import (
	"math/big"
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
)

// Range is Python's range object (immutable, lazily materialized).
type Range struct {
	Start, Stop, Step int64
}

// TypeName returns "range".
func (r *Range) TypeName() string { return "range" }

// Repr returns "range(0, 5)" or "range(0, 10, 2)".
func (r *Range) Repr() string {
	if r.Step == 1 {
		return "range(" + itoa(r.Start) + ", " + itoa(r.Stop) + ")"
	}
	return "range(" + itoa(r.Start) + ", " + itoa(r.Stop) + ", " + itoa(r.Step) + ")"
}

// Len returns the number of items.
func (r *Range) Len() int {
	var n int64
	if r.Step > 0 && r.Start < r.Stop {
		n = (r.Stop-r.Start-1)/r.Step + 1
	} else if r.Step < 0 && r.Start > r.Stop {
		n = (r.Start-r.Stop-1)/(-r.Step) + 1
	}
	return int(n)
}

// Iter materializes the items (charged).
func (r *Range) Iter(st *py.State) ([]any, error) {
	n := r.Len()
	if err := newColl(st, n); err != nil {
		return nil, err
	}
	out := make([]any, n)
	v := r.Start
	for i := range out {
		out[i] = v
		v += r.Step
	}
	return out, nil
}

// GetItem implements r[i] for an int index.
func (r *Range) GetItem(st *py.State, key any) (any, error) {
	i, ok := asInt(key)
	if !ok {
		return nil, typeErr("range indices must be integers or slices, not %s", tn(key))
	}
	n := int64(r.Len())
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, py.Errorf(py.IndexError, "range object index out of range")
	}
	return r.Start + i*r.Step, nil
}

// GetSlice implements r[lower:upper:step]: another range, as CPython
// (range(10)[2:8:2] is range(2, 8, 2)).
func (r *Range) GetSlice(st *py.State, lower, upper, step any) (any, error) {
	start, stop, s, _, err := py.SliceIndices(r.Len(), lower, upper, step)
	if err != nil {
		return nil, err
	}
	return &Range{Start: r.Start + int64(start)*r.Step, Stop: r.Start + int64(stop)*r.Step, Step: r.Step * int64(s)}, nil
}

// Equal compares ranges as sequences (range(0) == range(2, 2)).
func (r *Range) Equal(other any) bool {
	o, ok := other.(*Range)
	if !ok {
		return false
	}
	n := r.Len()
	if n != o.Len() {
		return false
	}
	if n == 0 {
		return true
	}
	if r.Start != o.Start {
		return false
	}
	return n == 1 || r.Step == o.Step
}

func biRange(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("range", kw); err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, typeErr("range expected at least 1 argument, got 0")
	}
	if len(args) > 3 {
		return nil, typeErr("range expected at most 3 arguments, got %d", len(args))
	}
	vals := make([]int64, len(args))
	for i, a := range args {
		if !isIntLike(a) {
			return nil, typeErr("'%s' object cannot be interpreted as an integer", tn(a))
		}
		if b, ok := a.(*big.Int); ok && !b.IsInt64() {
			return nil, py.Errorf(py.LimitError, "range bounds beyond 64 bits are not supported")
		}
		vals[i], _ = asInt(a)
	}
	r := &Range{Start: 0, Step: 1}
	switch len(vals) {
	case 1:
		r.Stop = vals[0]
	case 2:
		r.Start, r.Stop = vals[0], vals[1]
	case 3:
		r.Start, r.Stop, r.Step = vals[0], vals[1], vals[2]
		if r.Step == 0 {
			return nil, valueErr("range() arg 3 must not be zero")
		}
	}
	n := rangeLen(r)
	if n.Cmp(big.NewInt(st.Limits().MaxCollectionLen)) > 0 {
		return nil, py.Errorf(py.LimitError, "range too large (%s items, limit %d)", n.String(), st.Limits().MaxCollectionLen)
	}
	return r, nil
}

// rangeLen computes the length without overflow.
func rangeLen(r *Range) *big.Int {
	start, stop, step := big.NewInt(r.Start), big.NewInt(r.Stop), big.NewInt(r.Step)
	d := new(big.Int)
	if r.Step > 0 {
		if r.Start >= r.Stop {
			return d
		}
		d.Sub(stop, start)
	} else {
		if r.Start <= r.Stop {
			return d
		}
		d.Sub(start, stop)
		step.Neg(step)
	}
	d.Sub(d, big.NewInt(1))
	d.Quo(d, step)
	return d.Add(d, big.NewInt(1))
}

// DictView is the result of dict.keys(), dict.values() and dict.items(): a
// snapshot list whose repr matches CPython (dict_keys(['a'])).
type DictView struct {
	Kind  string // "dict_keys", "dict_values" or "dict_items"
	Items []any  // keys, values or (key, value) tuples, in dict order
}

// TypeName returns the view's type name.
func (v *DictView) TypeName() string { return v.Kind }

// Repr returns e.g. "dict_items([('a', 1)])".
func (v *DictView) Repr() string { return v.Kind + "(" + py.Repr(py.NewList(v.Items)) + ")" }

// Len returns the number of items.
func (v *DictView) Len() int { return len(v.Items) }

// Iter returns the items.
func (v *DictView) Iter(st *py.State) ([]any, error) {
	if err := st.Charge(int64(len(v.Items))); err != nil {
		return nil, err
	}
	return v.Items, nil
}

// Truth is true for a non-empty view.
func (v *DictView) Truth() bool { return len(v.Items) > 0 }

// BinaryOp implements the set operators of keys and items views
// (& | - ^ with any iterable), giving a set as CPython does.
func (v *DictView) BinaryOp(st *py.State, op string, other any, right bool) (any, bool, error) {
	if v.Kind == "dict_values" {
		return nil, false, nil
	}
	switch op {
	case "&", "|", "-", "^":
	default:
		return nil, false, nil
	}
	mine := py.NewSet(len(v.Items))
	for _, it := range v.Items {
		if err := mine.Add(it); err != nil {
			return nil, true, err
		}
	}
	items, err := py.Iterate(st, other)
	if err != nil {
		return nil, false, nil
	}
	theirs := py.NewSet(len(items))
	for _, it := range items {
		if err := theirs.Add(it); err != nil {
			return nil, true, err
		}
	}
	a, b := mine, theirs
	if right {
		a, b = theirs, mine
	}
	out := py.NewSet(a.Len() + b.Len())
	add := func(x any) error { return out.Add(x) }
	switch op {
	case "&":
		for _, x := range a.Elems() {
			if ok, _ := b.Has(x); ok {
				if err := add(x); err != nil {
					return nil, true, err
				}
			}
		}
	case "|":
		for _, x := range append(a.Elems(), b.Elems()...) {
			if err := add(x); err != nil {
				return nil, true, err
			}
		}
	case "-":
		for _, x := range a.Elems() {
			if ok, _ := b.Has(x); !ok {
				if err := add(x); err != nil {
					return nil, true, err
				}
			}
		}
	case "^":
		for _, x := range a.Elems() {
			if ok, _ := b.Has(x); !ok {
				if err := add(x); err != nil {
					return nil, true, err
				}
			}
		}
		for _, x := range b.Elems() {
			if ok, _ := a.Has(x); !ok {
				if err := add(x); err != nil {
					return nil, true, err
				}
			}
		}
	}
	return out, true, newColl(st, out.Len())
}

// Equal compares keys and items views as sets, values views by identity
// (CPython: never equal).
func (v *DictView) Equal(other any) bool {
	var others []any
	switch o := other.(type) {
	case *DictView:
		if o.Kind != v.Kind {
			return false
		}
		others = o.Items
	case *py.Set:
		others = o.Elems()
	default:
		return false
	}
	if v.Kind == "dict_values" || len(others) != len(v.Items) {
		return false
	}
	s := py.NewSet(len(others))
	for _, x := range others {
		if s.Add(x) != nil {
			return false
		}
	}
	for _, x := range v.Items {
		if ok, err := s.Has(x); err != nil || !ok {
			return false
		}
	}
	return true
}

// listRecv makes f, which takes the receiver as a list, the method
// list.name (keyword arguments refused except for sort).
func listRecv(name string, f func(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error)) py.MethodFunc {
	return func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		l, ok := recv.(*py.List)
		if !ok {
			return nil, typeErr("descriptor '%s' for 'list' objects doesn't apply to a '%s' object", name, tn(recv))
		}
		if name != "sort" {
			if err := noKw("list."+name, kw); err != nil {
				return nil, err
			}
		}
		return f(st, l, args, kw)
	}
}

func seqIndex(st *py.State, items []any, args []any, notFound func() error) (any, error) {
	start, end, err := sliceBounds("index", args[1:], len(items))
	if err != nil {
		return nil, err
	}
	for i := start; i < end && i < len(items); i++ {
		if err := st.Charge(1); err != nil {
			return nil, err
		}
		if py.Equal(items[i], args[0]) {
			return int64(i), nil
		}
	}
	return nil, notFound()
}

func seqCount(st *py.State, items []any, x any) (any, error) {
	var n int64
	if err := st.Charge(int64(len(items))); err != nil {
		return nil, err
	}
	for _, it := range items {
		if py.Equal(it, x) {
			n++
		}
	}
	return n, nil
}

// listMethods is the table of the methods of list.
func listMethods() map[string]py.MethodFunc {
	return map[string]py.MethodFunc{
		"append":  listRecv("append", listAppend),
		"clear":   listRecv("clear", listClear),
		"copy":    listRecv("copy", listCopy),
		"count":   listRecv("count", listCount),
		"extend":  listRecv("extend", listExtend),
		"index":   listRecv("index", listIndex),
		"insert":  listRecv("insert", listInsert),
		"pop":     listRecv("pop", listPop),
		"remove":  listRecv("remove", listRemove),
		"reverse": listRecv("reverse", listReverse),
		"sort":    listRecv("sort", listSort),
	}
}

// tupleMethods is the table of the methods of tuple.
func tupleMethods() map[string]py.MethodFunc {
	return map[string]py.MethodFunc{
		"count": tupleCount,
		"index": tupleIndex,
	}
}

func listAppend(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("append", args, 1, 1); err != nil {
		return nil, typeErr("list.append() takes exactly one argument (%d given)", len(args))
	}
	if err := newColl(st, len(l.Items)+1); err != nil {
		return nil, err
	}
	l.Items = append(l.Items, args[0])
	return nil, nil
}

func listClear(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("list.clear() takes no arguments (%d given)", len(args))
	}
	l.Items = []any{}
	return nil, nil
}

func listCopy(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("list.copy() takes no arguments (%d given)", len(args))
	}
	if err := newColl(st, len(l.Items)); err != nil {
		return nil, err
	}
	return py.NewList(append([]any{}, l.Items...)), nil
}

func listCount(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("list.count() takes exactly one argument (%d given)", len(args))
	}
	return seqCount(st, l.Items, args[0])
}

func listExtend(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("list.extend() takes exactly one argument (%d given)", len(args))
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if err := newColl(st, len(l.Items)+len(items)); err != nil {
		return nil, err
	}
	l.Items = append(l.Items, items...)
	return nil, nil
}

func listIndex(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("index", args, 1, 3); err != nil {
		return nil, err
	}
	return seqIndex(st, l.Items, args, func() error { return valueErr("%s is not in list", py.ShortRepr(args[0])) })
}

func listInsert(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 2 {
		return nil, typeErr("insert expected 2 arguments, got %d", len(args))
	}
	i, err := indexArg(args[0])
	if err != nil {
		return nil, err
	}
	n := int64(len(l.Items))
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	if err := newColl(st, len(l.Items)+1); err != nil {
		return nil, err
	}
	l.Items = append(l.Items, nil)
	copy(l.Items[i+1:], l.Items[i:])
	l.Items[i] = args[1]
	return nil, nil
}

func listPop(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("pop", args, 0, 1); err != nil {
		return nil, err
	}
	n := int64(len(l.Items))
	i := n - 1
	if len(args) == 1 {
		var err error
		if i, err = indexArg(args[0]); err != nil {
			return nil, err
		}
		if i < 0 {
			i += n
		}
	}
	if n == 0 {
		return nil, py.Errorf(py.IndexError, "pop from empty list")
	}
	if i < 0 || i >= n {
		return nil, py.Errorf(py.IndexError, "pop index out of range")
	}
	v := l.Items[i]
	l.Items = append(l.Items[:i], l.Items[i+1:]...)
	return v, nil
}

func listRemove(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("list.remove() takes exactly one argument (%d given)", len(args))
	}
	for i, it := range l.Items {
		if py.Equal(it, args[0]) {
			l.Items = append(l.Items[:i], l.Items[i+1:]...)
			return nil, nil
		}
	}
	return nil, valueErr("list.remove(x): x not in list")
}

func listReverse(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("list.reverse() takes no arguments (%d given)", len(args))
	}
	for i, j := 0, len(l.Items)-1; i < j; i, j = i+1, j-1 {
		l.Items[i], l.Items[j] = l.Items[j], l.Items[i]
	}
	return nil, nil
}

func listSort(st *py.State, l *py.List, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("sort() takes no positional arguments")
	}
	key, rev, err := sortOpts("sort", kw)
	if err != nil {
		return nil, err
	}
	return nil, sortItems(st, l.Items, key, rev)
}

func tupleCount(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
	t, _ := recv.(py.Tuple)
	if err := noKw("tuple.count", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, typeErr("tuple.count() takes exactly one argument (%d given)", len(args))
	}
	return seqCount(st, t, args[0])
}

func tupleIndex(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
	t, _ := recv.(py.Tuple)
	if err := noKw("tuple.index", kw); err != nil {
		return nil, err
	}
	if err := nargs("index", args, 1, 3); err != nil {
		return nil, err
	}
	return seqIndex(st, t, args, func() error { return valueErr("tuple.index(x): x not in tuple") })
}

// dictMethodFunc is a dict method taking its receiver as a *py.Dict.
type dictMethodFunc = func(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error)

// dictRecv makes f the method dict.name (keyword arguments refused except
// for update).
func dictRecv(name string, f dictMethodFunc) py.MethodFunc {
	return func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		d, ok := recv.(*py.Dict)
		if !ok {
			return nil, typeErr("descriptor '%s' for 'dict' objects doesn't apply to a '%s' object", name, tn(recv))
		}
		if name != "update" {
			if err := noKw("dict."+name, kw); err != nil {
				return nil, err
			}
		}
		return f(st, d, args, kw)
	}
}

func keyErr(k any) error { return py.Errorf(py.KeyError, "%s", py.ShortRepr(k)) }

// dictMethods is the table of the methods of dict.
func dictMethods() map[string]py.MethodFunc {
	return map[string]py.MethodFunc{
		"clear":      dictRecv("clear", dictClear),
		"copy":       dictRecv("copy", dictCopy),
		"get":        dictRecv("get", dictGet),
		"keys":       dictRecv("keys", dictViewOf("dict_keys")),
		"values":     dictRecv("values", dictViewOf("dict_values")),
		"items":      dictRecv("items", dictViewOf("dict_items")),
		"pop":        dictRecv("pop", dictPop),
		"popitem":    dictRecv("popitem", dictPopitem),
		"setdefault": dictRecv("setdefault", dictSetdefault),
		"update":     dictRecv("update", dictUpdateMethod),
		"fromkeys":   dictRecv("fromkeys", dictFromkeysMethod),
	}
}

func dictClear(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("clear", args, 0, 0); err != nil {
		return nil, typeErr("dict.clear() takes no arguments (%d given)", len(args))
	}
	d.Clear()
	return nil, nil
}

func dictCopy(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("dict.copy() takes no arguments (%d given)", len(args))
	}
	if err := newColl(st, d.Len()); err != nil {
		return nil, err
	}
	return d.Copy(), nil
}

func dictGet(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("get", args, 1, 2); err != nil {
		return nil, err
	}
	v, ok, err := d.Get(args[0])
	if err != nil {
		return nil, err
	}
	if ok {
		return v, nil
	}
	if len(args) == 2 {
		return args[1], nil
	}
	return nil, nil
}

func dictPop(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("pop", args, 1, 2); err != nil {
		return nil, err
	}
	v, ok, err := d.Get(args[0])
	if err != nil {
		return nil, err
	}
	if !ok {
		if len(args) == 2 {
			return args[1], nil
		}
		return nil, keyErr(args[0])
	}
	if _, err := d.Delete(args[0]); err != nil {
		return nil, err
	}
	return v, nil
}

func dictPopitem(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if len(args) > 0 {
		return nil, typeErr("dict.popitem() takes no arguments (%d given)", len(args))
	}
	if d.Len() == 0 {
		return nil, py.Errorf(py.KeyError, "'popitem(): dictionary is empty'")
	}
	k, v := d.KeyAt(d.Len()-1), d.ValueAt(d.Len()-1)
	if _, err := d.Delete(k); err != nil {
		return nil, err
	}
	return py.Tuple{k, v}, nil
}

func dictSetdefault(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("setdefault", args, 1, 2); err != nil {
		return nil, err
	}
	v, ok, err := d.Get(args[0])
	if err != nil {
		return nil, err
	}
	if ok {
		return v, nil
	}
	var def any
	if len(args) == 2 {
		def = args[1]
	}
	return def, d.Set(args[0], def)
}

func dictUpdateMethod(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	return nil, dictUpdateCall(st, "update", d, args, kw)
}

func dictFromkeysMethod(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
	return dictFromKeys(st, args)
}

// dictFromKeysClass is dict.fromkeys called on the type, a class method: no
// receiver, the arguments as given.
func dictFromKeysClass(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("dict.fromkeys", kw); err != nil {
		return nil, err
	}
	return dictFromKeys(st, args)
}

// dictUpdateCall is the argument handling of dict(...) and d.update(...)
// (name says which, for the error): at most one mapping or iterable of
// pairs, then the keyword arguments, set on d; the result's size is charged
// to the budget.
func dictUpdateCall(st *py.State, name string, d *py.Dict, args []any, kw *py.Kwargs) error {
	if len(args) > 1 {
		return typeErr("%s expected at most 1 argument, got %d", name, len(args))
	}
	if len(args) == 1 {
		if err := dictUpdate(st, d, args[0]); err != nil {
			return err
		}
	}
	if kw != nil {
		for i, n := range kw.Names {
			d.SetStr(n, kw.Values[i])
		}
	}
	return newColl(st, d.Len())
}

func dictFromKeys(st *py.State, args []any) (any, error) {
	if err := nargs("fromkeys", args, 1, 2); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if err := newColl(st, len(items)); err != nil {
		return nil, err
	}
	var val any
	if len(args) == 2 {
		val = args[1]
	}
	out := py.NewDict(len(items))
	for _, k := range items {
		if err := out.Set(k, val); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// setMethodFunc is a set method taking its receiver as a *py.Set (and no
// keyword arguments).
type setMethodFunc = func(st *py.State, s *py.Set, args []any) (any, error)

// setRecv makes f the method set.name.
func setRecv(name string, f setMethodFunc) py.MethodFunc {
	return func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		s, ok := recv.(*py.Set)
		if !ok {
			return nil, typeErr("descriptor '%s' for 'set' objects doesn't apply to a '%s' object", name, tn(recv))
		}
		if err := noKw("set."+name, kw); err != nil {
			return nil, err
		}
		return f(st, s, args)
	}
}

// toSet builds a set from any iterable (a *py.Set is returned as is).
func toSet(st *py.State, v any) (*py.Set, error) {
	if s, ok := v.(*py.Set); ok {
		return s, nil
	}
	items, err := py.Iterate(st, v)
	if err != nil {
		return nil, err
	}
	s := py.NewSet(len(items))
	for _, it := range items {
		if err := s.Add(it); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// setMethods is the table of the methods of set.
func setMethods() map[string]py.MethodFunc {
	return map[string]py.MethodFunc{
		"add":                  setRecv("add", setAdd),
		"clear":                setRecv("clear", setClear),
		"copy":                 setRecv("copy", setCopy),
		"discard":              setRecv("discard", setDiscard),
		"remove":               setRecv("remove", setRemove),
		"pop":                  setRecv("pop", setPop),
		"union":                setRecv("union", setCombineOf("union")),
		"update":               setRecv("update", setCombineOf("update")),
		"intersection":         setRecv("intersection", setCombineOf("intersection")),
		"difference":           setRecv("difference", setCombineOf("difference")),
		"symmetric_difference": setRecv("symmetric_difference", setCombineOf("symmetric_difference")),
		"issubset":             setRecv("issubset", setRelationOf("issubset")),
		"issuperset":           setRecv("issuperset", setRelationOf("issuperset")),
		"isdisjoint":           setRecv("isdisjoint", setRelationOf("isdisjoint")),
	}
}

func setAdd(st *py.State, s *py.Set, args []any) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("set.add() takes exactly one argument (%d given)", len(args))
	}
	if err := newColl(st, s.Len()+1); err != nil {
		return nil, err
	}
	return nil, s.Add(args[0])
}

func setClear(st *py.State, s *py.Set, args []any) (any, error) {
	for _, e := range s.Elems() {
		if _, err := s.Remove(e); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func setCopy(st *py.State, s *py.Set, args []any) (any, error) {
	if err := newColl(st, s.Len()); err != nil {
		return nil, err
	}
	return s.Copy(), nil
}

func setDiscard(st *py.State, s *py.Set, args []any) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("set.discard() takes exactly one argument (%d given)", len(args))
	}
	_, err := s.Remove(args[0])
	return nil, err
}

func setRemove(st *py.State, s *py.Set, args []any) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("set.remove() takes exactly one argument (%d given)", len(args))
	}
	ok, err := s.Remove(args[0])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, keyErr(args[0])
	}
	return nil, nil
}

func setPop(st *py.State, s *py.Set, args []any) (any, error) {
	el := s.Elems()
	if len(el) == 0 {
		return nil, py.Errorf(py.KeyError, "'pop from an empty set'")
	}
	_, err := s.Remove(el[0])
	return el[0], err
}

// setCombineOf returns set.union, update, intersection, difference or
// symmetric_difference.
func setCombineOf(name string) setMethodFunc {
	return func(st *py.State, s *py.Set, args []any) (any, error) {
		out := s.Copy()
		for _, a := range args {
			o, err := toSet(st, a)
			if err != nil {
				return nil, err
			}
			if err := newColl(st, out.Len()+o.Len()); err != nil {
				return nil, err
			}
			switch name {
			case "union", "update":
				for _, e := range o.Elems() {
					if err := out.Add(e); err != nil {
						return nil, err
					}
				}
			case "intersection":
				next := py.NewSet(0)
				for _, e := range out.Elems() {
					if ok, _ := o.Has(e); ok {
						_ = next.Add(e)
					}
				}
				out = next
			case "difference":
				for _, e := range o.Elems() {
					if _, err := out.Remove(e); err != nil {
						return nil, err
					}
				}
			case "symmetric_difference":
				for _, e := range o.Elems() {
					if ok, _ := out.Has(e); ok {
						_, _ = out.Remove(e)
					} else if err := out.Add(e); err != nil {
						return nil, err
					}
				}
			}
		}
		if name == "update" {
			for _, e := range out.Elems() {
				if err := s.Add(e); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}
		return out, nil
	}
}

// setRelationOf returns set.issubset, issuperset or isdisjoint.
func setRelationOf(name string) setMethodFunc {
	return func(st *py.State, s *py.Set, args []any) (any, error) {
		if len(args) != 1 {
			return nil, typeErr("set.%s() takes exactly one argument (%d given)", name, len(args))
		}
		o, err := toSet(st, args[0])
		if err != nil {
			return nil, err
		}
		a, b := s, o
		if name == "issuperset" {
			a, b = o, s
		}
		for _, e := range a.Elems() {
			ok, _ := b.Has(e)
			if name == "isdisjoint" && ok {
				return false, nil
			}
			if name != "isdisjoint" && !ok {
				return false, nil
			}
		}
		return true, nil
	}
}

// dictViewOf returns dict.keys, values or items (kind is the view's type).
func dictViewOf(kind string) dictMethodFunc {
	return func(st *py.State, d *py.Dict, args []any, kw *py.Kwargs) (any, error) {
		if len(args) > 0 {
			return nil, typeErr("dict.%s() takes no arguments (%d given)", strings.TrimPrefix(kind, "dict_"), len(args))
		}
		if err := newColl(st, d.Len()); err != nil {
			return nil, err
		}
		var items []any
		switch kind {
		case "dict_keys":
			items = d.Keys()
		case "dict_values":
			items = d.Values()
		default:
			for _, t := range d.Items() {
				items = append(items, t)
			}
		}
		if items == nil {
			items = []any{}
		}
		return &DictView{Kind: kind, Items: items}, nil
	}
}
