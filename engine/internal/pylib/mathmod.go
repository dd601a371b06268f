package pylib

import (
	"math"
	"math/big"

	"github.com/julepkit/julep/engine/internal/py"
)

var (
	errMathDomain = func() error { return valueErr("math domain error") }
	errMathRange  = func() error { return py.Errorf(py.OverflowError, "math range error") }
)

// realArg converts a math function argument to float64.
func realArg(v any) (float64, error) {
	f, ok, err := toFloat(v)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, typeErr("must be real number, not %s", tn(v))
	}
	return f, nil
}

// realArgs2 checks that a math function got exactly two arguments and
// converts both to float64.
func realArgs2(name string, args []any) (float64, float64, error) {
	if len(args) != 2 {
		return 0, 0, typeErr("%s expected 2 arguments, got %d", name, len(args))
	}
	x, err := realArg(args[0])
	if err != nil {
		return 0, 0, err
	}
	y, err := realArg(args[1])
	if err != nil {
		return 0, 0, err
	}
	return x, y, nil
}

// math1 wraps a one-argument float function with CPython's error rules:
// NaN from non-NaN input is a domain error, Inf from finite input a range error.
func math1(name string, f func(float64) float64) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := oneArg(name, args, kw); err != nil {
			return nil, err
		}
		x, err := realArg(args[0])
		if err != nil {
			return nil, err
		}
		r := f(x)
		if math.IsNaN(r) && !math.IsNaN(x) {
			return nil, errMathDomain()
		}
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			if name == "exp" || name == "cosh" || name == "sinh" {
				return nil, errMathRange()
			}
			return nil, errMathDomain()
		}
		return r, nil
	}
}

// logOf returns the natural log of an int or float argument, exact for big ints.
func logOf(v any) (float64, error) { return logWith(v, hpLogF) }

// logWith applies a logarithm as CPython's loghelper: big ints are split
// as m * 2**e, giving f(m) + f(2)*e.
func logWith(v any, f func(float64) float64) (float64, error) {
	if b, ok := v.(*big.Int); ok {
		if b.Sign() <= 0 {
			return 0, errMathDomain()
		}
		bf := new(big.Float).SetInt(b)
		if x, _ := bf.Float64(); !math.IsInf(x, 0) {
			return f(x), nil
		}
		mant := new(big.Float)
		e := bf.MantExp(mant)
		m, _ := mant.Float64()
		return f(m) + f(2.0)*float64(e), nil
	}
	x, err := realArg(v)
	if err != nil {
		return 0, err
	}
	if x <= 0 || math.IsNaN(x) {
		if math.IsNaN(x) {
			return x, nil
		}
		return 0, errMathDomain()
	}
	return f(x), nil
}

func intArgStrict(v any) (*big.Int, error) {
	if !isIntLike(v) {
		return nil, typeErr("'%s' object cannot be interpreted as an integer", tn(v))
	}
	return bigOf(v), nil
}

func checkIntBits(st *py.State, bits int64) error {
	if bits > st.Limits().MaxIntBits {
		return py.Errorf(py.LimitError, "integer result too large (about %d bits, limit %d)", bits, st.Limits().MaxIntBits)
	}
	return nil
}

// mathModule is the math module.
func mathModule() *py.Module {
	return newModule("math", map[string]builtinFunc{
		"sqrt":      math1("sqrt", math.Sqrt),
		"exp":       math1("exp", hpExp),
		"sin":       math1("sin", hpSin),
		"cos":       math1("cos", hpCos),
		"tan":       math1("tan", hpTan),
		"asin":      math1("asin", math.Asin),
		"acos":      math1("acos", math.Acos),
		"atan":      math1("atan", math.Atan),
		"sinh":      math1("sinh", math.Sinh),
		"cosh":      math1("cosh", math.Cosh),
		"tanh":      math1("tanh", math.Tanh),
		"fabs":      math1("fabs", math.Abs),
		"degrees":   math1("degrees", degrees),
		"radians":   math1("radians", radians),
		"isnan":     mathPredicate("isnan", math.IsNaN),
		"isinf":     mathPredicate("isinf", isInf),
		"isfinite":  mathPredicate("isfinite", isFinite),
		"floor":     mathToInt("floor", math.Floor),
		"ceil":      mathToInt("ceil", math.Ceil),
		"trunc":     mathToInt("trunc", math.Trunc),
		"log":       mathLog,
		"log2":      mathLogBase("log2", 2, hpLog2),
		"log10":     mathLogBase("log10", 10, hpLog10),
		"pow":       mathPow,
		"atan2":     mathAtan2,
		"copysign":  mathCopysign,
		"hypot":     mathHypot,
		"isclose":   mathIsclose,
		"gcd":       mathGcd,
		"lcm":       mathLcm,
		"factorial": mathFactorial,
		"comb":      mathCombPerm("comb"),
		"perm":      mathCombPerm("perm"),
		"prod":      mathProd,
		"fsum":      mathFsum,
	}, map[string]any{
		"pi": math.Pi, "e": math.E, "tau": 2 * math.Pi, "inf": math.Inf(1), "nan": math.NaN(),
	})
}

