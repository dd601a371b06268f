package py

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Binary operators. Each takes the evaluation State (for budgets) and the two
// operands, and returns the Python result or an *Error with CPython's
// message (TypeError "unsupported operand type(s) for +: 'int' and 'str'").

// Add implements a + b: numbers (int/float/big mixed), str + str,
// list + list, tuple + tuple, and Objects implementing BinaryOperator.
func Add(st *State, a, b any) (any, error) {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			s := x + y
			if (x^s)&(y^s) >= 0 {
				return BoxInt(s), nil
			}
			return normBig(new(big.Int).Add(big.NewInt(x), big.NewInt(y))), nil
		}
	case float64:
		if y, ok := b.(float64); ok {
			return x + y, nil
		}
	case string:
		if y, ok := b.(string); ok {
			if len(y) == 0 {
				return x, nil
			}
			if len(x) == 0 {
				return y, nil
			}
			if err := checkStrBytes(st, x, y); err != nil {
				return nil, err
			}
			return x + y, nil
		}
		if _, ok := b.(Object); !ok {
			return nil, newErr(TypeError, "can only concatenate str (not \""+TypeName(b)+"\") to str")
		}
	case *List:
		if y, ok := b.(*List); ok {
			n := len(x.items()) + len(y.items())
			if err := st.CheckCollectionLen(int64(n)); err != nil {
				return nil, err
			}
			items := make([]any, 0, n)
			items = append(items, x.items()...)
			return &List{Items: append(items, y.items()...)}, nil
		}
		if _, ok := b.(Object); !ok {
			return nil, newErr(TypeError, "can only concatenate list (not \""+TypeName(b)+"\") to list")
		}
	case Tuple:
		if y, ok := b.(Tuple); ok {
			if len(y) == 0 {
				return x, nil
			}
			if len(x) == 0 {
				return y, nil
			}
			n := len(x) + len(y)
			if err := st.CheckCollectionLen(int64(n)); err != nil {
				return nil, err
			}
			items := make(Tuple, 0, n)
			items = append(items, x...)
			return append(items, y...), nil
		}
		if _, ok := b.(Object); !ok {
			return nil, newErr(TypeError, "can only concatenate tuple (not \""+TypeName(b)+"\") to tuple")
		}
	}
	return arith(st, "+", a, b)
}

// checkStrBytes checks the length of the concatenation of x and y.
func checkStrBytes(st *State, x, y string) error {
	n := int64(len(x)) + int64(len(y))
	if n > st.Limits().MaxStringLen {
		return st.CheckStringLen(int64(utf8.RuneCountInString(x)) + int64(utf8.RuneCountInString(y)))
	}
	return st.ChargeBytes(n)
}

// Sub implements a - b: numbers, set - set, Objects.
func Sub(st *State, a, b any) (any, error) {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			s := x - y
			if (x^y)&(x^s) >= 0 {
				return BoxInt(s), nil
			}
			return normBig(new(big.Int).Sub(big.NewInt(x), big.NewInt(y))), nil
		}
	case float64:
		if y, ok := b.(float64); ok {
			return x - y, nil
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			if err := st.Charge(int64(x.Len())); err != nil {
				return nil, err
			}
			out := NewSet(0)
			for i := range x.ents() {
				e := x.d.entries[i]
				if !y.hasHK(e.hk) {
					out.addHK(e.key, e.hk)
				}
			}
			return out, nil
		}
	}
	return arith(st, "-", a, b)
}

// Mul implements a * b: numbers, str * int, int * str, list * int,
// tuple * int (a negative count gives an empty sequence). Result sizes are
// checked against the limits before allocating.
func Mul(st *State, a, b any) (any, error) {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
			if hi == 0 && lo <= math.MaxInt64 && x != math.MinInt64 && y != math.MinInt64 {
				if (x < 0) != (y < 0) {
					return BoxInt(-int64(lo)), nil
				}
				return BoxInt(int64(lo)), nil
			}
			return normBig(new(big.Int).Mul(big.NewInt(x), big.NewInt(y))), nil
		}
		if isSeq(b) {
			return repeat(st, b, a)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return x * y, nil
		}
	case string, *List, Tuple:
		return repeat(st, a, b)
	}
	if isSeq(b) {
		if _, ok := a.(Object); !ok {
			return repeat(st, b, a)
		}
	}
	return arith(st, "*", a, b)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func isSeq(v any) bool {
	switch v.(type) {
	case string, *List, Tuple:
		return true
	}
	return false
}

