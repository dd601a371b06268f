package py

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine/internal/cpycorpus"
)

// golden is testdata/golden.jsonl.gz (engine/internal/cpycorpus format),
// written by testdata/gen_golden.py from real CPython: one group per
// helper, the helper's arguments as inputs (tagged values, see dec).

// result is a golden outcome: a value (OK), an error (Err, Msg), or a repr
// to compare with (Repr, with ByRepr: CPython's complex results, whose
// value we do not model).
type result struct {
	OK     json.RawMessage
	Err    string
	Msg    string
	ByRepr bool
	Repr   string
}

var (
	goldenOnce sync.Once
	goldenData *cpycorpus.Corpus
	goldenErr  error
)

// goldenGroup returns the cases of group g, failing when there are none.
func goldenGroup(t *testing.T, g string) []cpycorpus.Case {
	t.Helper()
	goldenOnce.Do(func() { goldenData, goldenErr = cpycorpus.Load("testdata/golden.jsonl.gz") })
	require.NoError(t, goldenErr)
	cases := goldenData.Group(g)
	require.NotEmpty(t, cases, "group %s", g)
	return cases
}

// want returns the outcome of k.
func want(k cpycorpus.Case) result {
	switch {
	case k.Repr != nil:
		return result{ByRepr: true, Repr: *k.Repr}
	case k.Error != "":
		return result{Err: k.Error, Msg: k.Msg}
	}
	return result{OK: k.Value}
}

// str decodes input i of k as a string.
func str(t *testing.T, k cpycorpus.Case, i int) string {
	t.Helper()
	s, err := k.Str(i)
	require.NoError(t, err)
	return s
}

// dec decodes a tagged golden value into the value model.
func dec(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var parts []json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &parts))
	var tag string
	require.NoError(t, json.Unmarshal(parts[0], &tag))
	switch tag {
	case "n":
		return nil
	case "b":
		var b bool
		require.NoError(t, json.Unmarshal(parts[1], &b))
		return b
	case "i":
		var s string
		require.NoError(t, json.Unmarshal(parts[1], &s))
		b, ok := new(big.Int).SetString(s, 10)
		require.True(t, ok, s)
		return normBig(b)
	case "f":
		var s string
		require.NoError(t, json.Unmarshal(parts[1], &s))
		f, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err, s)
		return f
	case "s":
		var s string
		require.NoError(t, json.Unmarshal(parts[1], &s))
		return s
	case "l", "t":
		var items []json.RawMessage
		require.NoError(t, json.Unmarshal(parts[1], &items))
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = dec(t, it)
		}
		if tag == "t" {
			return Tuple(out)
		}
		return &List{Items: out}
	case "d":
		var items [][]json.RawMessage
		require.NoError(t, json.Unmarshal(parts[1], &items))
		d := NewDict(len(items))
		for _, kv := range items {
			require.NoError(t, d.Set(dec(t, kv[0]), dec(t, kv[1])))
		}
		return d
	}
	t.Fatalf("bad tag %q", tag)
	return nil
}

// same reports whether a and b are the same value with the same types
// (floats bit for bit, NaN equal to NaN).
func same(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return false
		}
		if math.IsNaN(x) {
			return math.IsNaN(y)
		}
		return math.Float64bits(x) == math.Float64bits(y)
	case *List:
		y, ok := b.(*List)
		return ok && sameSeq(x.Items, y.Items)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && sameSeq(x, y)
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := range x.entries {
			if !same(x.entries[i].key, y.entries[i].key) || !same(x.entries[i].val, y.entries[i].val) {
				return false
			}
		}
		return true
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	}
	return a == b
}

func sameSeq(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !same(x[i], y[i]) {
			return false
		}
	}
	return true
}

// checker collects mismatches and reports the first few.
type checker struct {
	t     *testing.T
	name  string
	n     int
	fails []string
}

