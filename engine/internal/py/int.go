package py

import (
	"math"
	"math/big"
	"strconv"
)

// normBig returns b as an int64 when it fits, else b itself.
func normBig(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

// NormInt returns the canonical form of an integer: int64 when it fits,
// else the *big.Int.
func NormInt(b *big.Int) any { return normBig(b) }

// toBig returns v (int64, bool or *big.Int) as a *big.Int (shared for *big.Int).
func toBig(v any) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	case *big.Int:
		return x
	}
	return nil
}

// numKind classifies numeric operands.
type numKind uint8

const (
	kNone numKind = iota
	kInt
	kBig
	kFloat
)

// number decodes a numeric value (bool counts as int).
func number(v any) (k numKind, i int64, b *big.Int, f float64) {
	switch x := v.(type) {
	case int64:
		return kInt, x, nil, 0
	case bool:
		if x {
			return kInt, 1, nil, 0
		}
		return kInt, 0, nil, 0
	case float64:
		return kFloat, 0, nil, x
	case *big.Int:
		if x.IsInt64() {
			return kInt, x.Int64(), nil, 0
		}
		return kBig, 0, x, 0
	}
	return kNone, 0, nil, 0
}

// IsInt reports whether v is a Python int (int64, *big.Int or bool).
func IsInt(v any) bool {
	switch v.(type) {
	case int64, bool, *big.Int:
		return true
	}
	return false
}

// AsInt returns v as an int64 when v is an int or bool that fits.
func AsInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
	}
	return 0, false
}

// AsFloat returns v (int, bool, big int or float) as a float64, with
// OverflowError "int too large to convert to float" for huge ints.
func AsFloat(v any) (float64, error) {
	k, i, b, f := number(v)
	switch k {
	case kInt:
		return float64(i), nil
	case kFloat:
		return f, nil
	case kBig:
		return bigToFloat(b)
	}
	return 0, newErr(TypeError, "must be real number, not "+TypeName(v))
}

// bigToFloat converts with round-half-even (as CPython) and OverflowError.
func bigToFloat(b *big.Int) (float64, error) {
	f, _ := new(big.Float).SetInt(b).Float64()
	if math.IsInf(f, 0) {
		return 0, newErr(OverflowError, "int too large to convert to float")
	}
	return f, nil
}

// Index converts v to an int64 as Python's __index__: isInt reports whether
// v is an int or bool at all, fits whether it fits in an int64 (the
// callers word their own TypeError or IndexError).
func Index(v any) (i int64, fits, isInt bool) {
	switch x := v.(type) {
	case int64:
		return x, true, true
	case bool:
		if x {
			return 1, true, true
		}
		return 0, true, true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true, true
		}
		return 0, false, true // an int, but too large
	}
	return 0, false, false
}

// checkBits returns a LimitError when an int of n bits exceeds MaxIntBits.
func checkBits(st *State, n int64) error {
	max := st.Limits().MaxIntBits
	if n > max {
		return newErr(LimitError, "integer result too large ("+strconv.FormatInt(n, 10)+" bits, limit "+strconv.FormatInt(max, 10)+")")
	}
	return st.ChargeBytes(n / 8)
}

// cmpIntFloat compares the int i (as big or int64) with the float f exactly;
// f must not be NaN.
func cmpBigFloat(b *big.Int, f float64) int {
	if math.IsInf(f, 1) {
		return -1
	}
	if math.IsInf(f, -1) {
		return 1
	}
	return new(big.Float).SetInt(b).Cmp(new(big.Float).SetFloat64(f))
}

func cmpInt64Float(i int64, f float64) int {
	if i > -(1<<53) && i < 1<<53 {
		g := float64(i)
		switch {
		case g < f:
			return -1
		case g > f:
			return 1
		}
		return 0
	}
	return cmpBigFloat(big.NewInt(i), f)
}

// numCmp compares two numbers; ok is false when either is NaN (unordered)
// or not a number.
func numCmp(a, b any) (c int, ok bool) {
	ka, ia, ba, fa := number(a)
	kb, ib, bb, fb := number(b)
	if ka == kNone || kb == kNone {
		return 0, false
	}
	if (ka == kFloat && math.IsNaN(fa)) || (kb == kFloat && math.IsNaN(fb)) {
		return 0, false
	}
	switch {
	case ka == kInt && kb == kInt:
		switch {
		case ia < ib:
			return -1, true
		case ia > ib:
			return 1, true
		}
		return 0, true
	case ka == kFloat && kb == kFloat:
		switch {
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	case ka == kInt && kb == kFloat:
		return cmpInt64Float(ia, fb), true
	case ka == kFloat && kb == kInt:
		return -cmpInt64Float(ib, fa), true
	case ka == kBig && kb == kFloat:
		return cmpBigFloat(ba, fb), true
	case ka == kFloat && kb == kBig:
		return -cmpBigFloat(bb, fa), true
	}
	// big vs int or big vs big
	if ba == nil {
		ba = big.NewInt(ia)
	}
	if bb == nil {
		bb = big.NewInt(ib)
	}
	return ba.Cmp(bb), true
}

// Boxed small ints: converting an int64 outside 0..255 to an interface
// allocates; results in [smallIntMin, smallIntMax] come from this table.
const (
	smallIntMin = -256
	smallIntMax = 1023
)

var smallInts = func() (t [smallIntMax - smallIntMin + 1]any) {
	for i := range t {
		t[i] = int64(i + smallIntMin)
	}
	return t
}()

// BoxInt returns i as an interface value without allocating for small
// values (-256..1023).
func BoxInt(i int64) any {
	if i >= smallIntMin && i <= smallIntMax {
		return smallInts[i-smallIntMin]
	}
	return i
}