// repeat implements seq * n.
func repeat(st *State, seq, count any) (any, error) {
	var n int64
	switch c := count.(type) {
	case int64:
		n = c
	case bool:
		n = b2i(c)
	case *big.Int:
		if c.Sign() < 0 {
			n = 0
		} else {
			n = math.MaxInt64
		}
	default:
		if _, ok := count.(Object); ok {
			return arith(st, "*", seq, count)
		}
		return nil, newErr(TypeError, "can't multiply sequence by non-int of type '"+TypeName(count)+"'")
	}
	if n < 0 {
		n = 0
	}
	switch s := seq.(type) {
	case string:
		if n == 0 || s == "" {
			return "", nil
		}
		if n == 1 {
			return s, nil
		}
		if int64(len(s)) > st.Limits().MaxStringLen/n {
			rc := int64(utf8.RuneCountInString(s))
			if rc > st.Limits().MaxStringLen/n {
				return nil, newErr(LimitError, "string too long (repetition exceeds "+strconv.FormatInt(st.Limits().MaxStringLen, 10)+" characters)")
			}
		}
		if err := st.ChargeBytes(int64(len(s)) * n); err != nil {
			return nil, err
		}
		return strings.Repeat(s, int(n)), nil
	case *List:
		items, err := repeatItems(st, s.items(), n)
		if err != nil {
			return nil, err
		}
		return &List{Items: items}, nil
	case Tuple:
		if n == 1 {
			return s, nil
		}
		items, err := repeatItems(st, s, n)
		if err != nil {
			return nil, err
		}
		return Tuple(items), nil
	}
	return nil, typeErrOp("*", seq, count)
}

func repeatItems(st *State, items []any, n int64) ([]any, error) {
	if n == 0 || len(items) == 0 {
		return []any{}, nil
	}
	if int64(len(items)) > st.Limits().MaxCollectionLen/n {
		return nil, newErr(LimitError, "collection too large (repetition exceeds "+strconv.FormatInt(st.Limits().MaxCollectionLen, 10)+" items)")
	}
	total := int64(len(items)) * n
	if err := st.CheckCollectionLen(total); err != nil {
		return nil, err
	}
	out := make([]any, 0, total)
	for range n {
		out = append(out, items...)
	}
	return out, nil
}

// TrueDiv implements a / b: always a float for numbers, correctly rounded
// for big ints; ZeroDivisionError "division by zero".
func TrueDiv(st *State, a, b any) (any, error) {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok {
			if y == 0 {
				return nil, newErr(ZeroDivisionError, "float division by zero")
			}
			return x / y, nil
		}
	}
	return arith(st, "/", a, b)
}

// FloorDiv implements a // b with floor semantics (ints and floats).
func FloorDiv(st *State, a, b any) (any, error) {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok && y != 0 && !(x == math.MinInt64 && y == -1) {
			q := x / y
			if (x%y != 0) && ((x < 0) != (y < 0)) {
				q--
			}
			return BoxInt(q), nil
		}
	}
	return arith(st, "//", a, b)
}

// Mod implements a % b with the sign of the divisor (ints and floats).
// A str left operand is printf-style formatting (PercentFormat).
func Mod(st *State, a, b any) (any, error) {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok && y != 0 {
			if y == -1 {
				return int64(0), nil
			}
			r := x % y
			if r != 0 && (r < 0) != (y < 0) {
				r += y
			}
			return BoxInt(r), nil
		}
	}
	if s, ok := a.(string); ok {
		if _, ok := b.(Object); !ok {
			return PercentFormat(st, s, b)
		}
	}
	return arith(st, "%", a, b)
}

// Pow implements a ** b: int ** non-negative int is an int (its size is
// estimated first: LimitError past MaxIntBits), a negative exponent gives a
// float, 0 ** -1 is ZeroDivisionError, a negative base with a non-integral
// exponent gives a Complex as in CPython.
func Pow(st *State, a, b any) (any, error) {
	return arith(st, "**", a, b)
}

