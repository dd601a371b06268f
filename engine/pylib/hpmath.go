package pylib

import (
	"math"
	"math/big"
	"sync"
)

// Correctly rounded (in all but pathological cases) exp, log and
// trigonometric functions, computed with 256-bit big.Float arithmetic, so
// that results match CPython on glibc (whose libm rounds these correctly)
// rather than Go's math package (which may be 1 ulp off).

const hpPrec = 256

var (
	hpOnce sync.Once
	hpLn2  *big.Float
	hpPi   *big.Float
)

func hpf(x float64) *big.Float { return new(big.Float).SetPrec(hpPrec).SetFloat64(x) }

func hpInit() {
	hpOnce.Do(func() {
		// ln 2 = 2 atanh(1/3)
		third := new(big.Float).SetPrec(hpPrec).Quo(hpf(1), hpf(3))
		hpLn2 = hpAtanh(third)
		hpLn2.Mul(hpLn2, hpf(2))
		// pi = 16 atan(1/5) - 4 atan(1/239)
		a := hpAtanSmall(new(big.Float).SetPrec(hpPrec).Quo(hpf(1), hpf(5)))
		b := hpAtanSmall(new(big.Float).SetPrec(hpPrec).Quo(hpf(1), hpf(239)))
		a.Mul(a, hpf(16))
		b.Mul(b, hpf(4))
		hpPi = a.Sub(a, b)
	})
}

// hpAtanh is the series z + z^3/3 + z^5/5 + … for |z| <= 1/3.
func hpAtanh(z *big.Float) *big.Float {
	sum := new(big.Float).SetPrec(hpPrec).Set(z)
	z2 := new(big.Float).SetPrec(hpPrec).Mul(z, z)
	term := new(big.Float).SetPrec(hpPrec).Set(z)
	eps := new(big.Float).SetMantExp(hpf(1), -hpPrec-8)
	for k := int64(3); k < 2000; k += 2 {
		term.Mul(term, z2)
		t := new(big.Float).SetPrec(hpPrec).Quo(term, hpf(float64(k)))
		sum.Add(sum, t)
		if t.Sign() == 0 || new(big.Float).Abs(t).Cmp(eps) < 0 {
			break
		}
	}
	return sum
}

// hpAtanSmall is the series z - z^3/3 + z^5/5 - … for small |z|.
func hpAtanSmall(z *big.Float) *big.Float {
	sum := new(big.Float).SetPrec(hpPrec).Set(z)
	z2 := new(big.Float).SetPrec(hpPrec).Mul(z, z)
	term := new(big.Float).SetPrec(hpPrec).Set(z)
	eps := new(big.Float).SetMantExp(hpf(1), -hpPrec-8)
	for k := int64(3); k < 4000; k += 2 {
		term.Mul(term, z2)
		term.Neg(term)
		t := new(big.Float).SetPrec(hpPrec).Quo(term, hpf(float64(k)))
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
	r := new(big.Float).SetPrec(hpPrec).Sub(x, new(big.Float).SetPrec(hpPrec).Mul(hpLn2, hpf(k)))
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

// hpSinCos returns sin and cos of x at high precision (|x| < 2^50).
func hpSinCos(x float64) (*big.Float, *big.Float) {
	hpInit()
	halfPi := new(big.Float).SetPrec(hpPrec).Quo(hpPi, hpf(2))
	q := new(big.Float).SetPrec(hpPrec).Quo(hpf(x), halfPi)
	qf, _ := q.Float64()
	k := math.Round(qf)
	r := new(big.Float).SetPrec(hpPrec).Sub(hpf(x), new(big.Float).SetPrec(hpPrec).Mul(halfPi, hpf(k)))
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
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<50 || x == 0 {
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
