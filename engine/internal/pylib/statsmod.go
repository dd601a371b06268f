package pylib

import (
	"math"
	"math/big"

	"github.com/julepkit/julep/engine/internal/py"
)

// statsErr is statistics.StatisticsError (a ValueError subclass).
func statsErr(msg string) error { return py.Errorf("StatisticsError", "%s", msg) }

// statsData reads the numbers of a data argument: exact rationals plus
// whether any was a float (CPython's result type).
func statsData(st *py.State, v any) ([]any, []*big.Rat, bool, error) {
	items, err := py.Iterate(st, v)
	if err != nil {
		return nil, nil, false, err
	}
	rats := make([]*big.Rat, len(items))
	anyFloat := false
	for i, it := range items {
		switch x := it.(type) {
		case float64:
			anyFloat = true
			if math.IsNaN(x) || math.IsInf(x, 0) {
				rats[i] = nil
				continue
			}
			rats[i] = new(big.Rat).SetFloat64(x)
		case int64, bool, *big.Int:
			rats[i] = new(big.Rat).SetInt(bigOf(x))
		default:
			return nil, nil, false, typeErr("can't convert type '%s' to numerator/denominator", tn(it))
		}
	}
	return items, rats, anyFloat, nil
}

// ratResult converts an exact result to the data's type: int when all data
// were ints and the value is integral, else float.
func ratResult(r *big.Rat, anyFloat bool) any {
	if !anyFloat && r.IsInt() {
		return py.NormInt(new(big.Int).Set(r.Num()))
	}
	f, _ := r.Float64()
	return f
}

func hasNonFinite(rats []*big.Rat) bool {
	for _, r := range rats {
		if r == nil {
			return true
		}
	}
	return false
}

// floatFallback computes with floats when data hold inf or nan.
func floatsOf(items []any) []float64 {
	out := make([]float64, len(items))
	for i, it := range items {
		out[i], _, _ = toFloat(it)
	}
	return out
}

func sumRats(rats []*big.Rat) *big.Rat {
	s := new(big.Rat)
	for _, r := range rats {
		s.Add(s, r)
	}
	return s
}

// sqrtRat is the correctly rounded square root of a non-negative rational.
func sqrtRat(r *big.Rat) float64 {
	f := new(big.Float).SetPrec(256).SetRat(r)
	f.Sqrt(f)
	x, _ := f.Float64()
	return x
}

// ssDev is the exact sum of squared deviations from the mean.
func ssDev(rats []*big.Rat) *big.Rat {
	n := big.NewRat(int64(len(rats)), 1)
	mean := new(big.Rat).Quo(sumRats(rats), n)
	ss := new(big.Rat)
	for _, r := range rats {
		d := new(big.Rat).Sub(r, mean)
		ss.Add(ss, d.Mul(d, d))
	}
	return ss
}

// statisticsModule is the statistics module.
func statisticsModule() *py.Module {
	return newModule("statistics", map[string]builtinFunc{
		"mean":           statisticsMean,
		"fmean":          statisticsFmean,
		"geometric_mean": statisticsGeometricMean,
		"median":         statisticsMedianOf("median"),
		"median_low":     statisticsMedianOf("median_low"),
		"median_high":    statisticsMedianOf("median_high"),
		"mode":           statisticsMode,
		"variance":       statisticsVarianceOf("variance", true, false),
		"stdev":          statisticsVarianceOf("stdev", true, true),
		"pvariance":      statisticsVarianceOf("pvariance", false, false),
		"pstdev":         statisticsVarianceOf("pstdev", false, true),
		"quantiles":      statisticsQuantiles,
	}, nil)
}

func statisticsMean(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("mean", args, kw); err != nil {
		return nil, err
	}
	items, rats, anyFloat, err := statsData(st, args[0])
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, statsErr("mean requires at least one data point")
	}
	if hasNonFinite(rats) {
		s := 0.0
		for _, f := range floatsOf(items) {
			s += f
		}
		return s / float64(len(items)), nil
	}
	return ratResult(new(big.Rat).Quo(sumRats(rats), big.NewRat(int64(len(rats)), 1)), anyFloat), nil
}

func statisticsFmean(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("fmean", args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, statsErr("fmean requires at least one data point")
	}
	s, err := fsum(items)
	if err != nil {
		return nil, err
	}
	return s / float64(len(items)), nil
}