func hpSin(x float64) float64   { return hpTrig("sin", x) }
func hpCos(x float64) float64   { return hpTrig("cos", x) }
func hpTan(x float64) float64   { return hpTrig("tan", x) }
func hpLog2(x float64) float64  { return hpLogBase(x, 2) }
func hpLog10(x float64) float64 { return hpLogBase(x, 10) }
func degrees(x float64) float64 { return x * (180.0 / math.Pi) }
func radians(x float64) float64 { return x * (math.Pi / 180.0) }
func isInf(x float64) bool      { return math.IsInf(x, 0) }
func isFinite(x float64) bool   { return !math.IsInf(x, 0) && !math.IsNaN(x) }

func mathLog(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs("log", args, kw, 1, 2); err != nil {
		return nil, err
	}
	num, err := logOf(args[0])
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		return num, nil
	}
	den, err := logOf(args[1])
	if err != nil {
		return nil, err
	}
	if den == 0 {
		return nil, py.Errorf(py.ZeroDivisionError, "float division by zero")
	}
	return num / den, nil
}

func mathPow(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("pow", kw); err != nil {
		return nil, err
	}
	x, y, err := realArgs2("pow", args)
	if err != nil {
		return nil, err
	}
	if x == 0 && y < 0 && !math.IsInf(y, 0) {
		return nil, errMathDomain()
	}
	if x < 0 && !math.IsInf(x, 0) && y != math.Trunc(y) && !math.IsInf(y, 0) && !math.IsNaN(y) {
		return nil, errMathDomain()
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return nil, errMathRange()
	}
	return r, nil
}

func mathAtan2(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	y, x, err := realArgs2("atan2", args)
	if err != nil {
		return nil, err
	}
	return math.Atan2(y, x), nil
}

func mathCopysign(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	x, y, err := realArgs2("copysign", args)
	if err != nil {
		return nil, err
	}
	return math.Copysign(x, y), nil
}

func mathHypot(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("hypot", kw); err != nil {
		return nil, err
	}
	acc := 0.0
	sawNaN := false
	for _, a := range args {
		x, err := realArg(a)
		if err != nil {
			return nil, err
		}
		if math.IsInf(x, 0) {
			return math.Inf(1), nil
		}
		if math.IsNaN(x) {
			sawNaN = true
		}
		acc = math.Hypot(acc, x)
	}
	if sawNaN {
		return math.NaN(), nil
	}
	return acc, nil
}

func mathIsclose(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 2 {
		return nil, typeErr("isclose() takes exactly 2 positional arguments (%d given)", len(args))
	}
	opts, err := kwOnly("isclose", kw, "rel_tol", "abs_tol")
	if err != nil {
		return nil, err
	}
	a, err := realArg(args[0])
	if err != nil {
		return nil, err
	}
	b, err := realArg(args[1])
	if err != nil {
		return nil, err
	}
	rel, abs := 1e-9, 0.0
	if v, ok := opts["rel_tol"]; ok {
		if rel, err = realArg(v); err != nil {
			return nil, err
		}
	}
	if v, ok := opts["abs_tol"]; ok {
		if abs, err = realArg(v); err != nil {
			return nil, err
		}
	}
	if rel < 0 || abs < 0 {
		return nil, valueErr("tolerances must be non-negative")
	}
	if a == b {
		return true, nil
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false, nil
	}
	d := math.Abs(b - a)
	return d <= math.Abs(rel*b) || d <= math.Abs(rel*a) || d <= abs, nil
}

func mathGcd(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("gcd", kw); err != nil {
		return nil, err
	}
	g := new(big.Int)
	for _, a := range args {
		b, err := intArgStrict(a)
		if err != nil {
			return nil, err
		}
		g.GCD(nil, nil, g.Abs(g), new(big.Int).Abs(b))
	}
	return py.NormInt(g), nil
}

func mathLcm(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("lcm", kw); err != nil {
		return nil, err
	}
	l := big.NewInt(1)
	for _, a := range args {
		b, err := intArgStrict(a)
		if err != nil {
			return nil, err
		}
		b.Abs(b)
		if b.Sign() == 0 || l.Sign() == 0 {
			l.SetInt64(0)
			continue
		}
		g := new(big.Int).GCD(nil, nil, l, b)
		l.Mul(l, new(big.Int).Quo(b, g))
		if err := checkIntBits(st, int64(l.BitLen())); err != nil {
			return nil, err
		}
	}
	return py.NormInt(l), nil
}

