package py

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bigPow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

func requireKind(t *testing.T, err error, kind string) *Error {
	t.Helper()
	require.Error(t, err)
	var pe *Error
	require.True(t, errors.As(err, &pe), "not a *py.Error: %v", err)
	require.Equal(t, kind, pe.Kind, "error: %v", err)
	return pe
}

func TestErrorRendering(t *testing.T) {
	e := Errorf(TypeError, "unsupported operand type(s) for +: '%s' and '%s'", "int", "str")
	assert.Equal(t, "TypeError: unsupported operand type(s) for +: 'int' and 'str'", e.Error())
	assert.True(t, errors.Is(e, &Error{Kind: TypeError}))
	assert.False(t, errors.Is(e, &Error{Kind: KeyError}))
	assert.Equal(t, "KeyError", (&Error{Kind: KeyError}).Error())

	long := strings.Repeat("secret", 100)
	d := NewDict(0)
	_, err := GetItem(nil, d, long)
	pe := requireKind(t, err, KeyError)
	assert.LessOrEqual(t, len(pe.Msg), 90)
	assert.True(t, strings.HasSuffix(pe.Msg, "..."), pe.Msg)
	assert.Equal(t, "'abc'", ShortRepr("abc"))
}

func TestDictKeysFollowPythonEquality(t *testing.T) {
	d := NewDict(0)
	require.NoError(t, d.Set(int64(1), "int"))
	require.NoError(t, d.Set(1.0, "float"))
	require.NoError(t, d.Set(true, "bool"))
	require.NoError(t, d.Set("1", "str"))
	require.NoError(t, d.Set(nil, "none"))
	require.NoError(t, d.Set(Tuple{int64(1), "a"}, "tuple"))
	assert.Equal(t, 4, d.Len())
	assert.Equal(t, "{1: 'bool', '1': 'str', None: 'none', (1, 'a'): 'tuple'}", Repr(d))
	v, ok, err := d.Get(Tuple{1.0, "a"})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "tuple", v)

	huge := new(big.Int).Lsh(big.NewInt(1), 70)
	require.NoError(t, d.Set(huge, "big"))
	v, ok, _ = d.Get(math.Ldexp(1, 70))
	assert.True(t, ok)
	assert.Equal(t, "big", v)

	err = d.Set(NewList(nil), 1)
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, "unhashable type: 'list'", pe.Msg)
	_, _, err = d.Get(NewDict(0))
	requireKind(t, err, TypeError)
}

func TestDictGrowDeleteAndOrder(t *testing.T) {
	d := NewDict(0)
	for i := range 40 {
		d.SetStr(strings.Repeat("k", i+1), int64(i))
	}
	require.Equal(t, 40, d.Len())
	ok, err := d.Delete("kkk")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, _ = d.Delete("kkk")
	assert.False(t, ok)
	_, found := d.GetStr("kkk")
	assert.False(t, found)
	v, found := d.GetStr("kkkk")
	assert.True(t, found)
	assert.Equal(t, int64(3), v)
	keys := d.Keys()
	assert.Equal(t, "k", keys[0])
	assert.Equal(t, "kkkk", keys[2])
	d.SetStr("k", "again") // keeps its place
	assert.Equal(t, "k", d.KeyAt(0))
	assert.Equal(t, "again", d.ValueAt(0))
	c := d.Copy()
	c.SetStr("new", 1)
	assert.Equal(t, 39, d.Len())
	assert.Equal(t, 40, c.Len())
	items := d.Items()
	assert.Equal(t, Tuple{"k", "again"}, items[0])
	assert.Len(t, d.Values(), 39)
}

func TestSetBasics(t *testing.T) {
	s := NewSet(0)
	for _, v := range []any{int64(3), int64(1), 1.0, true, "a", Tuple{int64(1)}} {
		require.NoError(t, s.Add(v))
	}
	assert.Equal(t, 4, s.Len())
	has, err := s.Has(int64(3))
	require.NoError(t, err)
	assert.True(t, has)
	_, err = s.Has(NewList(nil))
	requireKind(t, err, TypeError)
	assert.Equal(t, "set()", Repr(NewSet(0)))
}