func statisticsGeometricMean(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("geometric_mean", args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	logs := make([]any, len(items))
	for i, it := range items {
		l, err := logOf(it)
		if err != nil {
			return nil, statsErr("geometric mean requires a non-empty dataset containing positive numbers")
		}
		logs[i] = l
	}
	if len(logs) == 0 {
		return nil, statsErr("geometric mean requires a non-empty dataset containing positive numbers")
	}
	s, err := fsum(logs)
	if err != nil {
		return nil, err
	}
	return hpExp(s / float64(len(logs))), nil
}

func statisticsMode(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("mode", args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, statsErr("no mode for empty data")
	}
	counts := py.NewDict(0)
	var best any
	bestN := int64(0)
	for _, it := range items {
		c, _, err := counts.Get(it)
		if err != nil {
			return nil, err
		}
		n := int64(1)
		if c != nil {
			n = c.(int64) + 1
		}
		if err := counts.Set(it, n); err != nil {
			return nil, err
		}
	}
	for i := 0; i < counts.Len(); i++ {
		if n := counts.ValueAt(i).(int64); n > bestN {
			best, bestN = counts.KeyAt(i), n
		}
	}
	return best, nil
}

func statisticsQuantiles(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("quantiles() takes 1 positional argument but %d were given", len(args))
	}
	opts, err := kwOnly("quantiles", kw, "n", "method")
	if err != nil {
		return nil, err
	}
	n := int64(4)
	if v, ok := opts["n"]; ok {
		if n, err = indexArg(v); err != nil {
			return nil, err
		}
	}
	method := "exclusive"
	if v, ok := opts["method"]; ok {
		s, _ := v.(string)
		method = s
	}
	if n < 1 {
		return nil, statsErr("n must be at least 1")
	}
	if n > 10000 {
		return nil, py.Errorf(py.LimitError, "quantiles(): n is too large")
	}
	items, err := iterCopy(st, args[0])
	if err != nil {
		return nil, err
	}
	if err := sortBy(st, items, nil, false); err != nil {
		return nil, err
	}
	ld := int64(len(items))
	if ld < 2 {
		if ld == 1 && method == "inclusive" {
			// CPython 3.12 returns [x]*(n-1) for one data point.
			out := make([]any, n-1)
			for i := range out {
				out[i] = items[0]
			}
			return py.NewList(out), nil
		}
		return nil, statsErr("must have at least two data points")
	}
	fl := floatsOf(items)
	var out []any
	switch method {
	case "inclusive":
		m := ld - 1
		for i := int64(1); i < n; i++ {
			j := i * m / n
			delta := i*m - j*n
			out = append(out, (fl[j]*float64(n-delta)+fl[j+1]*float64(delta))/float64(n))
		}
	case "exclusive":
		m := ld + 1
		for i := int64(1); i < n; i++ {
			j := i * m / n
			if j < 1 {
				j = 1
			}
			if j > ld-1 {
				j = ld - 1
			}
			delta := i*m - j*n
			out = append(out, (fl[j-1]*float64(n-delta)+fl[j]*float64(delta))/float64(n))
		}
	default:
		return nil, valueErr("Unknown method: %s", py.ShortRepr(method))
	}
	if out == nil {
		out = []any{}
	}
	return py.NewList(out), nil
}

// statisticsVarianceOf returns statistics.variance, stdev (root), pvariance
// or pstdev (not sample).
func statisticsVarianceOf(name string, sample, root bool) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind(name, args, kw, []string{"data", "xbar"}, 1)
		if err != nil {
			return nil, err
		}
		items, rats, anyFloat, err := statsData(st, a[0])
		if err != nil {
			return nil, err
		}
		n := len(items)
		if sample && n < 2 {
			what := "variance"
			if root {
				what = "stdev"
			}
			return nil, statsErr(what + " requires at least two data points")
		}
		if !sample && n < 1 {
			what := "pvariance"
			if root {
				what = "pstdev"
			}
			return nil, statsErr(what + " requires at least one data point")
		}
		if hasNonFinite(rats) {
			return math.NaN(), nil
		}
		ss := ssDev(rats)
		d := int64(n)
		if sample {
			d--
		}
		v := new(big.Rat).Quo(ss, big.NewRat(d, 1))
		if root {
			return sqrtRat(v), nil
		}
		return ratResult(v, anyFloat), nil
	}
}

// statisticsMedianOf returns statistics.median, median_low or median_high.
func statisticsMedianOf(name string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := oneArg(name, args, kw); err != nil {
			return nil, err
		}
		items, err := iterCopy(st, args[0])
		if err != nil {
			return nil, err
		}
		if err := sortBy(st, items, nil, false); err != nil {
			return nil, err
		}
		n := len(items)
		if n == 0 {
			return nil, statsErr("no median for empty data")
		}
		switch name {
		case "median_low":
			if n%2 == 1 {
				return items[n/2], nil
			}
			return items[n/2-1], nil
		case "median_high":
			return items[n/2], nil
		}
		if n%2 == 1 {
			return items[n/2], nil
		}
		s, err := py.Add(st, items[n/2-1], items[n/2])
		if err != nil {
			return nil, err
		}
		return py.TrueDiv(st, s, int64(2))
	}
}