// arith is the general numeric path of the arithmetic operators, with
// Object fallbacks and TypeErrors.
func arith(st *State, op string, a, b any) (any, error) {
	ka, ia, ba, fa := number(a)
	kb, ib, bb, fb := number(b)
	if ka == kNone || kb == kNone {
		return objOp(st, op, a, b)
	}
	if ka == kFloat || kb == kFloat || op == "/" {
		if op == "/" && ka != kFloat && kb != kFloat {
			return intTrueDiv(ia, ba, ib, bb)
		}
		var err error
		if ka == kInt {
			fa = float64(ia)
		} else if ka == kBig {
			if fa, err = bigToFloat(ba); err != nil {
				return nil, err
			}
		}
		if kb == kInt {
			fb = float64(ib)
		} else if kb == kBig {
			if fb, err = bigToFloat(bb); err != nil {
				return nil, err
			}
		}
		return floatOp(op, fa, fb)
	}
	if op == "**" && ka == kInt && kb == kInt {
		if r, ok := powInt64(ia, ib); ok {
			return r, nil
		}
	}
	if ba == nil {
		ba = big.NewInt(ia)
	}
	if bb == nil {
		bb = big.NewInt(ib)
	}
	return bigOp(st, op, ba, bb)
}

// objOp tries the BinaryOperator Objects, then raises TypeError.
func objOp(st *State, op string, a, b any) (any, error) {
	if o, ok := a.(BinaryOperator); ok {
		v, ok, err := o.BinaryOp(st, op, b, false)
		if err != nil || ok {
			return v, err
		}
	}
	if o, ok := b.(BinaryOperator); ok {
		v, ok, err := o.BinaryOp(st, op, a, true)
		if err != nil || ok {
			return v, err
		}
	}
	if op == "**" {
		return nil, newErr(TypeError, "unsupported operand type(s) for ** or pow(): '"+TypeName(a)+"' and '"+TypeName(b)+"'")
	}
	return nil, typeErrOp(op, a, b)
}

func floatOp(op string, x, y float64) (any, error) {
	switch op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		if y == 0 {
			return nil, newErr(ZeroDivisionError, "float division by zero")
		}
		return x / y, nil
	case "//":
		if y == 0 {
			return nil, newErr(ZeroDivisionError, "float floor division by zero")
		}
		q, _ := floatDivmod(x, y)
		return q, nil
	case "%":
		if y == 0 {
			return nil, newErr(ZeroDivisionError, "float modulo")
		}
		_, m := floatDivmod(x, y)
		return m, nil
	case "**":
		return floatPow(x, y)
	}
	return nil, newErr(TypeError, "unsupported operand type(s) for "+op+": 'float' and 'float'")
}

// floatDivmod is CPython's float_divmod (y != 0).
func floatDivmod(vx, wx float64) (float64, float64) {
	mod := math.Mod(vx, wx)
	div := (vx - mod) / wx
	if mod != 0 {
		if (wx < 0) != (mod < 0) {
			mod += wx
			div -= 1.0
		}
	} else {
		mod = math.Copysign(0, wx)
	}
	var floordiv float64
	if div != 0 {
		floordiv = math.Floor(div)
		if div-floordiv > 0.5 {
			floordiv += 1.0
		}
	} else {
		floordiv = math.Copysign(0, vx/wx)
	}
	return floordiv, mod
}

// FloatDivmod returns (x // y, x % y) for floats as CPython (y must not be 0).
func FloatDivmod(x, y float64) (float64, float64) { return floatDivmod(x, y) }

func floatPow(x, y float64) (any, error) {
	if y == 0 {
		return 1.0, nil
	}
	if x == 1 {
		return 1.0, nil
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN(), nil
	}
	if x == 0 && y < 0 {
		return nil, newErr(ZeroDivisionError, "0.0 cannot be raised to a negative power")
	}
	if x < 0 && !math.IsInf(x, 0) && !math.IsInf(y, 0) && y != math.Trunc(y) {
		// CPython hands this to complex pow.
		r, err := complexPow(complex(x, 0), complex(y, 0))
		if err != nil {
			return nil, err
		}
		return Complex(r), nil
	}
	r := Pow64(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return nil, newErr(OverflowError, "(34, 'Numerical result out of range')")
	}
	return r, nil
}