func TestTruthTypeNameLen(t *testing.T) {
	cases := []struct {
		v     any
		truth bool
		name  string
	}{
		{nil, false, "NoneType"}, {true, true, "bool"}, {int64(0), false, "int"}, {bigPow10(30), true, "int"},
		{0.0, false, "float"}, {math.NaN(), true, "float"}, {"", false, "str"}, {"x", true, "str"},
		{NewList(nil), false, "list"}, {Tuple{nil}, true, "tuple"}, {NewDict(0), false, "dict"}, {NewSet(0), false, "set"},
		{&Func{Name: "len"}, true, "builtin_function_or_method"}, {&Module{Name: "math"}, true, "module"},
	}
	for _, c := range cases {
		assert.Equal(t, c.truth, Truth(c.v), "Truth(%s)", Repr(c.v))
		assert.Equal(t, c.name, TypeName(c.v))
	}
	n, err := Len("héllo🎉")
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	_, err = Len(int64(3))
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, "object of type 'int' has no len()", pe.Msg)
}

func TestIsAndContains(t *testing.T) {
	l := NewList([]any{int64(1), "a", 2.5, Tuple{int64(1), int64(2)}})
	assert.True(t, Is(nil, nil))
	assert.True(t, Is(l, l))
	assert.False(t, Is(l, NewList(l.Items)))
	assert.False(t, Is(int64(1), true))
	assert.False(t, Is(int64(1), 1.0))
	assert.True(t, Is(Tuple{}, Tuple{}))

	for _, c := range []struct {
		container, item any
		want            bool
	}{
		{"hello", "ell", true}, {"hello", "", true}, {"hello", "x", false},
		{l, true, true}, {l, 1.0, true}, {l, "b", false}, {l, Tuple{1.0, 2.0}, true},
		{NewDict(0), "a", false},
	} {
		got, err := Contains(nil, c.container, c.item)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s in %s", Repr(c.item), Repr(c.container))
	}
	_, err := Contains(nil, int64(3), int64(1))
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, "argument of type 'int' is not iterable", pe.Msg)
	_, err = Contains(nil, "abc", int64(1))
	pe = requireKind(t, err, TypeError)
	assert.Equal(t, "'in <string>' requires string as left operand, not int", pe.Msg)
	_, err = Contains(nil, NewDict(0), NewList(nil))
	requireKind(t, err, TypeError)
}

func TestEqualDeep(t *testing.T) {
	a := NewDict(0)
	a.SetStr("x", NewList([]any{int64(1), 2.0, Tuple{true}}))
	b := NewDict(0)
	b.SetStr("x", NewList([]any{1.0, int64(2), Tuple{int64(1)}}))
	assert.True(t, Equal(a, b))
	assert.False(t, Equal(math.NaN(), math.NaN()))
	nan := math.NaN()
	assert.True(t, Equal(NewList([]any{nan}), NewList([]any{nan})), "a NaN is its own identity (x = nan; [x] == [x])")
	s1, s2 := NewSet(0), NewSet(0)
	require.NoError(t, s1.Add(int64(1)))
	require.NoError(t, s1.Add("a"))
	require.NoError(t, s2.Add("a"))
	require.NoError(t, s2.Add(1.0))
	assert.True(t, Equal(s1, s2))
	assert.False(t, Equal(NewList(nil), Tuple{}))
	lt, err := Compare("<", s2, s1)
	require.NoError(t, err)
	assert.False(t, lt)
	le, err := Compare("<=", s2, s1)
	require.NoError(t, err)
	assert.True(t, le)
	_, err = Compare("<", "a", int64(1))
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, "'<' not supported between instances of 'str' and 'int'", pe.Msg)
}

