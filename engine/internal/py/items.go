package py

import (
	"math"
	"math/big"
	"unicode/utf8"
)

// GetItem implements obj[key]: list, tuple and str with (negative) int
// indexes (IndexError "list index out of range"), str by code point, dict
// (KeyError with the key's short repr), Objects implementing ItemGetter.
func GetItem(st *State, obj, key any) (any, error) {
	switch x := obj.(type) {
	case *Dict:
		if s, ok := key.(string); ok {
			if v, ok := x.GetStr(s); ok {
				return v, nil
			}
			return nil, keyError(key)
		}
		v, ok, err := x.Get(key)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, keyError(key)
		}
		return v, nil
	case *List:
		i, err := seqIndex(key, len(x.items()), "list")
		if err != nil {
			return nil, err
		}
		return x.items()[i], nil
	case Tuple:
		i, err := seqIndex(key, len(x), "tuple")
		if err != nil {
			return nil, err
		}
		return x[i], nil
	case string:
		return strIndex(x, key)
	case ItemGetter:
		return x.GetItem(st, key)
	}
	return nil, newErr(TypeError, "'"+TypeName(obj)+"' object is not subscriptable")
}

// keyError is KeyError with the key's (short) repr as message.
func keyError(key any) *Error { return newErr(KeyError, ShortRepr(key)) }

// KeyErrorFor returns the KeyError CPython raises for a missing key.
func KeyErrorFor(key any) *Error { return keyError(key) }

// seqIndex resolves a (possibly negative) index into a sequence of length n.
func seqIndex(key any, n int, typ string) (int, error) {
	i, fits, isInt := Index(key)
	if !isInt {
		return 0, newErr(TypeError, typ+" indices must be integers or slices, not "+TypeName(key))
	}
	if !fits {
		return 0, newErr(IndexError, "cannot fit 'int' into an index-sized integer")
	}
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		return 0, newErr(IndexError, typ+" index out of range")
	}
	return int(i), nil
}

// asciiChars holds every ASCII character, so one-character strings can be
// sliced from it without allocating.
const asciiChars = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f"

// asciiStrs holds the one-character ASCII strings already boxed as
// interface values (no allocation when returned).
var asciiStrs = func() (t [128]any) {
	for i := range t {
		t[i] = asciiChars[i : i+1]
	}
	return t
}()

func strIndex(s string, key any) (any, error) {
	i, fits, isInt := Index(key)
	if !isInt {
		return nil, newErr(TypeError, "string indices must be integers, not '"+TypeName(key)+"'")
	}
	if !fits {
		return nil, newErr(IndexError, "cannot fit 'int' into an index-sized integer")
	}
	if i >= 0 {
		// Walk forward i code points.
		pos := 0
		for n := int64(0); ; n++ {
			if pos >= len(s) {
				return nil, newErr(IndexError, "string index out of range")
			}
			c := s[pos]
			size := 1
			if c >= utf8.RuneSelf {
				_, size = utf8.DecodeRuneInString(s[pos:])
			}
			if n == i {
				if size == 1 && c < utf8.RuneSelf {
					return asciiStrs[c], nil
				}
				return s[pos : pos+size], nil
			}
			pos += size
		}
	}
	end := len(s)
	for n := int64(-1); ; n-- {
		if end <= 0 {
			return nil, newErr(IndexError, "string index out of range")
		}
		size := 1
		if s[end-1] >= utf8.RuneSelf {
			_, size = utf8.DecodeLastRuneInString(s[:end])
		}
		if n == i {
			return s[end-size : end], nil
		}
		end -= size
	}
}

// sliceBound decodes a slice bound (nil for omitted).
func sliceBound(v any, def int64) (int64, error) {
	if v == nil {
		return def, nil
	}
	i, fits, isInt := Index(v)
	if !isInt {
		return 0, newErr(TypeError, "slice indices must be integers or None or have an __index__ method")
	}
	if !fits {
		if v.(*big.Int).Sign() < 0 {
			return math.MinInt64, nil
		}
		return math.MaxInt64, nil
	}
	return i, nil
}

// SliceIndices resolves Python slice bounds (nil meaning omitted) against a
// sequence of length n, as slice.indices() does, and returns start, stop,
// step and the number of selected items.
func SliceIndices(n int, lower, upper, step any) (start, stop, stp, count int, err error) {
	s, err := sliceBound(step, 1)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if s == 0 {
		return 0, 0, 0, 0, newErr(ValueError, "slice step cannot be zero")
	}
	if s < -math.MaxInt64 {
		s = -math.MaxInt64
	}
	var defStart, defStop int64 = 0, math.MaxInt64
	if s < 0 {
		defStart, defStop = math.MaxInt64, math.MinInt64
	}
	a, err := sliceBound(lower, defStart)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	b, err := sliceBound(upper, defStop)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	length := int64(n)
	adjust := func(i int64) int64 {
		if i < 0 {
			i += length
			if i < 0 {
				if s < 0 {
					return -1
				}
				return 0
			}
		} else if i >= length {
			if s < 0 {
				return length - 1
			}
			return length
		}
		return i
	}
	a, b = adjust(a), adjust(b)
	var c int64
	if s < 0 {
		if b < a {
			c = (a-b-1)/(-s) + 1
		}
	} else if a < b {
		c = (b-a-1)/s + 1
	}
	return int(a), int(b), int(s), int(c), nil
}

