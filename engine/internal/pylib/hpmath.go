package pylib

import (
	"math"
	"math/big"
	"sync"
)

// Correctly rounded (in all but pathological cases) exp, log and
// trigonometric functions, computed with 112-bit big.Float series, so
// that results match CPython on glibc (whose libm rounds these correctly)
// rather than Go's math package (which may be 1 ulp off).

const (
	hpPrec    = 112 // working precision of the series
	hpConPrec = 256 // precision of ln 2 and pi (argument reduction)
)

var (
	hpOnce sync.Once
	hpLn2  *big.Float
	hpPi   *big.Float
)

func hpf(x float64) *big.Float { return new(big.Float).SetPrec(hpPrec).SetFloat64(x) }

func hpc(x float64) *big.Float { return new(big.Float).SetPrec(hpConPrec).SetFloat64(x) }

func hpInit() {
	hpOnce.Do(func() {
		// ln 2 = 2 atanh(1/3)
		third := new(big.Float).SetPrec(hpConPrec).Quo(hpc(1), hpc(3))
		hpLn2 = hpAtanh(third)
		hpLn2.Mul(hpLn2, hpc(2))
		// pi = 16 atan(1/5) - 4 atan(1/239)
		a := hpAtanSmall(new(big.Float).SetPrec(hpConPrec).Quo(hpc(1), hpc(5)))
		b := hpAtanSmall(new(big.Float).SetPrec(hpConPrec).Quo(hpc(1), hpc(239)))
		a.Mul(a, hpc(16))
		b.Mul(b, hpc(4))
		hpPi = a.Sub(a, b)
	})
}

// hpAtanh is the series z + z^3/3 + z^5/5 + … for |z| <= 1/3, at z's
// precision.
func hpAtanh(z *big.Float) *big.Float { return hpOddSeries(z, false) }

// hpAtanSmall is the series z - z^3/3 + z^5/5 - … for small |z|, at z's
// precision.
func hpAtanSmall(z *big.Float) *big.Float { return hpOddSeries(z, true) }

// hpOddSeries sums z ± z^3/3 + z^5/5 ± … at z's precision, the signs
// alternating when alternate is set, until a term is below 2^-(prec+8).
func hpOddSeries(z *big.Float, alternate bool) *big.Float {
	prec := z.Prec()
	sum := new(big.Float).SetPrec(prec).Set(z)
	z2 := new(big.Float).SetPrec(prec).Mul(z, z)
	term := new(big.Float).SetPrec(prec).Set(z)
	eps := new(big.Float).SetMantExp(big.NewFloat(1), -int(prec)-8)
	for k := int64(3); k < 4000; k += 2 {
		term.Mul(term, z2)
		if alternate {
			term.Neg(term)
		}
		t := new(big.Float).SetPrec(prec).Quo(term, new(big.Float).SetPrec(prec).SetInt64(k))
		sum.Add(sum, t)
		if t.Sign() == 0 || new(big.Float).Abs(t).Cmp(eps) < 0 {
			break
		}
	}
	return sum
}

// hpLog returns ln(x) for finite x > 0 at high precision.
func hpLog(x float64) *big.Float {
	hpInit()
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	if frac < math.Sqrt2/2 {
		frac *= 2
		exp--
	}
	// ln(frac) = 2 atanh((frac-1)/(frac+1)), |z| < 0.172
	f := hpf(frac)
	num := new(big.Float).SetPrec(hpPrec).Sub(f, hpf(1))
	den := new(big.Float).SetPrec(hpPrec).Add(f, hpf(1))
	z := num.Quo(num, den)
	r := hpAtanh(z)
	r.Mul(r, hpf(2))
	e := new(big.Float).SetPrec(hpPrec).Mul(hpLn2, hpf(float64(exp)))
	return r.Add(r, e)
}

// hpExp returns e^x rounded to float64 (with overflow to ±Inf and
// underflow to 0 as IEEE).
func hpExp(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x > 710 || x < -746 || math.Abs(x) < 1e-300 {
		return math.Exp(x)
	}
	return hpExpBig(hpf(x))
}