func TestReprContainersAndRecursion(t *testing.T) {
	l := NewList([]any{int64(1)})
	l.Items = append(l.Items, l)
	assert.Equal(t, "[1, [...]]", Repr(l))
	d := NewDict(0)
	d.SetStr("self", d)
	assert.Equal(t, "{'self': {...}}", Repr(d))
	assert.Equal(t, "(1,)", Repr(Tuple{int64(1)}))
	assert.Equal(t, "()", Repr(Tuple{}))
	assert.Equal(t, "[None, True, 1.0, 'a', (1, 2), {}]", Repr(NewList([]any{nil, true, 1.0, "a", Tuple{int64(1), int64(2)}, NewDict(0)})))
	assert.Equal(t, "<built-in function len>", Repr(&Func{Name: "len"}))
	assert.Equal(t, "<module 'math'>", Repr(&Module{Name: "math"}))
	assert.Equal(t, "abc", Str("abc"))
	assert.Equal(t, "1e+16", Str(1e16))

	// Deep nesting: Repr cuts, ToRepr reports a LimitError.
	deep := any(int64(0))
	for range 300 {
		deep = NewList([]any{deep})
	}
	assert.Contains(t, Repr(deep), "...")
	_, err := ToRepr(NewState(context.Background(), Limits{}), deep)
	requireKind(t, err, LimitError)

	// CPython's 4300-digit limit for int -> str.
	_, err = ToStr(nil, bigPow10(5000))
	pe := requireKind(t, err, ValueError)
	assert.Contains(t, pe.Msg, "Exceeds the limit (4300 digits)")
	s, err := ToStr(nil, bigPow10(4299))
	require.NoError(t, err)
	assert.Len(t, s, 4300)
}

func TestIterate(t *testing.T) {
	st := NewState(context.Background(), Limits{})
	items, err := Iterate(st, "aé🎉")
	require.NoError(t, err)
	assert.Equal(t, []any{"a", "é", "🎉"}, items)
	d := NewDict(0)
	d.SetStr("b", 1)
	d.SetStr("a", 2)
	items, err = Iterate(st, d)
	require.NoError(t, err)
	assert.Equal(t, []any{"b", "a"}, items)
	l := NewList([]any{int64(1)})
	items, err = Iterate(st, l)
	require.NoError(t, err)
	assert.Same(t, &l.Items[0], &items[0], "lists are not copied")
	_, err = Iterate(st, int64(1))
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, "'int' object is not iterable", pe.Msg)
}

func TestGetItemErrors(t *testing.T) {
	cases := []struct {
		obj, key  any
		kind, msg string
	}{
		{NewList(nil), int64(0), IndexError, "list index out of range"},
		{NewList(nil), "a", TypeError, "list indices must be integers or slices, not str"},
		{"abc", int64(3), IndexError, "string index out of range"},
		{"abc", 1.0, TypeError, "string indices must be integers, not 'float'"},
		{int64(1), int64(0), TypeError, "'int' object is not subscriptable"},
		{NewDict(0), "x", KeyError, "'x'"},
		{NewDict(0), NewList(nil), TypeError, "unhashable type: 'list'"},
	}
	for _, c := range cases {
		_, err := GetItem(nil, c.obj, c.key)
		pe := requireKind(t, err, c.kind)
		assert.Equal(t, c.msg, pe.Msg)
	}
	_, err := GetSlice(nil, "abc", nil, nil, int64(0))
	pe := requireKind(t, err, ValueError)
	assert.Equal(t, "slice step cannot be zero", pe.Msg)
}

