package py

import (
	"math"
	"math/big"
	"strings"
)

// Truth returns Python's truth value of v: None, False, 0, 0.0, "" and empty
// containers are false; Objects implementing Truther or Lener decide;
// others are true.
func Truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case string:
		return x != ""
	case float64:
		return x != 0
	case *List:
		return len(x.items()) > 0
	case *Dict:
		return x.Len() > 0
	case Tuple:
		return len(x) > 0
	case *Set:
		return x.Len() > 0
	case *big.Int:
		return x.Sign() != 0
	case Truther:
		return x.Truth()
	case Lener:
		return x.Len() > 0
	}
	return true
}

// TypeName returns Python's type name of v: 'NoneType', 'bool', 'int',
// 'float', 'str', 'list', 'tuple', 'dict', 'set', 'builtin_function_or_method',
// 'module', or the Object's TypeName ("object" for foreign Go values).
func TypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case *List:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *Set:
		return "set"
	case Object:
		return x.TypeName()
	}
	return "object"
}

// maxEqualDepth bounds the recursion of Equal and Compare (deeper values
// compare unequal, where CPython raises RecursionError).
const maxEqualDepth = 200

// Equal implements a == b: numbers compare by value across int, float, big
// int and bool (1 == 1.0 == True), NaN != NaN, containers compare deeply
// with CPython's identity shortcut for elements (x is y or x == y), dicts
// and sets regardless of order. Objects implementing Equaler decide.
func Equal(a, b any) bool { return equal(a, b, 0, nil) }

// EqualChecked is Equal charging st one work unit per element compared, so
// that comparing huge nested containers in a loop stops with a LimitError.
func EqualChecked(st *State, a, b any) (bool, error) {
	w := budget{st: st}
	r := equal(a, b, 0, &w)
	return r, w.err
}

// CompareChecked is Compare charging st like EqualChecked.
func CompareChecked(st *State, op string, a, b any) (bool, error) {
	w := budget{st: st}
	r, err := compare(op, a, b, 0, &w)
	if w.err != nil {
		return false, w.err
	}
	return r, err
}

// budget carries the State of a charged comparison and its first error.
type budget struct {
	st  *State
	err error
}

// charge spends n units; false once the budget is exhausted.
func (w *budget) charge(n int) bool {
	if w == nil || w.st == nil {
		return true
	}
	if w.err != nil {
		return false
	}
	if err := w.st.Charge(int64(n)); err != nil {
		w.err = err
		return false
	}
	return true
}

func equal(a, b any, depth int, w *budget) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return !math.IsNaN(y) && cmpInt64Float(x, y) == 0
		case bool:
			return x == b2i(y)
		case *big.Int:
			return y.IsInt64() && y.Int64() == x
		}
		return equalObj(a, b)
	case nil:
		if b == nil {
			return true
		}
		return equalObj(a, b)
	case bool, float64, *big.Int:
		c, ok := numCmp(a, b)
		if ok {
			return c == 0
		}
		return equalObj(a, b)
	case *List:
		y, ok := b.(*List)
		if !ok {
			return equalObj(a, b)
		}
		if x == y {
			return true
		}
		return equalSeq(x.items(), y.items(), depth, w)
	case Tuple:
		y, ok := b.(Tuple)
		if !ok {
			return equalObj(a, b)
		}
		return equalSeq(x, y, depth, w)
	case *Dict:
		y, ok := b.(*Dict)
		if !ok {
			return equalObj(a, b)
		}
		if x == y {
			return true
		}
		if x.Len() != y.Len() || depth > maxEqualDepth || !w.charge(x.Len()) {
			return false
		}
		if x.Len() == 0 {
			return true
		}
		for i := range x.ents() {
			e := &x.entries[i]
			j := y.find(e.hk)
			if j < 0 {
				return false
			}
			v := y.entries[j].val
			if !Is(e.val, v) && !equal(e.val, v, depth+1, w) {
				return false
			}
		}
		return true
	case *Set:
		y, ok := b.(*Set)
		if !ok {
			return equalObj(a, b)
		}
		if x.Len() != y.Len() || !w.charge(x.Len()) {
			return false
		}
		if x.Len() == 0 {
			return true
		}
		for i := range x.ents() {
			if !y.hasHK(x.d.entries[i].hk) {
				return false
			}
		}
		return true
	}
	return equalObj(a, b)
}

func equalObj(a, b any) bool {
	if e, ok := a.(Equaler); ok {
		return e.Equal(b)
	}
	if e, ok := b.(Equaler); ok {
		return e.Equal(a)
	}
	switch a.(type) {
	case *Func, *Module:
		return a == b
	}
	if o, ok := a.(Object); ok {
		if p, ok := b.(Object); ok {
			return isSamePointer(o, p)
		}
	}
	return false
}