func hpExpBig(x *big.Float) float64 {
	hpInit()
	// x = k ln2 + r, |r| <= ln2/2
	q := new(big.Float).SetPrec(hpPrec).Quo(x, hpLn2)
	qf, _ := q.Float64()
	k := math.Round(qf)
	r := new(big.Float).SetPrec(hpConPrec).Sub(new(big.Float).SetPrec(hpConPrec).Set(x), new(big.Float).SetPrec(hpConPrec).Mul(hpLn2, hpc(k)))
	r.SetPrec(hpPrec)
	// Taylor series of e^r.
	sum := hpf(1)
	term := hpf(1)
	eps := new(big.Float).SetMantExp(hpf(1), -hpPrec-8)
	for n := 1; n < 400; n++ {
		term.Mul(term, r)
		term.Quo(term, hpf(float64(n)))
		sum.Add(sum, term)
		if term.Sign() == 0 || new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	sum.SetMantExp(sum, int(k))
	f, _ := sum.Float64()
	return f
}

func hpLogF(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return math.Log(x)
	}
	f, _ := hpLog(x).Float64()
	return f
}

func hpLogBase(x float64, base float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		if base == 2 {
			return math.Log2(x)
		}
		return math.Log10(x)
	}
	if base == 2 {
		if frac, exp := math.Frexp(x); frac == 0.5 {
			return float64(exp - 1) // exact powers of two
		}
	}
	l := hpLog(x)
	l.Quo(l, hpLog(base))
	f, _ := l.Float64()
	return f
}

// hpSinCos returns sin and cos of x at high precision (|x| < 2^40, where
// reduction by a 256-bit pi keeps more than 100 correct bits).
func hpSinCos(x float64) (*big.Float, *big.Float) {
	hpInit()
	halfPi := new(big.Float).SetPrec(hpConPrec).Quo(hpPi, hpc(2))
	q := new(big.Float).SetPrec(hpPrec).Quo(hpf(x), halfPi)
	qf, _ := q.Float64()
	k := math.Round(qf)
	r := new(big.Float).SetPrec(hpConPrec).Sub(hpc(x), new(big.Float).SetPrec(hpConPrec).Mul(halfPi, hpc(k)))
	r.SetPrec(hpPrec)
	// Taylor series for sin r and cos r.
	r2 := new(big.Float).SetPrec(hpPrec).Mul(r, r)
	sin := new(big.Float).SetPrec(hpPrec).Set(r)
	cos := hpf(1)
	ts := new(big.Float).SetPrec(hpPrec).Set(r)
	tc := hpf(1)
	eps := new(big.Float).SetMantExp(hpf(1), -hpPrec-8)
	for n := 1; n < 200; n++ {
		ts.Mul(ts, r2)
		ts.Quo(ts, hpf(float64((2*n)*(2*n+1))))
		ts.Neg(ts)
		sin.Add(sin, ts)
		tc.Mul(tc, r2)
		tc.Quo(tc, hpf(float64((2*n-1)*(2*n))))
		tc.Neg(tc)
		cos.Add(cos, tc)
		if new(big.Float).Abs(ts).Cmp(eps) < 0 && new(big.Float).Abs(tc).Cmp(eps) < 0 {
			break
		}
	}
	switch int64(k) & 3 {
	case 0:
		return sin, cos
	case 1:
		return cos, new(big.Float).Neg(sin)
	case 2:
		return new(big.Float).Neg(sin), new(big.Float).Neg(cos)
	}
	return new(big.Float).Neg(cos), sin
}

func hpTrig(name string, x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<40 || x == 0 {
		switch name {
		case "sin":
			return math.Sin(x)
		case "cos":
			return math.Cos(x)
		}
		return math.Tan(x)
	}
	s, c := hpSinCos(x)
	var r *big.Float
	switch name {
	case "sin":
		r = s
	case "cos":
		r = c
	default:
		r = new(big.Float).SetPrec(hpPrec).Quo(s, c)
	}
	f, _ := r.Float64()
	return f
}