func TestLimitsStopHugeWorkQuickly(t *testing.T) {
	st := NewState(context.Background(), Limits{})
	start := time.Now()
	_, err := Mul(st, "a", bigPow10(10))
	requireKind(t, err, LimitError)
	st.Reset(context.Background(), Limits{})
	_, err = Mul(st, NewList([]any{int64(0)}), int64(1_000_000_000))
	requireKind(t, err, LimitError)
	st.Reset(context.Background(), Limits{})
	nine9, err := Pow(st, int64(9), int64(9))
	require.NoError(t, err)
	_, err = Pow(st, int64(9), nine9)
	requireKind(t, err, LimitError)
	_, err = Pow(st, int64(2), bigPow10(20))
	requireKind(t, err, LimitError)
	_, err = LShift(st, int64(1), int64(1_000_000))
	requireKind(t, err, LimitError)
	_, err = Format(st, int64(1), "999999999")
	requireKind(t, err, LimitError)
	assert.Less(t, time.Since(start), 100*time.Millisecond)

	// Byte budget across operations.
	st.Reset(context.Background(), Limits{MaxBytes: 1000})
	s := any("x")
	for range 20 {
		s, err = Add(st, s, s)
		if err != nil {
			break
		}
	}
	requireKind(t, err, LimitError)

	// Ops budget.
	st.Reset(context.Background(), Limits{MaxOps: 100_000})
	for err == nil {
		err = st.Charge(1000)
	}
	requireKind(t, err, LimitError)

	// Values below the limits stay exact.
	st.Reset(context.Background(), Limits{})
	v, err := Pow(st, int64(3), int64(200))
	require.NoError(t, err)
	assert.Equal(t, new(big.Int).Exp(big.NewInt(3), big.NewInt(200), nil), v)
}

func TestContextCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := NewState(ctx, Limits{})
	var err error
	for i := 0; i < 1_000_000 && err == nil; i++ {
		err = st.Charge(1)
	}
	requireKind(t, err, LimitError)
	assert.ErrorIs(t, err, ErrCanceled)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestIntNormalization(t *testing.T) {
	st := NewState(context.Background(), Limits{})
	v, err := Add(st, int64(math.MaxInt64), int64(1))
	require.NoError(t, err)
	require.IsType(t, (*big.Int)(nil), v)
	back, err := Sub(st, v, int64(1))
	require.NoError(t, err)
	assert.Equal(t, int64(math.MaxInt64), back)
	v, err = Mul(st, int64(math.MinInt64), int64(-1))
	require.NoError(t, err)
	assert.Equal(t, "9223372036854775808", Repr(v))
	v, err = FloorDiv(st, int64(math.MinInt64), int64(-1))
	require.NoError(t, err)
	assert.Equal(t, "9223372036854775808", Repr(v))
	v, err = Neg(int64(math.MinInt64))
	require.NoError(t, err)
	assert.Equal(t, "9223372036854775808", Repr(v))
	assert.Equal(t, int64(5), NormInt(big.NewInt(5)))
}

func TestSetAndDictOperators(t *testing.T) {
	st := NewState(context.Background(), Limits{})
	a, b := NewSet(0), NewSet(0)
	for _, v := range []int64{1, 2, 3} {
		require.NoError(t, a.Add(v))
	}
	for _, v := range []int64{2, 3, 4} {
		require.NoError(t, b.Add(v))
	}
	for _, c := range []struct {
		op, want string
	}{{"|", "{1, 2, 3, 4}"}, {"&", "{2, 3}"}, {"-", "{1}"}, {"^", "{1, 4}"}} {
		v, err := BinaryOp(st, c.op, a, b)
		require.NoError(t, err)
		assert.Equal(t, c.want, Repr(v), c.op)
	}
	d1, d2 := NewDict(0), NewDict(0)
	d1.SetStr("a", int64(1))
	d1.SetStr("b", int64(2))
	d2.SetStr("b", int64(3))
	d2.SetStr("c", int64(4))
	v, err := BitOr(st, d1, d2)
	require.NoError(t, err)
	assert.Equal(t, "{'a': 1, 'b': 3, 'c': 4}", Repr(v))
	assert.Equal(t, 2, d1.Len(), "operands unchanged")
	_, err = Add(st, NewList(nil), Tuple{})
	pe := requireKind(t, err, TypeError)
	assert.Equal(t, `can only concatenate list (not "tuple") to list`, pe.Msg)
	v, err = Mod(st, "%s=%05.1f", Tuple{"x", 2.25})
	require.NoError(t, err)
	assert.Equal(t, "x=002.2", v)
}

