package py

import (
	"math"
	"math/big"
	"sync"
)

// Pow64 returns x**y correctly rounded (as the C library's pow that CPython
// uses, which is correctly rounded in practice), unlike math.Pow, whose
// result may be off by an ulp or more. Special cases follow C99 (and
// math.Pow). Non-trivial cases are computed as exp(y*log(x)) with 160-bit
// big.Float arithmetic, then rounded once.
func Pow64(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x == 0 || math.IsInf(x, 0) || math.IsInf(y, 0):
		return math.Pow(x, y)
	case y == 2:
		return x * x
	case y == -1:
		return 1 / x
	case y == 0.5 && x > 0:
		return math.Sqrt(x)
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		// Odd integer exponent keeps the sign.
		if math.Abs(y) < 1<<53 && int64(y)&1 == 1 {
			neg = true
		}
		x = -x
	}
	// Exact small integer powers: repeated multiplication in big.Float with
	// enough precision is exact, then rounds once.
	var r float64
	if y == math.Trunc(y) && math.Abs(y) <= 64 {
		r = exactIntPow(x, int(y))
	} else {
		r = expLogPow(x, y)
	}
	if neg {
		return -r
	}
	return r
}

const powPrec = 160

// exactIntPow returns x**n rounded once (|n| <= 64: the exact product of up
// to 64 53-bit mantissas needs at most 3392 bits).
func exactIntPow(x float64, n int) float64 {
	neg := n < 0
	if neg {
		n = -n
	}
	acc := new(big.Float).SetPrec(3500).SetFloat64(1)
	base := new(big.Float).SetPrec(3500).SetFloat64(x)
	for n > 0 {
		if n&1 == 1 {
			acc.Mul(acc, base)
		}
		n >>= 1
		if n > 0 {
			base.Mul(base, base)
		}
	}
	if neg {
		q := new(big.Float).SetPrec(powPrec).SetFloat64(1)
		q.Quo(q, acc)
		acc = q
	}
	return toFloat64(acc)
}

// toFloat64 rounds a big.Float to the nearest float64 (±Inf on overflow,
// correctly rounded subnormals).
func toFloat64(f *big.Float) float64 {
	r, _ := f.Float64()
	return r
}

var (
	ln2Once sync.Once
	ln2Big  *big.Float
)

func ln2() *big.Float {
	ln2Once.Do(func() {
		// ln 2 = 2 atanh(1/3)
		third := new(big.Float).SetPrec(powPrec + 32).SetInt64(1)
		third.Quo(third, new(big.Float).SetPrec(powPrec+32).SetInt64(3))
		ln2Big = atanh2(third)
	})
	return ln2Big
}

// atanh2 returns 2*atanh(z) for small |z| by its series.
func atanh2(z *big.Float) *big.Float {
	prec := uint(powPrec + 32)
	z2 := new(big.Float).SetPrec(prec).Mul(z, z)
	term := new(big.Float).SetPrec(prec).Set(z)
	sum := new(big.Float).SetPrec(prec).Set(z)
	t := new(big.Float).SetPrec(prec)
	for k := int64(3); k < 2000; k += 2 {
		term.Mul(term, z2)
		t.Quo(term, new(big.Float).SetPrec(prec).SetInt64(k))
		if t.Sign() == 0 || t.MantExp(nil)-sum.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, t)
	}
	return sum.Mul(sum, new(big.Float).SetPrec(prec).SetInt64(2))
}

// bigLog returns ln(x) for x > 0 finite.
func bigLog(x float64) *big.Float {
	prec := uint(powPrec + 32)
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	// Use m in [sqrt(1/2), sqrt(2)) for a faster series.
	if frac < math.Sqrt2/2 {
		frac *= 2
		exp--
	}
	m := new(big.Float).SetPrec(prec).SetFloat64(frac)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(m, one)
	den := new(big.Float).SetPrec(prec).Add(m, one)
	z := num.Quo(num, den)
	l := atanh2(z)
	e := new(big.Float).SetPrec(prec).SetInt64(int64(exp))
	return l.Add(l, e.Mul(e, ln2()))
}

// bigExp returns exp(t) as a big.Float, or reports overflow/underflow
// through the returned float64 hint (±Inf or 0) when out of range.
func bigExp(t *big.Float) (*big.Float, float64, bool) {
	prec := uint(powPrec + 32)
	tf, _ := t.Float64()
	if tf > 710 {
		return nil, math.Inf(1), false
	}
	if tf < -746 {
		return nil, 0, false
	}
	// t = k ln2 + r
	kf := math.Round(tf / math.Ln2)
	k := new(big.Float).SetPrec(prec).SetFloat64(kf)
	r := new(big.Float).SetPrec(prec).Sub(t, k.Mul(k, ln2()))
	// exp(r) = exp(r/2^s)^(2^s)
	const s = 8
	r.SetMantExp(r, -s)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 200; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < -int(prec)-4 {
			break
		}
		sum.Add(sum, term)
	}
	for range s {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(kf)), 0, true
}

func expLogPow(x, y float64) float64 {
	prec := uint(powPrec + 32)
	l := bigLog(x)
	t := l.Mul(l, new(big.Float).SetPrec(prec).SetFloat64(y))
	r, hint, ok := bigExp(t)
	if !ok {
		return hint
	}
	return toFloat64(r)
}
