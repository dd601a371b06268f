package pylib

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"

	"github.com/julepkit/julep/engine/internal/py"
)

// maxStrDigits is CPython's default int_max_str_digits.
const maxStrDigits = 4300

// normalizeDigits maps Unicode decimal digits to ASCII and strips
// surrounding whitespace, as int() and float() do.
func normalizeDigits(s string) string {
	s = strings.TrimFunc(s, isPySpace)
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 0x80 && unicode.Is(unicode.Nd, r) {
			b.WriteRune('0' + digitValue(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// digitValue returns the value of a Unicode decimal digit (Nd blocks are
// runs of ten consecutive code points starting at a zero).
func digitValue(r rune) rune {
	z := r
	for z > 0 && unicode.Is(unicode.Nd, z-1) {
		z--
	}
	return (r - z) % 10
}

// parseIntString implements int(s, base).
func parseIntString(orig string, base int64) (any, error) {
	bad := func() error {
		return valueErr("invalid literal for int() with base %d: %s", base, py.ShortRepr(orig))
	}
	s := normalizeDigits(orig)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	b := int(base)
	if b == 0 {
		if len(s) > 1 && s[0] == '0' {
			switch s[1] {
			case 'x', 'X':
				b = 16
			case 'o', 'O':
				b = 8
			case 'b', 'B':
				b = 2
			default:
				// "0", "00", "0_0" are fine; "010" is not.
				if strings.Trim(s, "0_") != "" || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
					return nil, bad()
				}
				return int64(0), nil
			}
			s = s[2:]
			if strings.HasPrefix(s, "_") {
				s = s[1:]
				if s == "" || s[0] == '_' {
					return nil, bad()
				}
			}
		} else {
			b = 10
		}
	} else if len(s) > 1 && s[0] == '0' {
		p := s[1] | 0x20
		if b == 16 && p == 'x' || b == 8 && p == 'o' || b == 2 && p == 'b' {
			s = strings.TrimPrefix(s[2:], "_")
		}
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return nil, bad()
	}
	digits := strings.ReplaceAll(s, "_", "")
	for _, c := range digits {
		d := 99
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
		}
		if d >= b {
			return nil, bad()
		}
	}
	if b&(b-1) != 0 && len(digits) > maxStrDigits {
		return nil, valueErr("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", maxStrDigits, len(digits))
	}
	n, ok := new(big.Int).SetString(digits, b)
	if !ok {
		return nil, bad()
	}
	if neg {
		n.Neg(n)
	}
	return py.NormInt(n), nil
}

// parseFloatString implements float(s).
func parseFloatString(orig string) (float64, error) {
	bad := valueErr("could not convert string to float: %s", py.ShortRepr(orig))
	s := normalizeDigits(orig)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if body == "" {
		return 0, bad
	}
	// Only digits, one dot, one exponent, underscores between digits.
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		case c == '_':
			if i == 0 || i == len(body)-1 || !isDigitByte(body[i-1]) || !isDigitByte(body[i+1]) {
				return 0, bad
			}
		default:
			return 0, bad
		}
	}
	clean := strings.ReplaceAll(s, "_", "")
	if strings.ContainsAny(clean, "xXpP") {
		return 0, bad
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil // ±Inf or 0, as CPython
		}
		return 0, bad
	}
	return f, nil
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// floatToInt converts a float to int by truncation (int(x)).
func floatToInt(f float64) (any, error) {
	if math.IsNaN(f) {
		return nil, valueErr("cannot convert float NaN to integer")
	}
	if math.IsInf(f, 0) {
		return nil, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
	}
	t := math.Trunc(f)
	if t >= -9.2e18 && t <= 9.2e18 {
		return int64(t), nil
	}
	b, _ := new(big.Float).SetFloat64(t).Int(nil)
	return py.NormInt(b), nil
}

// roundHalfEvenRat rounds r to an integer, ties to even.
func roundHalfEvenRat(r *big.Rat) *big.Int {
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	// QuoRem truncates toward zero; handle the remainder.
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	c := twice.Cmp(den)
	if c > 0 || c == 0 && q.Bit(0) == 1 {
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func pow10Rat(n int64) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(absI(n)), nil)
	if n >= 0 {
		return new(big.Rat).SetInt(p)
	}
	return new(big.Rat).SetFrac(big.NewInt(1), p)
}

func absI(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// roundFloat implements round(x, ndigits) for a float: the exact value
// rounded half-even at the decimal position, then correctly rounded back.
func roundFloat(x float64, nd int64) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x, nil
	}
	if nd > 323 {
		return x, nil
	}
	if nd < -308 {
		return math.Copysign(0, x), nil
	}
	r := new(big.Rat).SetFloat64(x)
	scaled := new(big.Rat).Mul(r, pow10Rat(nd))
	m := roundHalfEvenRat(scaled)
	res := new(big.Rat).Mul(new(big.Rat).SetInt(m), pow10Rat(-nd))
	f, _ := res.Float64()
	if math.IsInf(f, 0) {
		return 0, py.Errorf(py.OverflowError, "rounded value too large to represent")
	}
	if f == 0 {
		return math.Copysign(0, x), nil
	}
	return f, nil
}

// roundInt implements round(n, ndigits) for an int.
func roundInt(n *big.Int, nd int64) any {
	if nd >= 0 {
		return py.NormInt(n)
	}
	r := new(big.Rat).Mul(new(big.Rat).SetInt(n), pow10Rat(nd))
	m := roundHalfEvenRat(r)
	m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(-nd), nil))
	return py.NormInt(m)
}