func TestAttributesAndCalls(t *testing.T) {
	lib := &Library{
		Methods: map[string]map[string]MethodFunc{
			"dict": {"testkeys": func(st *State, recv any, args []any, kw *Kwargs) (any, error) {
				return NewList(recv.(*Dict).Keys()), nil
			}},
			"int": {"testdouble": func(st *State, recv any, args []any, kw *Kwargs) (any, error) {
				return Mul(st, recv, int64(2))
			}},
		},
		Builtins: map[string]*Func{"testlen": {Name: "testlen", Call: func(st *State, args []any, kw *Kwargs) (any, error) {
			n, err := Len(args[0])
			return int64(n), err
		}}},
		Modules:   map[string]*Module{"test.mod": {Name: "test.mod", Attrs: map[string]any{"pi": 3.14}}},
		Constants: map[string]any{"NEWLINE": "\n"},
	}
	st := NewState(context.Background(), Limits{})
	st.SetLibrary(lib)
	st.Reset(context.Background(), Limits{})
	require.Same(t, lib, st.Library(), "Reset keeps the library")

	d := NewDict(0)
	d.SetStr("title", "key value")
	d.SetStr("testkeys", "shadowed by the method")
	d.SetStr("fn", &Func{Name: "fn", Call: func(st *State, args []any, kw *Kwargs) (any, error) { return "called", nil }})

	v, err := GetAttr(st, d, "title")
	require.NoError(t, err)
	assert.Equal(t, "key value", v)
	m, err := GetAttr(st, d, "testkeys")
	require.NoError(t, err)
	v, err = Call(st, m, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "['title', 'testkeys', 'fn']", Repr(v))
	v, err = CallMethod(st, d, "testkeys", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "['title', 'testkeys', 'fn']", Repr(v))
	v, err = CallMethod(st, d, "fn", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "called", v)

	_, err = GetAttr(st, d, "missing")
	pe := requireKind(t, err, AttributeError)
	assert.Equal(t, "'dict' object has no attribute 'missing' (and no key 'missing')", pe.Msg)
	_, err = GetAttr(st, d, "__class__")
	requireKind(t, err, SecurityError)
	_, err = CallMethod(st, "abc", "_private", nil, nil)
	requireKind(t, err, SecurityError)

	v, err = CallMethod(st, true, "testdouble", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), v, "int methods apply to bools")
	_, err = CallMethod(st, "abc", "nope", nil, nil)
	pe = requireKind(t, err, AttributeError)
	assert.Equal(t, "'str' object has no attribute 'nope'", pe.Msg)

	_, err = NewState(context.Background(), Limits{}).Library().GetAttr(nil, "abc", "upper")
	pe = requireKind(t, err, AttributeError)
	assert.Equal(t, "'str' object has no attribute 'upper'", pe.Msg, "no library, no methods")
	c, ok := lib.Constant("NEWLINE")
	assert.True(t, ok)
	assert.Equal(t, "\n", c)

	mod, ok := lib.Module("test.mod")
	require.True(t, ok)
	v, err = GetAttr(st, mod, "pi")
	require.NoError(t, err)
	assert.Equal(t, 3.14, v)
	_, err = GetAttr(st, mod, "tau")
	pe = requireKind(t, err, AttributeError)
	assert.Equal(t, "module 'test.mod' has no attribute 'tau'", pe.Msg)

	f, ok := lib.Builtin("testlen")
	require.True(t, ok)
	v, err = Call(st, f, []any{"abc"}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(3), v)
	_, err = Call(st, int64(1), nil, nil)
	pe = requireKind(t, err, TypeError)
	assert.Equal(t, "'int' object is not callable", pe.Msg)
}

