package py

import (
	"encoding/json"
	"errors"
	"math"
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