// intTrueDiv divides two ints into a correctly rounded float.
func intTrueDiv(ia int64, ba *big.Int, ib int64, bb *big.Int) (any, error) {
	if ba == nil && bb == nil {
		if ib == 0 {
			return nil, newErr(ZeroDivisionError, "division by zero")
		}
		if abs64(ia) <= 1<<53 && abs64(ib) <= 1<<53 && ia != math.MinInt64 && ib != math.MinInt64 {
			return float64(ia) / float64(ib), nil
		}
	}
	if ba == nil {
		ba = big.NewInt(ia)
	}
	if bb == nil {
		bb = big.NewInt(ib)
	}
	if bb.Sign() == 0 {
		return nil, newErr(ZeroDivisionError, "division by zero")
	}
	if ba.Sign() == 0 {
		return math.Copysign(0, float64(bb.Sign())), nil
	}
	f, _ := new(big.Rat).SetFrac(ba, bb).Float64()
	if math.IsInf(f, 0) {
		return nil, newErr(OverflowError, "integer division result too large for a float")
	}
	return f, nil
}

// powInt64 computes x**y for int64 when y >= 0 and the result fits.
func powInt64(x, y int64) (int64, bool) {
	if y < 0 {
		return 0, false
	}
	switch x {
	case 0:
		if y == 0 {
			return 1, true
		}
		return 0, true
	case 1:
		return 1, true
	case -1:
		if y&1 == 0 {
			return 1, true
		}
		return -1, true
	}
	if y >= 64 {
		return 0, false
	}
	result := int64(1)
	base := x
	for {
		if y&1 == 1 {
			hi, lo := bits.Mul64(uint64(abs64(result)), uint64(abs64(base)))
			if hi != 0 || lo > math.MaxInt64 {
				return 0, false
			}
			neg := (result < 0) != (base < 0)
			result = int64(lo)
			if neg {
				result = -result
			}
		}
		y >>= 1
		if y == 0 {
			return result, true
		}
		hi, lo := bits.Mul64(uint64(abs64(base)), uint64(abs64(base)))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		base = int64(lo)
	}
}

// bigOp applies an arithmetic operator to two ints given as big.Ints.
func bigOp(st *State, op string, x, y *big.Int) (any, error) {
	switch op {
	case "+":
		if err := checkBits(st, int64(max(x.BitLen(), y.BitLen())+1)); err != nil {
			return nil, err
		}
		return normBig(new(big.Int).Add(x, y)), nil
	case "-":
		if err := checkBits(st, int64(max(x.BitLen(), y.BitLen())+1)); err != nil {
			return nil, err
		}
		return normBig(new(big.Int).Sub(x, y)), nil
	case "*":
		if err := checkBits(st, int64(x.BitLen()+y.BitLen())); err != nil {
			return nil, err
		}
		return normBig(new(big.Int).Mul(x, y)), nil
	case "//", "%":
		if y.Sign() == 0 {
			if op == "%" {
				return nil, newErr(ZeroDivisionError, "integer modulo by zero")
			}
			return nil, newErr(ZeroDivisionError, "integer division or modulo by zero")
		}
		if err := st.Charge(int64(x.BitLen()/64) + 1); err != nil {
			return nil, err
		}
		q, m := BigDivmod(x, y)
		if op == "//" {
			return normBig(q), nil
		}
		return normBig(m), nil
	case "**":
		return bigPow(st, x, y)
	}
	return nil, newErr(TypeError, "unsupported operand type(s) for "+op+": 'int' and 'int'")
}

// BigDivmod returns Python's (x // y, x % y) for big ints (y != 0).
func BigDivmod(x, y *big.Int) (*big.Int, *big.Int) {
	q, m := new(big.Int).QuoRem(x, y, new(big.Int))
	if m.Sign() != 0 && (m.Sign() < 0) != (y.Sign() < 0) {
		q.Sub(q, big.NewInt(1))
		m.Add(m, y)
	}
	return q, m
}

func bigPow(st *State, x, y *big.Int) (any, error) {
	if y.Sign() < 0 {
		if x.Sign() == 0 {
			return nil, newErr(ZeroDivisionError, "0.0 cannot be raised to a negative power")
		}
		fx, err := bigToFloat(x)
		if err != nil {
			return nil, err
		}
		fy, err := bigToFloat(y)
		if err != nil {
			fy = math.Inf(-1)
		}
		return floatPow(fx, fy)
	}
	// Trivial bases.
	if x.IsInt64() {
		switch x.Int64() {
		case 0:
			if y.Sign() == 0 {
				return int64(1), nil
			}
			return int64(0), nil
		case 1:
			return int64(1), nil
		case -1:
			if y.Bit(0) == 0 {
				return int64(1), nil
			}
			return int64(-1), nil
		}
	}
	maxBits := st.Limits().MaxIntBits
	if !y.IsInt64() || y.Int64() > maxBits {
		return nil, newErr(LimitError, "integer result too large (exponent too large, limit "+strconv.FormatInt(maxBits, 10)+" bits)")
	}
	e := y.Int64()
	// The result has more than e*(bitlen(|x|)-1) bits.
	lower := e * int64(x.BitLen()-1)
	if lower > maxBits || (x.BitLen() > 1 && lower/int64(x.BitLen()-1) != e) {
		return nil, newErr(LimitError, "integer result too large (more than "+strconv.FormatInt(maxBits, 10)+" bits)")
	}
	if err := st.Charge(lower/64 + 1); err != nil {
		return nil, err
	}
	r := new(big.Int).Exp(x, y, nil)
	if err := checkBits(st, int64(r.BitLen())); err != nil {
		return nil, err
	}
	return normBig(r), nil
}