func TestParseArgs(t *testing.T) {
	kw := func(pairs ...any) *Kwargs {
		k := &Kwargs{}
		for i := 0; i < len(pairs); i += 2 {
			k.Names = append(k.Names, pairs[i].(string))
			k.Values = append(k.Values, pairs[i+1])
		}
		return k
	}
	got, err := ParseArgs("get", []any{"k"}, nil, []string{"key", "default"}, 1)
	require.NoError(t, err)
	assert.Equal(t, []any{"k", Missing}, got)
	got, err = ParseArgs("split", nil, kw("maxsplit", int64(1)), []string{"sep", "maxsplit"}, 0)
	require.NoError(t, err)
	assert.Equal(t, []any{Missing, int64(1)}, got)
	got, err = ParseArgs("sorted", []any{"x"}, kw("reverse", true), []string{"iterable", "/", "*", "key", "reverse"}, 1)
	require.NoError(t, err)
	assert.Equal(t, []any{"x", Missing, true}, got)

	for _, c := range []struct {
		args  []any
		kw    *Kwargs
		names []string
		min   int
		msg   string
	}{
		{[]any{1, 2, 3}, nil, []string{"a", "b"}, 0, "f() takes at most 2 arguments (3 given)"},
		{[]any{1, 2}, nil, []string{"a"}, 1, "f() takes exactly 1 argument (2 given)"},
		{nil, nil, []string{"a", "b"}, 1, "f() missing required argument 'a' (pos 1)"},
		{nil, kw("x", 1), []string{"a"}, 0, "f() got an unexpected keyword argument 'x'"},
		{[]any{1}, kw("a", 1), []string{"a"}, 0, "argument for f() given by name ('a') and position (1)"},
		{nil, kw("a", 1), []string{"a", "/"}, 0, "f() got some positional-only arguments passed as keyword arguments: 'a'"},
		{[]any{1, 2}, nil, []string{"a", "*", "b"}, 1, "f() takes at most 1 positional argument (2 given)"},
		{[]any{1}, nil, []string{"a", "*", "b"}, 2, "f() missing required keyword-only argument: 'b'"},
	} {
		_, err := ParseArgs("f", c.args, c.kw, c.names, c.min)
		pe := requireKind(t, err, TypeError)
		assert.Equal(t, c.msg, pe.Msg)
	}
}

func TestFromGoToGo(t *testing.T) {
	in := map[string]any{
		"b": []any{1, int32(2), uint64(math.MaxUint64), float32(1.5), "s", nil, true},
		"a": map[string]any{"n": "12345678901234567890123"},
		"c": []string{"x"},
	}
	v, err := FromGo(in)
	require.NoError(t, err)
	assert.Equal(t, "{'a': {'n': '12345678901234567890123'}, 'b': [1, 2, 18446744073709551615, 1.5, 's', None, True], 'c': ['x']}", Repr(v))
	n, err := FromGo(jsonNumber("12"))
	require.NoError(t, err)
	assert.Equal(t, int64(12), n)
	n, err = FromGo(jsonNumber("1.0"))
	require.NoError(t, err)
	assert.Equal(t, 1.0, n)
	_, err = FromGo(struct{}{})
	requireKind(t, err, TypeError)
	l := NewList(nil)
	same, err := FromGo(l)
	require.NoError(t, err)
	assert.Same(t, l, same)

	d := NewDict(0)
	d.SetStr("x", Tuple{int64(1), 2.5})
	require.NoError(t, d.Set(int64(3), nil))
	assert.Equal(t, map[string]any{"x": []any{int64(1), 2.5}, "3": nil}, ToGo(d))
}

func TestJSONRoundTrip(t *testing.T) {
	v, err := DecodeJSON([]byte(`{"z": 1, "a": [1.0, 2, 123456789012345678901234567890, "é"], "n": null}`))
	require.NoError(t, err)
	assert.Equal(t, "{'z': 1, 'a': [1.0, 2, 123456789012345678901234567890, 'é'], 'n': None}", Repr(v))
	out, err := MarshalJSON(v)
	require.NoError(t, err)
	assert.Equal(t, `{"z":1,"a":[1.0,2,123456789012345678901234567890,"é"],"n":null}`, string(out))
	out, err = v.(*Dict).MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `{"z":1,"a":[1.0,2,123456789012345678901234567890,"é"],"n":null}`, string(out))

	l := NewList(nil)
	l.Items = append(l.Items, l)
	_, err = MarshalJSON(l)
	requireKind(t, err, ValueError)
}