// isSamePointer compares two interface values for identity without
// panicking on non-comparable dynamic types.
func isSamePointer(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

func equalSeq(x, y []any, depth int, w *budget) bool {
	if len(x) != len(y) {
		return false
	}
	if depth > maxEqualDepth || !w.charge(len(x)) {
		return false
	}
	for i := range x {
		if !Is(x[i], y[i]) && !equal(x[i], y[i], depth+1, w) {
			return false
		}
	}
	return true
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Compare implements op in "<", "<=", ">", ">=" (also "==" and "!="):
// numbers of mixed kinds exactly, strings by code point, lists and tuples
// lexicographically, sets by inclusion; otherwise TypeError
// "'<' not supported between instances of 'str' and 'int'".
func Compare(op string, a, b any) (bool, error) {
	// Fast paths: same-kind numbers and strings.
	switch x := a.(type) {
	case float64:
		if y, ok := b.(float64); ok {
			switch op {
			case "<":
				return x < y, nil
			case "<=":
				return x <= y, nil
			case ">":
				return x > y, nil
			case ">=":
				return x >= y, nil
			}
		}
	case int64:
		if y, ok := b.(int64); ok {
			switch op {
			case "<":
				return x < y, nil
			case "<=":
				return x <= y, nil
			case ">":
				return x > y, nil
			case ">=":
				return x >= y, nil
			}
		}
	}
	return compare(op, a, b, 0, nil)
}

func compare(op string, a, b any, depth int, w *budget) (bool, error) {
	switch op {
	case "==":
		return equal(a, b, depth, w), nil
	case "!=":
		return !equal(a, b, depth, w), nil
	case "<", "<=", ">", ">=":
	default:
		return false, newErr(SyntaxError, "unknown comparison operator "+op)
	}
	if depth > maxEqualDepth {
		return false, newErr(LimitError, "maximum nesting depth exceeded in comparison")
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return cmpResult(op, strings.Compare(x, y)), nil
		}
	case int64, float64, bool, *big.Int:
		if k, _, _, _ := number(b); k != kNone {
			c, ok := numCmp(a, b)
			if !ok {
				return false, nil // NaN
			}
			return cmpResult(op, c), nil
		}
	case *List:
		if y, ok := b.(*List); ok {
			return compareSeq(op, x.items(), y.items(), depth, w)
		}
	case Tuple:
		if y, ok := b.(Tuple); ok {
			return compareSeq(op, x, y, depth, w)
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			switch op {
			case "<":
				return x.Len() < y.Len() && subset(x, y), nil
			case "<=":
				return x.Len() <= y.Len() && subset(x, y), nil
			case ">":
				return x.Len() > y.Len() && subset(y, x), nil
			default:
				return x.Len() >= y.Len() && subset(y, x), nil
			}
		}
	}
	if o, ok := a.(Ordered); ok {
		if c, ok := o.Cmp(b); ok {
			return cmpResult(op, c), nil
		}
	}
	if o, ok := b.(Ordered); ok {
		if c, ok := o.Cmp(a); ok {
			return cmpResult(op, -c), nil
		}
	}
	return false, newErr(TypeError, "'"+op+"' not supported between instances of '"+TypeName(a)+"' and '"+TypeName(b)+"'")
}

func subset(x, y *Set) bool {
	for i := range x.ents() {
		if !y.hasHK(x.d.entries[i].hk) {
			return false
		}
	}
	return true
}

func cmpResult(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "==":
		return c == 0
	}
	return c != 0
}

func compareSeq(op string, x, y []any, depth int, w *budget) (bool, error) {
	n := min(len(x), len(y))
	if !w.charge(n) {
		return false, nil
	}
	for i := 0; i < n; i++ {
		if Is(x[i], y[i]) || equal(x[i], y[i], depth+1, w) {
			continue
		}
		return compare(op, x[i], y[i], depth+1, w)
	}
	c := 0
	if len(x) < len(y) {
		c = -1
	} else if len(x) > len(y) {
		c = 1
	}
	return cmpResult(op, c), nil
}

// Is implements a is b: None, True and False are singletons; *List, *Dict,
// *Set, *Func, *Module and pointer Objects compare by pointer; tuples by
// their backing array (the empty tuple is a singleton). Our ints, floats and
// strings have no identity: they are `is` each other when they are of the
// same type and equal (CPython answers the same for small ints and interned
// strings, and may answer False for other equal values). A NaN is its own
// identity: Is(nan, nan) is true for NaNs with the same bits, as for
// math.nan or one variable in CPython, so [x] == [x] holds for a NaN x
// (CPython's float('nan') in [float('nan')] is False; ours is True).
func Is(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (math.IsNaN(x) && math.IsNaN(y) && math.Float64bits(x) == math.Float64bits(y)))
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case Tuple:
		y, ok := b.(Tuple)
		if !ok || len(x) != len(y) {
			return false
		}
		return len(x) == 0 || &x[0] == &y[0]
	}
	return isSamePointer(a, b)
}

// Contains implements item in container: substring for str, membership for
// list and tuple (is or ==), key membership for dict and set; Iterable
// Objects; TypeError "argument of type 'int' is not iterable".
func Contains(st *State, container, item any) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, newErr(TypeError, "'in <string>' requires string as left operand, not "+TypeName(item))
		}
		if err := st.Charge(int64(len(c)>>4) + 1); err != nil {
			return false, err
		}
		return strings.Contains(c, s), nil
	case *Dict:
		_, ok, err := c.Get(item)
		return ok, err
	case *List:
		return containsSeq(st, c.items(), item)
	case Tuple:
		return containsSeq(st, c, item)
	case *Set:
		return c.Has(item)
	case Iterable:
		items, err := c.Iter(st)
		if err != nil {
			return false, err
		}
		return containsSeq(st, items, item)
	}
	return false, newErr(TypeError, "argument of type '"+TypeName(container)+"' is not iterable")
}

func containsSeq(st *State, items []any, item any) (bool, error) {
	if err := st.Charge(int64(len(items))); err != nil {
		return false, err
	}
	if s, ok := item.(string); ok {
		for _, v := range items {
			if t, ok := v.(string); ok && t == s {
				return true, nil
			}
		}
		for _, v := range items {
			if _, ok := v.(string); !ok && equalObj(v, s) {
				return true, nil
			}
		}
		return false, nil
	}
	w := budget{st: st}
	for _, v := range items {
		if Is(v, item) || equal(v, item, 0, &w) {
			return true, w.err
		}
		if w.err != nil {
			return false, w.err
		}
	}
	return false, nil
}
