package py

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"testing"
)

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x\u00e9"], "b": null}`, `[1e400, -0.0, NaN, -Infinity]`, `"\ud83c\udf89"`,
		`123456789012345678901234567890`, `{"a":1,"a":2}`, `[`, `{"a" 1}`, `"\x"`, ` true `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeJSON(data)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || (pe.Kind != ValueError && pe.Kind != LimitError) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if json.Valid(data) && pe.Kind == ValueError && !bigDigits(err) {
				t.Fatalf("valid JSON rejected: %v", err)
			}
			return
		}
		out, err := MarshalJSON(v)
		if err != nil {
			t.Fatalf("cannot re-encode decoded value: %v", err)
		}
		w, err := DecodeJSON(out)
		if err != nil {
			t.Fatalf("re-encoded JSON does not decode: %v", err)
		}
		if !Equal(v, w) && !hasNaN(v) {
			t.Fatalf("round trip changed the value")
		}
	})
}

func bigDigits(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Msg == errIntDigits().Msg
}

func hasNaN(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsNaN(x)
	case *List:
		for _, e := range x.Items {
			if hasNaN(e) {
				return true
			}
		}
	case *Dict:
		for _, e := range x.Values() {
			if hasNaN(e) {
				return true
			}
		}
	}
	return false
}

func FuzzFormat(f *testing.F) {
	for _, s := range []string{"", "d", ",.2f", "#010x", "*^20s", ".3g", "z.1f", "+015,.2e", "%", "🎉>9", "_b", ".2", "c",
		"%s %d", "%(a)s", "%-*.*f", "%#x %c %r"} {
		f.Add(s, int64(1234), 3.25, "héllo")
	}
	f.Fuzz(func(t *testing.T, spec string, i int64, x float64, s string) {
		st := NewState(t.Context(), Limits{MaxStringLen: 10_000})
		for _, v := range []any{i, x, s, true, nil, -x} {
			out, err := Format(st, v, spec)
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("Format(%q): error of type %T: %v", spec, err, err)
				}
				switch pe.Kind {
				case ValueError, TypeError, LimitError, OverflowError:
				default:
					t.Fatalf("Format(%q): unexpected kind %s", spec, pe.Kind)
				}
				continue
			}
			if len(out) > 200_000 {
				t.Fatalf("Format(%q) built %d bytes past the limit", spec, len(out))
			}
		}
		for _, args := range []any{i, x, s, Tuple{i, x, s}, Tuple{}, NewDict(0)} {
			out, err := PercentFormat(st, spec, args)
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("PercentFormat(%q): error of type %T: %v", spec, err, err)
				}
				continue
			}
			if len(out) > 200_000 {
				t.Fatalf("PercentFormat(%q) built %d bytes past the limit", spec, len(out))
			}
		}
	})
}

// fuzzValues is the pool FuzzOperators draws operands from.
var fuzzValues = func() []any {
	d := NewDict(0)
	d.SetStr("a", int64(1))
	s := NewSet(0)
	_ = s.Add(int64(2))
	return []any{nil, true, false, int64(0), int64(1), int64(-1), int64(7), int64(math.MaxInt64), int64(math.MinInt64),
		bigPow10(30), new(big.Int).Neg(bigPow10(25)), 0.0, math.Copysign(0, -1), 1.5, -2.5, math.Inf(1), math.NaN(), 1e308,
		"", "a", "héllo", NewList(nil), NewList([]any{int64(1), "x"}), Tuple{}, Tuple{int64(1)}, d, NewDict(0), s,
		NewSet(0), Complex(complex(1, 2)), Complex(0), int64(64), int64(-64), int64(1000)}
}()

func FuzzOperators(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint8(2))
	f.Add(uint8(5), uint8(7), uint8(6))
	f.Add(uint8(29), uint8(12), uint8(3))
	ops := []string{"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", "<=", "==", "in", "[]", "[:]"}
	f.Fuzz(func(t *testing.T, ia, ib, iop uint8) {
		a := fuzzValues[int(ia)%len(fuzzValues)]
		b := fuzzValues[int(ib)%len(fuzzValues)]
		op := ops[int(iop)%len(ops)]
		st := NewState(t.Context(), Limits{})
		var err error
		switch op {
		case "<", "<=", "==":
			_, err = Compare(op, a, b)
		case "in":
			_, err = Contains(st, a, b)
		case "[]":
			_, err = GetItem(st, a, b)
		case "[:]":
			_, err = GetSlice(st, a, b, nil, b)
		default:
			var v any
			v, err = BinaryOp(st, op, a, b)
			if err == nil {
				_ = Repr(v)
				_, _ = HashKey(v)
			}
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("%s %s %s: error of type %T: %v", Repr(a), op, Repr(b), err, err)
			}
		}
		_, _ = Neg(a)
		_, _ = Invert(a)
		_ = Truth(a)
		_, _ = Len(a)
		_, _ = Format(st, a, "")
	})
}