type jsonNumber = jsonNumberT

type jsonNumberT = json.Number

func TestComplex(t *testing.T) {
	st := NewState(context.Background(), Limits{})
	c := Complex(complex(1, 2))
	for _, tc := range []struct {
		op   string
		a, b any
		want string
	}{
		{"*", c, int64(2), "(2+4j)"},
		{"/", c, Complex(complex(3, -4)), "(-0.2+0.4j)"},
		{"**", c, int64(2), "(-3+4j)"},
		{"**", c, 0.5, "(1.272019649514069+0.7861513777574233j)"},
		{"**", int64(2), Complex(complex(0, 1)), "(0.7692389013639721+0.6389612763136348j)"},
		{"**", Complex(complex(0, 1)), int64(-1), "-1j"},
		{"+", c, int64(1), "(2+2j)"},
		{"**", int64(-8), 1.0 / 3, "(1.0000000000000002+1.7320508075688772j)"},
	} {
		v, err := BinaryOp(st, tc.op, tc.a, tc.b)
		require.NoError(t, err)
		assert.Equal(t, tc.want, Repr(v), "%s %s %s", Repr(tc.a), tc.op, Repr(tc.b))
	}
	assert.Equal(t, "(-0+2j)", Repr(Complex(complex(math.Copysign(0, -1), 2))))
	assert.Equal(t, "(1.5-0j)", Repr(Complex(complex(1.5, math.Copysign(0, -1)))))
	assert.Equal(t, "(nan+infj)", Repr(Complex(complex(math.NaN(), math.Inf(1)))))
	assert.True(t, Equal(Complex(complex(1, 0)), true))
	assert.True(t, Equal(int64(1), Complex(complex(1, 0))))
	_, err := BinaryOp(st, "**", Complex(0), int64(-1))
	pe := requireKind(t, err, ZeroDivisionError)
	assert.Equal(t, "0.0 to a negative or complex power", pe.Msg)
	_, err = Compare("<", c, c)
	requireKind(t, err, TypeError)
	_, err = FloorDiv(st, c, int64(2))
	pe = requireKind(t, err, TypeError)
	assert.Equal(t, "unsupported operand type(s) for //: 'complex' and 'int'", pe.Msg)
	a, err := Complex(complex(3, 4)).Abs()
	require.NoError(t, err)
	assert.Equal(t, 5.0, a)
	d := NewDict(0)
	require.NoError(t, d.Set(Complex(complex(2, 0)), "x"))
	v, ok, err := d.Get(2.0)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "x", v)
}

func TestCheckedComparisonsChargeWork(t *testing.T) {
	items := make([]any, 1000)
	for i := range items {
		items[i] = NewList([]any{int64(1), int64(2), int64(3)})
	}
	a, b := NewList(items), NewList(append([]any(nil), items...))
	st := NewState(context.Background(), Limits{})
	eq, err := EqualChecked(st, a, b)
	require.NoError(t, err)
	assert.True(t, eq)
	assert.GreaterOrEqual(t, st.Ops(), int64(1000))

	st.Reset(context.Background(), Limits{MaxOps: 500})
	_, err = EqualChecked(st, a, b)
	requireKind(t, err, LimitError)
	st.Reset(context.Background(), Limits{MaxOps: 500})
	_, err = CompareChecked(st, "<", a, b)
	requireKind(t, err, LimitError)
	lt, err := CompareChecked(NewState(context.Background(), Limits{}), "<", a, NewList(append(append([]any(nil), items...), int64(0))))
	require.NoError(t, err)
	assert.True(t, lt)
}

func TestMarshalJSONInvalidUTF8(t *testing.T) {
	out, err := MarshalJSON("a\xffb")
	require.NoError(t, err)
	assert.True(t, json.Valid(out), string(out))
	assert.Equal(t, "\"a\uFFFDb\"", string(out))
}

