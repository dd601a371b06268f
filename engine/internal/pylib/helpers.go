package pylib

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
)

type runeRange struct{ lo, hi rune }

func inTable(t []runeRange, r rune) bool {
	i := sort.Search(len(t), func(i int) bool { return t[i].hi >= r })
	return i < len(t) && t[i].lo <= r
}

func typeErr(format string, args ...any) error  { return py.Errorf(py.TypeError, format, args...) }
func valueErr(format string, args ...any) error { return py.Errorf(py.ValueError, format, args...) }

// fn makes a *py.Func.
func fn(name string, f func(st *py.State, args []any, kw *py.Kwargs) (any, error)) *py.Func {
	return &py.Func{Name: name, Call: f}
}

// noKw refuses keyword arguments for a function that takes none.
func noKw(name string, kw *py.Kwargs) error {
	if kw != nil && kw.Len() > 0 {
		return typeErr("%s() takes no keyword arguments", name)
	}
	return nil
}

// nargs checks the number of positional arguments like CPython's
// "f() takes at most 2 arguments (3 given)" messages.
func nargs(name string, args []any, lo, hi int) error {
	n := len(args)
	switch {
	case n < lo && lo == hi:
		if lo == 1 {
			return typeErr("%s() takes exactly one argument (%d given)", name, n)
		}
		return typeErr("%s expected %d arguments, got %d", name, lo, n)
	case n < lo:
		return typeErr("%s expected at least %d argument%s, got %d", name, lo, plural(lo), n)
	case hi >= 0 && n > hi:
		if hi == 0 {
			return typeErr("%s() takes no arguments (%d given)", name, n)
		}
		if lo == hi && hi == 1 {
			return typeErr("%s() takes exactly one argument (%d given)", name, n)
		}
		return typeErr("%s expected at most %d argument%s, got %d", name, hi, plural(hi), n)
	}
	return nil
}

// posArgs is noKw and nargs together: a call that takes lo to hi (-1: any
// number of) positional arguments and no keyword arguments.
func posArgs(name string, args []any, kw *py.Kwargs, lo, hi int) error {
	if err := noKw(name, kw); err != nil {
		return err
	}
	return nargs(name, args, lo, hi)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// tn is py.TypeName.
func tn(v any) string { return py.TypeName(v) }

// asInt converts an int-like value (int, bool, big int) to int64; ok is
// false for other types; big values that do not fit give ok=true, fits=false.
func asInt(v any) (n int64, ok bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case RegexFlag:
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int:
		return int64(x), true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
		if x.Sign() < 0 {
			return math.MinInt64, true
		}
		return math.MaxInt64, true
	}
	return 0, false
}

// isIntLike reports whether v is int, bool or big int.
func isIntLike(v any) bool {
	switch v.(type) {
	case int64, bool, *big.Int, int:
		return true
	}
	return false
}

// indexArg converts v for use as an index (int or bool), with CPython's
// TypeError otherwise.
func indexArg(v any) (int64, error) {
	n, ok := asInt(v)
	if !ok {
		return 0, typeErr("'%s' object cannot be interpreted as an integer", tn(v))
	}
	return n, nil
}

// bigOf returns v (an int-like value) as a new *big.Int.
func bigOf(v any) *big.Int {
	switch x := v.(type) {
	case *big.Int:
		return new(big.Int).Set(x)
	}
	n, _ := asInt(v)
	return big.NewInt(n)
}

// toFloat converts int, bool, big int or float to float64 (py.AsFloat, with
// its OverflowError for huge ints); ok=false for any other type.
func toFloat(v any) (float64, bool, error) {
	switch v.(type) {
	case float64, int64, bool, *big.Int:
		f, err := py.AsFloat(v)
		return f, true, err
	}
	return 0, false, nil
}

// runeLen is len() of a str.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// newStr charges the budget for a string of n bytes about to be built.
func newStr(st *py.State, n int) error { return st.CheckStringLen(int64(n)) }

// newList charges the budget for a collection of n items about to be built.
func newColl(st *py.State, n int) error { return st.CheckCollectionLen(int64(n)) }

// kwOnly extracts keyword arguments by name; unknown names are TypeError.
func kwOnly(fname string, kw *py.Kwargs, names ...string) (map[string]any, error) {
	out := map[string]any{}
	if kw == nil {
		return out, nil
	}
	for i, n := range kw.Names {
		found := false
		for _, want := range names {
			if n == want {
				found = true
				break
			}
		}
		if !found {
			return nil, typeErr("%s() got an unexpected keyword argument '%s'", fname, n)
		}
		out[n] = kw.Values[i]
	}
	return out, nil
}

// args binds positional and keyword arguments onto names (a small local
// version of py.ParseArgs that never depends on it): required is the number
// of leading required parameters; missing optional ones are py.Missing.
func bind(fname string, args []any, kw *py.Kwargs, names []string, required int) ([]any, error) {
	if len(args) > len(names) {
		if len(names) == 0 {
			return nil, typeErr("%s() takes no arguments (%d given)", fname, len(args))
		}
		return nil, typeErr("%s() takes at most %d argument%s (%d given)", fname, len(names), plural(len(names)), len(args))
	}
	out := make([]any, len(names))
	for i := range out {
		out[i] = py.Missing
	}
	copy(out, args)
	if kw != nil {
		for i, n := range kw.Names {
			j := -1
			for k, want := range names {
				if want == n {
					j = k
					break
				}
			}
			if j < 0 {
				return nil, typeErr("%s() got an unexpected keyword argument '%s'", fname, n)
			}
			if j < len(args) {
				return nil, typeErr("argument for %s() given by name ('%s') and position (%d)", fname, n, j+1)
			}
			out[j] = kw.Values[i]
		}
	}
	for i := 0; i < required; i++ {
		if out[i] == py.Missing {
			return nil, typeErr("%s() missing required argument '%s' (pos %d)", fname, names[i], i+1)
		}
	}
	return out, nil
}

func given(v any) bool { return v != py.Missing }

// itoa is strconv.Itoa for int64.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
