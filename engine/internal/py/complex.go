package py

import (
	"math"
	"math/big"
	"strings"
	"sync"
)

// Complex is a Python complex number. It appears where CPython produces
// one (a negative number raised to a fractional power, (-8) ** (1/3)) and
// supports + - * / ** with ints, floats and complexes, ==, unary - and +,
// truth, hashing and repr with CPython's results (c_prod, Smith's c_quot,
// c_pow and c_powi).
type Complex complex128

// TypeName returns "complex".
func (c Complex) TypeName() string { return "complex" }

// Repr returns CPython's repr: "(1+2j)", "2j", "(-0+2j)", "(nan+infj)".
func (c Complex) Repr() string {
	re, im := real(c), imag(c)
	if re == 0 && !math.Signbit(re) {
		return reprNoDot(im, false) + "j"
	}
	return "(" + reprNoDot(re, false) + reprNoDot(im, true) + "j)"
}

// reprNoDot is repr(f) without the ".0" of integral values ('r' format
// without Py_DTSF_ADD_DOT_0), with a leading sign when sign is set.
func reprNoDot(f float64, sign bool) string {
	s := FormatFloat(f)
	if !math.IsNaN(f) && !math.IsInf(f, 0) {
		s = strings.TrimSuffix(s, ".0")
	}
	if sign && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// Truth reports c != 0.
func (c Complex) Truth() bool { return c != 0 }

// HashKey makes a complex with a zero imaginary part the same key as its
// real part (hash(2+0j) == hash(2.0)).
func (c Complex) HashKey() (any, error) {
	if imag(c) == 0 {
		return floatKey(real(c)), nil
	}
	return c, nil
}

// GetAttr exposes real, imag and conjugate().
func (c Complex) GetAttr(st *State, name string) (any, bool, error) {
	switch name {
	case "real":
		return real(c), true, nil
	case "imag":
		return imag(c), true, nil
	case "conjugate":
		return &Func{Name: "conjugate", Recv: c, Call: func(st *State, args []any, kw *Kwargs) (any, error) {
			if len(args) > 0 || kw != nil {
				return nil, newErr(TypeError, "complex.conjugate() takes no arguments")
			}
			return Complex(complex(real(c), -imag(c))), nil
		}}, true, nil
	}
	return nil, false, nil
}

// Equal implements == with numbers and complexes.
func (c Complex) Equal(other any) bool {
	o, ok := toComplex(other)
	return ok && complex128(c) == o
}

// Format implements format(): an empty spec gives str(c); format specs for
// complex numbers are not supported.
func (c Complex) Format(st *State, spec string) (string, error) {
	if spec == "" {
		return c.Repr(), nil
	}
	return "", newErr(NotImplementedError, "format specs for complex numbers are not supported")
}

// Abs returns abs(c) (hypot of the parts), OverflowError "absolute value
// too large" when infinite from finite parts.
func (c Complex) Abs() (float64, error) {
	re, im := real(c), imag(c)
	if math.IsInf(re, 0) || math.IsInf(im, 0) {
		return math.Inf(1), nil
	}
	if math.IsNaN(re) || math.IsNaN(im) {
		return math.NaN(), nil
	}
	r := hypot(re, im)
	if math.IsInf(r, 0) {
		return 0, newErr(OverflowError, "absolute value too large")
	}
	return r, nil
}

// hypot is a correctly rounded hypot (as glibc's).
func hypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	if x == 0 {
		return y
	}
	if y == 0 {
		return x
	}
	bx := new(big.Float).SetPrec(powPrec).SetFloat64(x)
	by := new(big.Float).SetPrec(powPrec).SetFloat64(y)
	bx.Mul(bx, bx)
	by.Mul(by, by)
	bx.Add(bx, by)
	return toFloat64(bx.Sqrt(bx))
}

// toComplex converts a number to complex128.
func toComplex(v any) (complex128, bool) {
	switch x := v.(type) {
	case Complex:
		return complex128(x), true
	case float64:
		return complex(x, 0), true
	case int64, bool, *big.Int:
		f, err := AsFloat(x)
		if err != nil {
			return 0, false
		}
		return complex(f, 0), true
	}
	return 0, false
}

// BinaryOp implements + - * / ** with numbers.
func (c Complex) BinaryOp(st *State, op string, other any, right bool) (any, bool, error) {
	o, ok := toComplex(other)
	if !ok {
		if IsInt(other) { // an int too large for a float
			_, err := AsFloat(other)
			return nil, true, err
		}
		return nil, false, nil
	}
	a, b := complex128(c), o
	if right {
		a, b = b, a
	}
	switch op {
	case "+":
		return Complex(complex(real(a)+real(b), imag(a)+imag(b))), true, nil
	case "-":
		return Complex(complex(real(a)-real(b), imag(a)-imag(b))), true, nil
	case "*":
		return Complex(cProd(a, b)), true, nil
	case "/":
		q, ok := cQuot(a, b)
		if !ok {
			return nil, true, newErr(ZeroDivisionError, "complex division by zero")
		}
		return Complex(q), true, nil
	case "**":
		r, err := complexPow(a, b)
		if err != nil {
			return nil, true, err
		}
		return Complex(r), true, nil
	}
	return nil, false, nil
}

func cProd(a, b complex128) complex128 {
	return complex(real(a)*real(b)-imag(a)*imag(b), real(a)*imag(b)+imag(a)*real(b))
}

