package py

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readGolden returns the decompressed testdata/golden.json.gz.
func readGolden() ([]byte, error) {
	f, err := os.Open("testdata/golden.json.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// golden is testdata/golden.json.gz, written by testdata/gen_golden.py from
// real CPython.
type golden struct {
	Python    string              `json:"python"`
	FloatRepr [][]json.RawMessage `json:"float_repr"`
	StrRepr   [][]string          `json:"str_repr"`
	Format    [][]json.RawMessage `json:"format"`
	Arith     [][]json.RawMessage `json:"arith"`
	Unary     [][]json.RawMessage `json:"unary"`
	Compare   [][]json.RawMessage `json:"compare"`
	Slice     [][]json.RawMessage `json:"slice"`
	Index     [][]json.RawMessage `json:"index"`
	JSONDumps [][]json.RawMessage `json:"json_dumps"`
	JSONLoads [][]json.RawMessage `json:"json_loads"`
}

// result is a golden outcome: {"ok": value} or {"err": kind, "msg": text}
// or {"complex": true} (CPython returned a complex number).
type result struct {
	OK      json.RawMessage `json:"ok"`
	Err     string          `json:"err"`
	Msg     string          `json:"msg"`
	Complex bool            `json:"complex"`
	Repr    string          `json:"repr"`
}

var (
	goldenOnce sync.Once
	goldenData golden
	goldenErr  error
)

func loadGolden(t *testing.T) *golden {
	t.Helper()
	goldenOnce.Do(func() {
		data, err := readGolden()
		if err != nil {
			goldenErr = err
			return
		}
		goldenErr = json.Unmarshal(data, &goldenData)
	})
	require.NoError(t, goldenErr)
	return &goldenData
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
	case want.Complex:
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

func decResult(t *testing.T, raw json.RawMessage) result {
	var r result
	require.NoError(t, json.Unmarshal(raw, &r))
	return r
}

func TestGoldenFloatRepr(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "float repr"}
	for _, row := range g.FloatRepr {
		f := dec(t, row[0])
		var want string
		require.NoError(t, json.Unmarshal(row[1], &want))
		c.n++
		if got := Repr(f); got != want {
			c.fails = append(c.fails, fmt.Sprintf("repr(%s) = %s, want %s", want, got, want))
		}
	}
	c.done()
}

func TestGoldenStrRepr(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "str repr"}
	for _, row := range g.StrRepr {
		c.n++
		if got := Repr(row[0]); got != row[1] {
			c.fails = append(c.fails, fmt.Sprintf("repr(%+q) = %s, want %s", row[0], got, row[1]))
		}
	}
	c.done()
}

func TestGoldenFormat(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "format"}
	st := NewState(t.Context(), Limits{})
	for _, row := range g.Format {
		v := dec(t, row[0])
		var spec string
		require.NoError(t, json.Unmarshal(row[1], &spec))
		got, err := Format(st, v, spec)
		c.check(fmt.Sprintf("format(%s, %q)", Repr(v), spec), decResult(t, row[2]), got, err)
	}
	c.done()
}

func TestGoldenArith(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "arithmetic"}
	for _, row := range g.Arith {
		var op string
		require.NoError(t, json.Unmarshal(row[0], &op))
		a, b := dec(t, row[1]), dec(t, row[2])
		st := NewState(t.Context(), Limits{})
		got, err := BinaryOp(st, op, a, b)
		c.check(fmt.Sprintf("%s %s %s", Repr(a), op, Repr(b)), decResult(t, row[3]), got, err)
	}
	c.done()
	u := &checker{t: t, name: "unary"}
	for _, row := range g.Unary {
		var op string
		require.NoError(t, json.Unmarshal(row[0], &op))
		a := dec(t, row[1])
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
		u.check(op+Repr(a), decResult(t, row[2]), got, err)
	}
	u.done()
}

func TestGoldenCompare(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "compare"}
	for _, row := range g.Compare {
		var op string
		require.NoError(t, json.Unmarshal(row[0], &op))
		a, b := dec(t, row[1]), dec(t, row[2])
		got, err := Compare(op, a, b)
		c.check(fmt.Sprintf("%s %s %s", Repr(a), op, Repr(b)), decResult(t, row[3]), got, err)
	}
	c.done()
}

func TestGoldenSlice(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "slice"}
	st := NewState(t.Context(), Limits{})
	for _, row := range g.Slice {
		obj, lo, hi, step := dec(t, row[0]), dec(t, row[1]), dec(t, row[2]), dec(t, row[3])
		got, err := GetSlice(st, obj, lo, hi, step)
		c.check(fmt.Sprintf("%s[%s:%s:%s]", Repr(obj), Repr(lo), Repr(hi), Repr(step)), decResult(t, row[4]), got, err)
	}
	c.done()
	ix := &checker{t: t, name: "index"}
	for _, row := range g.Index {
		obj, k := dec(t, row[0]), dec(t, row[1])
		got, err := GetItem(st, obj, k)
		ix.check(fmt.Sprintf("%s[%s]", Repr(obj), Repr(k)), decResult(t, row[2]), got, err)
	}
	ix.done()
}