// shiftCount decodes a shift count.
func shiftCount(b any) (n int64, isBig bool, ok bool) {
	switch y := b.(type) {
	case int64:
		return y, false, true
	case bool:
		return b2i(y), false, true
	case *big.Int:
		if y.Sign() < 0 {
			return -1, true, true
		}
		return math.MaxInt64, true, true
	}
	return 0, false, false
}

// LShift implements a << b for ints (negative count: ValueError
// "negative shift count"; size checked against MaxIntBits).
func LShift(st *State, a, b any) (any, error) {
	if !IsInt(a) {
		return objOp(st, "<<", a, b)
	}
	n, _, ok := shiftCount(b)
	if !ok {
		return objOp(st, "<<", a, b)
	}
	if n < 0 {
		return nil, newErr(ValueError, "negative shift count")
	}
	if x, ok := AsInt(a); ok {
		if x == 0 {
			return int64(0), nil
		}
		if n < 63 {
			r := x << uint(n)
			if r>>uint(n) == x {
				return r, nil
			}
		}
	}
	xb := toBig(a)
	if xb.Sign() == 0 {
		return int64(0), nil
	}
	if n > st.Limits().MaxIntBits {
		return nil, newErr(LimitError, "integer result too large (more than "+strconv.FormatInt(st.Limits().MaxIntBits, 10)+" bits)")
	}
	if err := checkBits(st, int64(xb.BitLen())+n); err != nil {
		return nil, err
	}
	return normBig(new(big.Int).Lsh(xb, uint(n))), nil
}

// RShift implements a >> b for ints (floor semantics for negatives).
func RShift(st *State, a, b any) (any, error) {
	if !IsInt(a) {
		return objOp(st, ">>", a, b)
	}
	n, _, ok := shiftCount(b)
	if !ok {
		return objOp(st, ">>", a, b)
	}
	if n < 0 {
		return nil, newErr(ValueError, "negative shift count")
	}
	if x, ok := AsInt(a); ok {
		if n >= 63 {
			if x < 0 {
				return int64(-1), nil
			}
			return int64(0), nil
		}
		return x >> uint(n), nil
	}
	xb := toBig(a)
	if n > int64(xb.BitLen()) {
		if xb.Sign() < 0 {
			return int64(-1), nil
		}
		return int64(0), nil
	}
	return normBig(new(big.Int).Rsh(xb, uint(n))), nil
}

// bitOp implements & | ^ on ints and bools.
func bitOp(st *State, op string, a, b any) (any, error) {
	if x, ok := a.(bool); ok {
		if y, ok := b.(bool); ok {
			switch op {
			case "&":
				return x && y, nil
			case "|":
				return x || y, nil
			default:
				return x != y, nil
			}
		}
	}
	if !IsInt(a) || !IsInt(b) {
		return objOp(st, op, a, b)
	}
	x, okx := AsInt(a)
	y, oky := AsInt(b)
	if okx && oky {
		switch op {
		case "&":
			return x & y, nil
		case "|":
			return x | y, nil
		default:
			return x ^ y, nil
		}
	}
	xb, yb := toBig(a), toBig(b)
	r := new(big.Int)
	switch op {
	case "&":
		r.And(xb, yb)
	case "|":
		r.Or(xb, yb)
	default:
		r.Xor(xb, yb)
	}
	return normBig(r), nil
}