// cQuot is CPython's _Py_c_quot (Smith's algorithm); ok=false on division
// by zero.
func cQuot(a, b complex128) (complex128, bool) {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	absBr, absBi := math.Abs(br), math.Abs(bi)
	switch {
	case absBr >= absBi:
		if absBr == 0 {
			return 0, false
		}
		ratio := bi / br
		denom := br + bi*ratio
		return complex((ar+ai*ratio)/denom, (ai-ar*ratio)/denom), true
	case absBi >= absBr:
		ratio := br / bi
		denom := br*ratio + bi
		return complex((ar*ratio+ai)/denom, (ai*ratio-ar)/denom), true
	}
	return complex(math.NaN(), math.NaN()), true
}

// complexPow is CPython's complex_pow.
func complexPow(a, b complex128) (complex128, error) {
	var p complex128
	domain := false
	if imag(b) == 0 && real(b) == math.Floor(real(b)) && math.Abs(real(b)) <= 100 {
		n := int(real(b))
		if n > 0 {
			p = cPowu(a, n)
		} else {
			q, ok := cQuot(1, cPowu(a, -n))
			if !ok {
				domain = true
			}
			p = q
		}
	} else {
		p, domain = cPow(a, b)
	}
	if domain {
		return 0, newErr(ZeroDivisionError, "0.0 to a negative or complex power")
	}
	if math.IsInf(real(p), 0) || math.IsInf(imag(p), 0) {
		return 0, newErr(OverflowError, "complex exponentiation")
	}
	return p, nil
}

func cPowu(x complex128, n int) complex128 {
	r := complex128(1)
	p := x
	for mask := 1; mask > 0 && n >= mask; mask <<= 1 {
		if n&mask != 0 {
			r = cProd(r, p)
		}
		p = cProd(p, p)
	}
	return r
}

// cPow is CPython's _Py_c_pow; domain reports EDOM (0 to a negative or
// complex power).
func cPow(a, b complex128) (complex128, bool) {
	if real(b) == 0 && imag(b) == 0 {
		return 1, false
	}
	if real(a) == 0 && imag(a) == 0 {
		if imag(b) != 0 || real(b) < 0 {
			return 0, true
		}
		return 0, false
	}
	vabs := hypot(real(a), imag(a))
	length := Pow64(vabs, real(b))
	at := math.Atan2(imag(a), real(a))
	phase := at * real(b)
	if imag(b) != 0 {
		length /= bigExpFloat(at * imag(b))
		phase += imag(b) * bigLogFloat(vabs)
	}
	return complex(length*cosSin(phase, true), length*cosSin(phase, false)), false
}

func bigExpFloat(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	r, hint, ok := bigExp(new(big.Float).SetPrec(powPrec + 32).SetFloat64(x))
	if !ok {
		return hint
	}
	return toFloat64(r)
}

func bigLogFloat(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return math.Log(x)
	}
	return toFloat64(bigLog(x))
}

var (
	piOnce sync.Once
	piBig  *big.Float
)

// bigPi returns π to 320 bits (Machin: π = 16 atan(1/5) - 4 atan(1/239)).
func bigPi() *big.Float {
	piOnce.Do(func() {
		const prec = 320
		atanInv := func(n int64) *big.Float {
			// atan(1/n) = sum (-1)^k / ((2k+1) n^(2k+1))
			x := new(big.Float).SetPrec(prec).SetInt64(1)
			x.Quo(x, new(big.Float).SetPrec(prec).SetInt64(n))
			n2 := new(big.Float).SetPrec(prec).SetInt64(n * n)
			term := new(big.Float).SetPrec(prec).Set(x)
			sum := new(big.Float).SetPrec(prec).Set(x)
			t := new(big.Float).SetPrec(prec)
			for k := int64(1); k < 400; k++ {
				term.Quo(term, n2)
				t.Quo(term, new(big.Float).SetPrec(prec).SetInt64(2*k+1))
				if k%2 == 1 {
					sum.Sub(sum, t)
				} else {
					sum.Add(sum, t)
				}
			}
			return sum
		}
		a := atanInv(5)
		a.Mul(a, new(big.Float).SetPrec(prec).SetInt64(16))
		b := atanInv(239)
		b.Mul(b, new(big.Float).SetPrec(prec).SetInt64(4))
		piBig = a.Sub(a, b)
	})
	return piBig
}

// cosSin returns cos(x) (cos=true) or sin(x) correctly rounded for
// moderate |x| (falls back to math.Cos/math.Sin beyond 1e6).
func cosSin(x float64, cos bool) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e6 {
		if cos {
			return math.Cos(x)
		}
		return math.Sin(x)
	}
	if x == 0 {
		if cos {
			return 1
		}
		return x
	}
	const prec = 256
	bx := new(big.Float).SetPrec(prec).SetFloat64(x)
	// Reduce modulo 2π into [-π, π].
	twoPi := new(big.Float).SetPrec(prec).Mul(bigPi(), big.NewFloat(2))
	q := new(big.Float).SetPrec(prec).Quo(bx, twoPi)
	qf, _ := q.Float64()
	k := new(big.Float).SetPrec(prec).SetFloat64(math.Round(qf))
	r := bx.Sub(bx, k.Mul(k, twoPi))
	// Taylor series.
	r2 := new(big.Float).SetPrec(prec).Mul(r, r)
	var term *big.Float
	var n int64
	if cos {
		term = new(big.Float).SetPrec(prec).SetInt64(1)
		n = 0
	} else {
		term = new(big.Float).SetPrec(prec).Set(r)
		n = 1
	}
	sum := new(big.Float).SetPrec(prec).Set(term)
	for i := 0; i < 200; i++ {
		term.Mul(term, r2)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64((n+1)*(n+2)))
		term.Neg(term)
		n += 2
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-prec-8 {
			break
		}
		sum.Add(sum, term)
	}
	return toFloat64(sum)
}