func (c *checker) check(desc string, want result, got any, err error) {
	c.n++
	var msg string
	switch {
	case want.ByRepr:
		if err != nil || Repr(got) != want.Repr {
			msg = fmt.Sprintf("want %s, got %s, %v", want.Repr, Repr(got), err)
		}
	case want.Err != "":
		var pe *Error
		if !errors.As(err, &pe) {
			msg = fmt.Sprintf("want %s: %s, got value %s", want.Err, want.Msg, Repr(got))
			break
		}
		kind := want.Err
		if kind == "JSONDecodeError" {
			kind = ValueError
		}
		if pe.Kind != kind || pe.Msg != want.Msg {
			msg = fmt.Sprintf("want %s: %s, got %s", kind, want.Msg, pe.Error())
		}
	default:
		w := dec(c.t, want.OK)
		if err != nil {
			msg = fmt.Sprintf("want %s, got error %v", Repr(w), err)
		} else if !same(w, got) {
			msg = fmt.Sprintf("want %s (%s), got %s (%s)", Repr(w), TypeName(w), Repr(got), TypeName(got))
		}
	}
	if msg != "" {
		c.fails = append(c.fails, desc+": "+msg)
	}
}

func (c *checker) done() {
	c.t.Helper()
	if len(c.fails) > 0 {
		shown := c.fails
		if len(shown) > 40 {
			shown = shown[:40]
		}
		c.t.Errorf("%s: %d of %d cases differ from CPython:\n%s", c.name, len(c.fails), c.n, strings.Join(shown, "\n"))
	}
}

func TestGoldenFloatRepr(t *testing.T) {
	c := &checker{t: t, name: "float repr"}
	for _, k := range goldenGroup(t, "float_repr") {
		f := dec(t, k.In[0])
		c.n++
		if got := Repr(f); got != *k.Repr {
			c.fails = append(c.fails, fmt.Sprintf("%s: repr(%s) = %s, want %s", k.Where, *k.Repr, got, *k.Repr))
		}
	}
	c.done()
}

func TestGoldenStrRepr(t *testing.T) {
	c := &checker{t: t, name: "str repr"}
	for _, k := range goldenGroup(t, "str_repr") {
		s := str(t, k, 0)
		c.n++
		if got := Repr(s); got != *k.Repr {
			c.fails = append(c.fails, fmt.Sprintf("%s: repr(%+q) = %s, want %s", k.Where, s, got, *k.Repr))
		}
	}
	c.done()
}

func TestGoldenFormat(t *testing.T) {
	c := &checker{t: t, name: "format"}
	st := NewState(t.Context(), Limits{})
	for _, k := range goldenGroup(t, "format") {
		v, spec := dec(t, k.In[0]), str(t, k, 1)
		got, err := Format(st, v, spec)
		c.check(fmt.Sprintf("format(%s, %q)", Repr(v), spec), want(k), got, err)
	}
	c.done()
}

func TestGoldenArith(t *testing.T) {
	c := &checker{t: t, name: "arithmetic"}
	for _, k := range goldenGroup(t, "arith") {
		op, a, b := str(t, k, 0), dec(t, k.In[1]), dec(t, k.In[2])
		st := NewState(t.Context(), Limits{})
		got, err := BinaryOp(st, op, a, b)
		c.check(fmt.Sprintf("%s %s %s", Repr(a), op, Repr(b)), want(k), got, err)
	}
	c.done()
	u := &checker{t: t, name: "unary"}
	for _, k := range goldenGroup(t, "unary") {
		op, a := str(t, k, 0), dec(t, k.In[1])
		var got any
		var err error
		switch op {
		case "-":
			got, err = Neg(a)
		case "+":
			got, err = Pos(a)
		case "~":
			got, err = Invert(a)
		}
		u.check(op+Repr(a), want(k), got, err)
	}
	u.done()
}

func TestGoldenCompare(t *testing.T) {
	c := &checker{t: t, name: "compare"}
	for _, k := range goldenGroup(t, "compare") {
		op, a, b := str(t, k, 0), dec(t, k.In[1]), dec(t, k.In[2])
		got, err := Compare(op, a, b)
		c.check(fmt.Sprintf("%s %s %s", Repr(a), op, Repr(b)), want(k), got, err)
	}
	c.done()
}

func TestGoldenSlice(t *testing.T) {
	c := &checker{t: t, name: "slice"}
	st := NewState(t.Context(), Limits{})
	for _, k := range goldenGroup(t, "slice") {
		obj, lo, hi, step := dec(t, k.In[0]), dec(t, k.In[1]), dec(t, k.In[2]), dec(t, k.In[3])
		got, err := GetSlice(st, obj, lo, hi, step)
		c.check(fmt.Sprintf("%s[%s:%s:%s]", Repr(obj), Repr(lo), Repr(hi), Repr(step)), want(k), got, err)
	}
	c.done()
	ix := &checker{t: t, name: "index"}
	for _, k := range goldenGroup(t, "index") {
		obj, key := dec(t, k.In[0]), dec(t, k.In[1])
		got, err := GetItem(st, obj, key)
		ix.check(fmt.Sprintf("%s[%s]", Repr(obj), Repr(key)), want(k), got, err)
	}
	ix.done()
}