func TestEncodingJSONUsesPythonForms(t *testing.T) {
	s := NewSet(0)
	require.NoError(t, s.Add(int64(3)))
	require.NoError(t, s.Add(int64(1)))
	d := NewDict(0)
	d.SetStr("f", 1.0)
	d.SetStr("t", Tuple{2.0, s})
	out, err := json.Marshal(map[string]any{"v": d})
	require.NoError(t, err)
	assert.Equal(t, `{"v":{"f":1.0,"t":[2.0,[1,3]]}}`, string(out))
}

func TestNilContainersDoNotPanic(t *testing.T) {
	var l *List
	var d *Dict
	var s *Set
	st := NewState(context.Background(), Limits{})
	for _, v := range []any{l, d, s} {
		assert.NotPanics(t, func() {
			_ = Repr(v)
			_, _ = Len(v)
			_, _ = Iterate(st, v)
			_ = Truth(v)
			_ = Equal(v, v)
			_, _ = GetItem(st, v, int64(0))
			_, _ = Contains(st, v, int64(0))
			_, _ = MarshalJSON(v)
			_ = ToGo(v)
		}, TypeName(v))
	}
	assert.Equal(t, "[]", Repr(l))
	assert.True(t, Equal(l, NewList(nil)))
	assert.True(t, Equal(d, NewDict(0)))
}

func TestUnderscoreNames(t *testing.T) {
	assert.NoError(t, CheckName("_"))
	assert.NoError(t, CheckName("x_"))
	requireKind(t, CheckName("__import__"), SecurityError)
	d := NewDict(0)
	d.SetStr("_", 1)
	_, err := GetAttr(nil, d, "_")
	requireKind(t, err, SecurityError)
	v, err := GetItem(nil, d, "_")
	require.NoError(t, err)
	assert.Equal(t, 1, v)
}

func TestHash(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int64
	}{
		{int64(1), 1}, {int64(-1), -2}, {true, 1}, {1.5, 1152921504606846977}, {1.0, 1},
		{bigPow10(30), 1000000000000000000000000000000 % (1<<61 - 1)}, {Tuple{int64(1), int64(2)}, -3550055125485641917},
		{Complex(complex(1, 2)), 2000007}, {Complex(complex(2, 0)), 2},
	} {
		h, err := Hash(c.v)
		require.NoError(t, err)
		assert.Equal(t, c.want, h, "hash(%s)", Repr(c.v))
	}
	h1, _ := Hash("abc")
	h2, _ := Hash("abc")
	assert.Equal(t, h1, h2)
	_, err := Hash(NewList(nil))
	requireKind(t, err, TypeError)
}

type testKeyObj struct{ n int }

func (o testKeyObj) TypeName() string      { return "thing" }
func (o testKeyObj) Repr() string          { return "<thing>" }
func (o testKeyObj) HashKey() (any, error) { return o, nil }
func (o testKeyObj) Equal(other any) bool  { return other == any(o) }

func TestTupleKeysWithObjects(t *testing.T) {
	d := NewDict(0)
	require.NoError(t, d.Set(Tuple{testKeyObj{1}, "a"}, "one"))
	require.NoError(t, d.Set(Tuple{testKeyObj{2}, "a"}, "two"))
	v, ok, err := d.Get(Tuple{testKeyObj{1}, "a"})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "one", v)
	assert.Equal(t, 2, d.Len())
}

// TestEncodeJSONEscapesLikeCPython pins json.dumps' escaping of DEL and
// control characters with and without ensure_ascii (values from CPython 3.12:
// json.dumps('a\x7fb\x01é') and the same with ensure_ascii=False).
func TestEncodeJSONEscapesLikeCPython(t *testing.T) {
	for _, tc := range []struct {
		ascii bool
		want  string
	}{
		{true, `"a\u007fb\u0001\u00e9"`},
		{false, "\"a\x7fb\\u0001é\""},
	} {
		out, err := EncodeJSON(nil, "a\x7fb\x01é", JSONOptions{EnsureASCII: tc.ascii, Python: true})
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(out), "ensure_ascii=%v", tc.ascii)
	}
}