// GetSlice implements obj[lower:upper:step] for str, list and tuple; nil
// means omitted. Step 0 is ValueError "slice step cannot be zero".
func GetSlice(st *State, obj, lower, upper, step any) (any, error) {
	switch x := obj.(type) {
	case *List:
		start, _, s, c, err := SliceIndices(len(x.items()), lower, upper, step)
		if err != nil {
			return nil, err
		}
		if err := st.CheckCollectionLen(int64(c)); err != nil {
			return nil, err
		}
		out := make([]any, c)
		if s == 1 {
			copy(out, x.items()[start:start+c])
		} else {
			for i := range c {
				out[i] = x.items()[start+i*s]
			}
		}
		return &List{Items: out}, nil
	case Tuple:
		start, _, s, c, err := SliceIndices(len(x), lower, upper, step)
		if err != nil {
			return nil, err
		}
		if s == 1 {
			return x[start : start+c : start+c], nil
		}
		if err := st.CheckCollectionLen(int64(c)); err != nil {
			return nil, err
		}
		out := make(Tuple, c)
		for i := range c {
			out[i] = x[start+i*s]
		}
		return out, nil
	case string:
		return strSlice(st, x, lower, upper, step)
	case Slicer:
		return x.GetSlice(st, lower, upper, step)
	case ItemGetter:
		return nil, newErr(TypeError, "'"+TypeName(obj)+"' object does not support slicing")
	}
	return nil, newErr(TypeError, "'"+TypeName(obj)+"' object is not subscriptable")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func strSlice(st *State, x string, lower, upper, step any) (any, error) {
	if isASCII(x) {
		start, _, s, c, err := SliceIndices(len(x), lower, upper, step)
		if err != nil {
			return nil, err
		}
		if s == 1 {
			return x[start : start+c], nil
		}
		if err := st.ChargeBytes(int64(c)); err != nil {
			return nil, err
		}
		out := make([]byte, c)
		for i := range c {
			out[i] = x[start+i*s]
		}
		return string(out), nil
	}
	if err := st.ChargeBytes(int64(len(x)) * 2); err != nil {
		return nil, err
	}
	// Byte offset of each code point.
	offs := make([]int, 0, len(x))
	for i := range x {
		offs = append(offs, i)
	}
	n := len(offs)
	offs = append(offs, len(x))
	start, _, s, c, err := SliceIndices(n, lower, upper, step)
	if err != nil {
		return nil, err
	}
	if s == 1 {
		return x[offs[start]:offs[start+c]], nil
	}
	out := make([]byte, 0, c)
	for i := range c {
		k := start + i*s
		out = append(out, x[offs[k]:offs[k+1]]...)
	}
	return string(out), nil
}

// Len implements len(v) (code points for str); TypeError
// "object of type 'int' has no len()".
func Len(v any) (int, error) {
	switch x := v.(type) {
	case string:
		return utf8.RuneCountInString(x), nil
	case *List:
		return len(x.items()), nil
	case Tuple:
		return len(x), nil
	case *Dict:
		return x.Len(), nil
	case *Set:
		return x.Len(), nil
	case Lener:
		return x.Len(), nil
	}
	return 0, newErr(TypeError, "object of type '"+TypeName(v)+"' has no len()")
}

// Iterate returns the items to loop over: a list's Items slice (not copied:
// do not modify it), a tuple, the one-character strings of a str, a dict's
// keys, a set's elements, an Iterable Object's items. It charges one work
// unit per item; TypeError "'int' object is not iterable".
func Iterate(st *State, v any) ([]any, error) {
	switch x := v.(type) {
	case *List:
		return x.items(), st.Charge(int64(len(x.items())))
	case Tuple:
		return x, st.Charge(int64(len(x)))
	case *Dict:
		if err := st.ChargeBytes(int64(x.Len()) * 16); err != nil {
			return nil, err
		}
		return x.Keys(), nil
	case *Set:
		if err := st.ChargeBytes(int64(x.Len()) * 16); err != nil {
			return nil, err
		}
		return x.Elems(), nil
	case string:
		if err := st.ChargeBytes(int64(len(x)) * 16); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(x))
		for i := 0; i < len(x); {
			c := x[i]
			if c < utf8.RuneSelf {
				out = append(out, asciiStrs[c])
				i++
				continue
			}
			_, size := utf8.DecodeRuneInString(x[i:])
			out = append(out, x[i:i+size])
			i += size
		}
		return out, nil
	case Iterable:
		return x.Iter(st)
	}
	return nil, newErr(TypeError, "'"+TypeName(v)+"' object is not iterable")
}