// BitAnd implements a & b: ints (bool & bool is a bool), set & set.
func BitAnd(st *State, a, b any) (any, error) {
	if x, ok := a.(*Set); ok {
		if y, ok := b.(*Set); ok {
			if err := st.Charge(int64(x.Len())); err != nil {
				return nil, err
			}
			out := NewSet(0)
			for i := range x.ents() {
				e := x.d.entries[i]
				if y.hasHK(e.hk) {
					out.addHK(e.key, e.hk)
				}
			}
			return out, nil
		}
	}
	return bitOp(st, "&", a, b)
}

// BitOr implements a | b: ints (bool | bool is a bool), set | set,
// dict | dict (merge, right wins).
func BitOr(st *State, a, b any) (any, error) {
	switch x := a.(type) {
	case *Set:
		if y, ok := b.(*Set); ok {
			if err := st.CheckCollectionLen(int64(x.Len() + y.Len())); err != nil {
				return nil, err
			}
			out := x.Copy()
			for i := range y.ents() {
				e := y.d.entries[i]
				if !out.hasHK(e.hk) {
					out.addHK(e.key, e.hk)
				}
			}
			return out, nil
		}
	case *Dict:
		if y, ok := b.(*Dict); ok {
			if err := st.CheckCollectionLen(int64(x.Len() + y.Len())); err != nil {
				return nil, err
			}
			out := x.Copy()
			out.Update(y)
			return out, nil
		}
	}
	return bitOp(st, "|", a, b)
}

// BitXor implements a ^ b: ints (bool ^ bool is a bool), set ^ set.
func BitXor(st *State, a, b any) (any, error) {
	if x, ok := a.(*Set); ok {
		if y, ok := b.(*Set); ok {
			if err := st.CheckCollectionLen(int64(x.Len() + y.Len())); err != nil {
				return nil, err
			}
			out := NewSet(0)
			for i := range x.ents() {
				e := x.d.entries[i]
				if !y.hasHK(e.hk) {
					out.addHK(e.key, e.hk)
				}
			}
			for i := range y.ents() {
				e := y.d.entries[i]
				if !x.hasHK(e.hk) {
					out.addHK(e.key, e.hk)
				}
			}
			return out, nil
		}
	}
	return bitOp(st, "^", a, b)
}

// Neg implements -a (bool and int give int, float gives float).
func Neg(a any) (any, error) {
	switch x := a.(type) {
	case int64:
		if x == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(x)), nil
		}
		return -x, nil
	case float64:
		return -x, nil
	case bool:
		return -b2i(x), nil
	case *big.Int:
		return normBig(new(big.Int).Neg(x)), nil
	case Complex:
		return -x, nil
	case Integer:
		return Neg(x.IntValue())
	}
	return nil, newErr(TypeError, "bad operand type for unary -: '"+TypeName(a)+"'")
}

// Pos implements +a.
func Pos(a any) (any, error) {
	switch x := a.(type) {
	case int64, float64, *big.Int, Complex:
		return a, nil
	case bool:
		return b2i(x), nil
	case Integer:
		return x.IntValue(), nil
	}
	return nil, newErr(TypeError, "bad operand type for unary +: '"+TypeName(a)+"'")
}

// Invert implements ~a for ints and bools (~True == -2).
func Invert(a any) (any, error) {
	switch x := a.(type) {
	case int64:
		return ^x, nil
	case bool:
		return ^b2i(x), nil
	case *big.Int:
		return normBig(new(big.Int).Not(x)), nil
	case Integer:
		return ^x.IntValue(), nil
	}
	return nil, newErr(TypeError, "bad operand type for unary ~: '"+TypeName(a)+"'")
}

// Not implements `not a`.
func Not(a any) bool { return !Truth(a) }

// BinaryOp dispatches on the Python operator text ("+", "-", "*", "/",
// "//", "%", "**", "<<", ">>", "&", "|", "^").
func BinaryOp(st *State, op string, a, b any) (any, error) {
	switch op {
	case "+":
		return Add(st, a, b)
	case "-":
		return Sub(st, a, b)
	case "*":
		return Mul(st, a, b)
	case "/":
		return TrueDiv(st, a, b)
	case "//":
		return FloorDiv(st, a, b)
	case "%":
		return Mod(st, a, b)
	case "**":
		return Pow(st, a, b)
	case "<<":
		return LShift(st, a, b)
	case ">>":
		return RShift(st, a, b)
	case "&":
		return BitAnd(st, a, b)
	case "|":
		return BitOr(st, a, b)
	case "^":
		return BitXor(st, a, b)
	}
	return nil, newErr(SyntaxError, "unknown operator "+op)
}