func TestGoldenJSON(t *testing.T) {
	g := loadGolden(t)
	c := &checker{t: t, name: "json.dumps"}
	for _, row := range g.JSONDumps {
		v := dec(t, row[0])
		var mode string
		require.NoError(t, json.Unmarshal(row[1], &mode))
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
		c.check(mode+" "+Repr(v), decResult(t, row[2]), string(out), err)
	}
	c.done()
	l := &checker{t: t, name: "json.loads"}
	for _, row := range g.JSONLoads {
		var text string
		require.NoError(t, json.Unmarshal(row[0], &text))
		got, err := DecodeJSON([]byte(text))
		l.check(fmt.Sprintf("loads(%q)", text), decResult(t, row[1]), got, err)
	}
	l.done()
}

func TestGoldenHashAndSetOrder(t *testing.T) {
	g := loadGoldenExtra(t)
	for _, row := range g.Hash {
		v := dec(t, row[0])
		var want string
		require.NoError(t, json.Unmarshal(row[1], &want))
		h, ok := cpythonHash(v, 0)
		require.True(t, ok, Repr(v))
		assert.Equal(t, want, strconv.FormatInt(int64(h), 10), "hash(%s)", Repr(v))
	}
	c := &checker{t: t, name: "set order"}
	for _, row := range g.SetOrder {
		xs := dec(t, row[0]).(*List)
		s := NewSet(0)
		for _, x := range xs.Items {
			require.NoError(t, s.Add(x))
		}
		c.check("set("+Repr(xs)+")", result{OK: row[1]}, NewList(s.Elems()), nil)
	}
	c.done()
}

type goldenExtra struct {
	Hash     [][]json.RawMessage `json:"hash"`
	SetOrder [][]json.RawMessage `json:"set_order"`
}

func loadGoldenExtra(t *testing.T) *goldenExtra {
	data, err := readGolden()
	require.NoError(t, err)
	var g goldenExtra
	require.NoError(t, json.Unmarshal(data, &g))
	return &g
}

func TestGoldenPercent(t *testing.T) {
	data, err := readGolden()
	require.NoError(t, err)
	var g struct {
		Percent [][]json.RawMessage `json:"percent"`
	}
	require.NoError(t, json.Unmarshal(data, &g))
	c := &checker{t: t, name: "printf-style %"}
	for _, row := range g.Percent {
		var f string
		require.NoError(t, json.Unmarshal(row[0], &f))
		a := dec(t, row[1])
		st := NewState(t.Context(), Limits{})
		got, err := Mod(st, f, a)
		c.check(fmt.Sprintf("%q %% %s", f, Repr(a)), decResult(t, row[2]), got, err)
	}
	c.done()
}

func TestGoldenComplex(t *testing.T) {
	data, err := readGolden()
	require.NoError(t, err)
	var g struct {
		Complex [][]json.RawMessage `json:"complex"`
	}
	require.NoError(t, json.Unmarshal(data, &g))
	c := &checker{t: t, name: "complex pow"}
	for _, row := range g.Complex {
		a, b := dec(t, row[1]), dec(t, row[2])
		got, err := Pow(nil, a, b)
		c.check(fmt.Sprintf("%s ** %s", Repr(a), Repr(b)), decResult(t, row[3]), got, err)
	}
	c.done()
}

func TestGoldenNested(t *testing.T) {
	data, err := readGolden()
	require.NoError(t, err)
	var g struct {
		Nested [][]json.RawMessage `json:"nested"`
	}
	require.NoError(t, json.Unmarshal(data, &g))
	c := &checker{t: t, name: "nested values"}
	st := NewState(t.Context(), Limits{})
	for _, row := range g.Nested {
		a, b := dec(t, row[0]), dec(t, row[1])
		var wantRepr string
		require.NoError(t, json.Unmarshal(row[2], &wantRepr))
		c.n++
		if got := Repr(a); got != wantRepr {
			c.fails = append(c.fails, fmt.Sprintf("repr: want %s, got %s", wantRepr, got))
		}
		eq, err := Compare("==", a, b)
		c.check(fmt.Sprintf("%s == %s", Repr(a), Repr(b)), decResult(t, row[3]), eq, err)
		lt, err := Compare("<", a, b)
		c.check(fmt.Sprintf("%s < %s", Repr(a), Repr(b)), decResult(t, row[4]), lt, err)
		in, err := Contains(st, NewList([]any{b, int64(1), "a"}), a)
		c.check(fmt.Sprintf("%s in [%s, 1, 'a']", Repr(a), Repr(b)), decResult(t, row[5]), in, err)
	}
	c.done()
}