func TestGoldenJSON(t *testing.T) {
	c := &checker{t: t, name: "json.dumps"}
	for _, k := range goldenGroup(t, "json_dumps") {
		v, mode := dec(t, k.In[0]), str(t, k, 1)
		var out []byte
		var err error
		switch mode {
		case "compact":
			out, err = MarshalJSON(v)
		case "default":
			out, err = EncodeJSON(nil, v, JSONOptions{EnsureASCII: true, Python: true})
		case "indent2":
			out, err = EncodeJSON(nil, v, JSONOptions{EnsureASCII: true, Python: true, Pretty: true, Indent: "  "})
		}
		c.check(mode+" "+Repr(v), want(k), string(out), err)
	}
	c.done()
	l := &checker{t: t, name: "json.loads"}
	for _, k := range goldenGroup(t, "json_loads") {
		text := str(t, k, 0)
		got, err := DecodeJSON([]byte(text))
		l.check(fmt.Sprintf("loads(%q)", text), want(k), got, err)
	}
	l.done()
}

func TestGoldenHashAndSetOrder(t *testing.T) {
	for _, k := range goldenGroup(t, "hash") {
		v := dec(t, k.In[0])
		h, ok := cpythonHash(v, 0)
		require.True(t, ok, Repr(v))
		assert.Equal(t, *k.Repr, strconv.FormatInt(int64(h), 10), "%s: hash(%s)", k.Where, Repr(v))
	}
	c := &checker{t: t, name: "set order"}
	for _, k := range goldenGroup(t, "set_order") {
		xs := dec(t, k.In[0]).(*List)
		s := NewSet(0)
		for _, x := range xs.Items {
			require.NoError(t, s.Add(x))
		}
		c.check("set("+Repr(xs)+")", want(k), NewList(s.Elems()), nil)
	}
	c.done()
}

func TestGoldenPercent(t *testing.T) {
	c := &checker{t: t, name: "printf-style %"}
	for _, k := range goldenGroup(t, "percent") {
		f, a := str(t, k, 0), dec(t, k.In[1])
		st := NewState(t.Context(), Limits{})
		got, err := Mod(st, f, a)
		c.check(fmt.Sprintf("%q %% %s", f, Repr(a)), want(k), got, err)
	}
	c.done()
}

func TestGoldenComplex(t *testing.T) {
	c := &checker{t: t, name: "complex pow"}
	for _, k := range goldenGroup(t, "complex") {
		a, b := dec(t, k.In[1]), dec(t, k.In[2])
		got, err := Pow(nil, a, b)
		c.check(fmt.Sprintf("%s ** %s", Repr(a), Repr(b)), want(k), got, err)
	}
	c.done()
}

func TestGoldenNested(t *testing.T) {
	c := &checker{t: t, name: "nested values"}
	st := NewState(t.Context(), Limits{})
	for _, k := range goldenGroup(t, "nested_repr") {
		a := dec(t, k.In[0])
		c.n++
		if got := Repr(a); got != *k.Repr {
			c.fails = append(c.fails, fmt.Sprintf("%s: repr: want %s, got %s", k.Where, *k.Repr, got))
		}
	}
	for _, k := range goldenGroup(t, "nested_eq") {
		a, b := dec(t, k.In[0]), dec(t, k.In[1])
		eq, err := Compare("==", a, b)
		c.check(fmt.Sprintf("%s == %s", Repr(a), Repr(b)), want(k), eq, err)
	}
	for _, k := range goldenGroup(t, "nested_lt") {
		a, b := dec(t, k.In[0]), dec(t, k.In[1])
		lt, err := Compare("<", a, b)
		c.check(fmt.Sprintf("%s < %s", Repr(a), Repr(b)), want(k), lt, err)
	}
	for _, k := range goldenGroup(t, "nested_in") {
		a, b := dec(t, k.In[0]), dec(t, k.In[1])
		in, err := Contains(st, NewList([]any{b, int64(1), "a"}), a)
		c.check(fmt.Sprintf("%s in [%s, 1, 'a']", Repr(a), Repr(b)), want(k), in, err)
	}
	c.done()
}