func mathFactorial(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("factorial", args, kw); err != nil {
		return nil, err
	}
	b, err := intArgStrict(args[0])
	if err != nil {
		return nil, err
	}
	if b.Sign() < 0 {
		return nil, valueErr("factorial() not defined for negative values")
	}
	if !b.IsInt64() || b.Int64() > 5000 {
		n := float64(b.Int64())
		if !b.IsInt64() {
			n = math.MaxInt64
		}
		return nil, py.Errorf(py.LimitError, "factorial(%s) is too large (about %.0f bits, limit %d)", b.String(), n*math.Log2(n), st.Limits().MaxIntBits)
	}
	n := b.Int64()
	if err := st.Charge(n); err != nil {
		return nil, err
	}
	r := new(big.Int).MulRange(1, max(n, 1))
	if err := checkIntBits(st, int64(r.BitLen())); err != nil {
		return nil, err
	}
	return py.NormInt(r), nil
}

func mathProd(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("prod() takes exactly 1 positional argument (%d given)", len(args))
	}
	opts, err := kwOnly("prod", kw, "start")
	if err != nil {
		return nil, err
	}
	var acc any = int64(1)
	if s, ok := opts["start"]; ok {
		acc = s
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if acc, err = py.Mul(st, acc, it); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func mathFsum(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("fsum", args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	return fsum(items)
}

// mathCombPerm returns math.comb or math.perm.
func mathCombPerm(name string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := noKw(name, kw); err != nil {
			return nil, err
		}
		lo := 2
		if name == "perm" {
			lo = 1
		}
		if err := nargs(name, args, lo, 2); err != nil {
			return nil, err
		}
		n, err := intArgStrict(args[0])
		if err != nil {
			return nil, err
		}
		var k *big.Int
		if len(args) == 2 && args[1] != nil {
			if k, err = intArgStrict(args[1]); err != nil {
				return nil, err
			}
		} else {
			k = new(big.Int).Set(n)
		}
		if n.Sign() < 0 {
			return nil, valueErr("n must be a non-negative integer")
		}
		if k.Sign() < 0 {
			return nil, valueErr("k must be a non-negative integer")
		}
		if k.Cmp(n) > 0 {
			return int64(0), nil
		}
		if !n.IsInt64() || n.Int64() > 100000 {
			return nil, py.Errorf(py.LimitError, "%s() arguments are too large", name)
		}
		nn, kk := n.Int64(), k.Int64()
		if err := st.Charge(kk); err != nil {
			return nil, err
		}
		r := new(big.Int).MulRange(nn-kk+1, nn)
		if kk == 0 {
			r.SetInt64(1)
		}
		if name == "comb" {
			r.Quo(r, new(big.Int).MulRange(1, max(kk, 1)))
		}
		if err := checkIntBits(st, int64(r.BitLen())); err != nil {
			return nil, err
		}
		return py.NormInt(r), nil
	}
}

// mathLogBase returns math.log2 or log10, computed by f (big ints through
// logWith).
func mathLogBase(name string, base float64, f func(float64) float64) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := oneArg(name, args, kw); err != nil {
			return nil, err
		}
		if b, ok := args[0].(*big.Int); ok {
			return logWith(b, f)
		}
		x, err := realArg(args[0])
		if err != nil {
			return nil, err
		}
		if math.IsNaN(x) {
			return x, nil
		}
		if x <= 0 {
			return nil, errMathDomain()
		}
		return f(x), nil
	}
}

// mathToInt returns math.floor, ceil or trunc: r of a real number, as an int.
func mathToInt(name string, r func(float64) float64) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := oneArg(name, args, kw); err != nil {
			return nil, err
		}
		if isIntLike(args[0]) {
			return py.NormInt(bigOf(args[0])), nil
		}
		x, err := realArg(args[0])
		if err != nil {
			if name == "trunc" {
				return nil, typeErr("type %s doesn't define __trunc__ method", tn(args[0]))
			}
			return nil, err
		}
		return floatToInt(r(x))
	}
}

// mathPredicate returns math.isnan, isinf or isfinite: the predicate p of a real number.
func mathPredicate(name string, p func(float64) bool) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := oneArg(name, args, kw); err != nil {
			return nil, err
		}
		x, err := realArg(args[0])
		if err != nil {
			return nil, err
		}
		return p(x), nil
	}
}

// fsum is math.fsum: the correctly rounded sum.
func fsum(items []any) (float64, error) {
	sum := new(big.Rat)
	posInf, negInf, nan := false, false, false
	for _, it := range items {
		x, err := realArg(it)
		if err != nil {
			return 0, err
		}
		switch {
		case math.IsNaN(x):
			nan = true
		case math.IsInf(x, 1):
			posInf = true
		case math.IsInf(x, -1):
			negInf = true
		default:
			sum.Add(sum, new(big.Rat).SetFloat64(x))
		}
	}
	switch {
	case posInf && negInf:
		return 0, valueErr("-inf + inf in fsum")
	case nan:
		return math.NaN(), nil
	case posInf:
		return math.Inf(1), nil
	case negInf:
		return math.Inf(-1), nil
	}
	f, _ := sum.Float64()
	if math.IsInf(f, 0) {
		return 0, py.Errorf(py.OverflowError, "intermediate overflow in fsum")
	}
	return f, nil
}
