package py

import (
	"math"
	"math/big"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// maxIntStrDigits is CPython's default sys.int_info.default_max_str_digits:
// converting a larger int to decimal text (str, repr, f-strings) raises
// ValueError.
const maxIntStrDigits = 4300

// Repr returns repr(v) exactly as CPython: shortest round-trip floats with
// Python's exponent rules, string quoting and escapes following
// str.isprintable, "(1,)", "set()", recursion-safe ("[...]"). Values nested
// deeper than DefaultLimits().MaxDepth are cut with "...". Use ToRepr when
// the result must be charged to a budget.
func Repr(v any) string {
	switch x := v.(type) {
	case string:
		return QuoteString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatFloat(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	p := printer{max: math.MaxInt}
	p.repr(v, 0)
	return string(p.b)
}

// Str returns str(v): the string itself for str, Stringer Objects' Str,
// Repr otherwise.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Stringer:
		return x.Str()
	}
	return Repr(v)
}

// ToRepr is Repr charged against st: LimitError when the result would exceed
// MaxStringLen or the nesting exceeds MaxDepth, ValueError for an int of
// more than 4300 digits (CPython's int_max_str_digits).
func ToRepr(st *State, v any) (string, error) {
	switch x := v.(type) {
	case string:
		if len(x) > 64 {
			if err := st.ChargeBytes(int64(len(x))); err != nil {
				return "", err
			}
		}
		s := QuoteString(x)
		if int64(len(s)) > st.Limits().MaxStringLen {
			return "", st.CheckStringLen(int64(utf8.RuneCountInString(s)))
		}
		return s, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return FormatFloat(x), nil
	case bool, nil:
		return Repr(v), nil
	}
	lim := st.Limits()
	p := printer{st: st, max: int(lim.MaxStringLen), checked: true, maxDepth: lim.MaxDepth}
	p.repr(v, 0)
	if p.err != nil {
		return "", p.err
	}
	if err := st.CheckBuilt(p.b); err != nil {
		return "", err
	}
	if err := st.ChargeBytes(int64(len(p.b))); err != nil {
		return "", err
	}
	return string(p.b), nil
}

// ToStr is Str charged against st (see ToRepr).
func ToStr(st *State, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case Stringer:
		s := x.Str()
		return s, st.ChargeBytes(int64(len(s)))
	}
	return ToRepr(st, v)
}

// printer builds reprs of nested values.
type printer struct {
	b        []byte
	st       *State
	seen     []any // containers being printed (recursion guard)
	err      error
	max      int // byte budget of the result
	checked  bool
	maxDepth int
}

func (p *printer) onStack(c any) bool {
	for _, s := range p.seen {
		if s == c {
			return true
		}
	}
	return false
}

func (p *printer) repr(v any, depth int) {
	if p.err != nil {
		return
	}
	if len(p.b) > p.max {
		p.err = newErr(LimitError, "string too long (repr exceeds "+strconv.Itoa(p.max)+" characters)")
		return
	}
	md := p.maxDepth
	if md == 0 {
		md = defaultLimits.MaxDepth
	}
	if depth > md {
		if p.checked {
			p.err = newErr(LimitError, "maximum nesting depth exceeded in repr")
			return
		}
		p.b = append(p.b, "..."...)
		return
	}
	switch x := v.(type) {
	case nil:
		p.b = append(p.b, "None"...)
	case bool:
		if x {
			p.b = append(p.b, "True"...)
		} else {
			p.b = append(p.b, "False"...)
		}
	case int64:
		p.b = strconv.AppendInt(p.b, x, 10)
	case *big.Int:
		if p.checked {
			s, err := IntToString(x)
			if err != nil {
				p.err = err
				return
			}
			p.b = append(p.b, s...)
			return
		}
		p.b = x.Append(p.b, 10)
	case float64:
		p.b = AppendFloat(p.b, x)
	case string:
		p.b = appendQuoted(p.b, x)
	case *List:
		if p.onStack(x) {
			p.b = append(p.b, "[...]"...)
			return
		}
		p.seen = append(p.seen, x)
		p.b = append(p.b, '[')
		for i, e := range x.items() {
			if i > 0 {
				p.b = append(p.b, ", "...)
			}
			p.repr(e, depth+1)
		}
		p.b = append(p.b, ']')
		p.seen = p.seen[:len(p.seen)-1]
	case Tuple:
		p.b = append(p.b, '(')
		for i, e := range x {
			if i > 0 {
				p.b = append(p.b, ", "...)
			}
			p.repr(e, depth+1)
		}
		if len(x) == 1 {
			p.b = append(p.b, ',')
		}
		p.b = append(p.b, ')')
	case *Dict:
		if x == nil {
			p.b = append(p.b, "{}"...)
			return
		}
		if p.onStack(x) {
			p.b = append(p.b, "{...}"...)
			return
		}
		p.seen = append(p.seen, x)
		p.b = append(p.b, '{')
		for i := range x.ents() {
			if i > 0 {
				p.b = append(p.b, ", "...)
			}
			p.repr(x.entries[i].key, depth+1)
			p.b = append(p.b, ": "...)
			p.repr(x.entries[i].val, depth+1)
		}
		p.b = append(p.b, '}')
		p.seen = p.seen[:len(p.seen)-1]
	case *Set:
		if x.Len() == 0 {
			p.b = append(p.b, "set()"...)
			return
		}
		p.b = append(p.b, '{')
		for i, k := range x.order() {
			if i > 0 {
				p.b = append(p.b, ", "...)
			}
			p.repr(x.d.entries[k].key, depth+1)
		}
		p.b = append(p.b, '}')
	case Object:
		p.b = append(p.b, x.Repr()...)
	default:
		p.b = append(p.b, "<object>"...)
	}
}

func errIntDigits() *Error {
	return newErr(ValueError, "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
}

// IntToString returns the decimal text of an int (int64, *big.Int or
// bool as 0/1), or ValueError past CPython's 4300-digit limit.
func IntToString(v any) (string, error) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case *big.Int:
		if x.BitLen() > 14000 { // > ~4214 digits: check exactly
			s := x.String()
			n := len(s)
			if x.Sign() < 0 {
				n--
			}
			if n > maxIntStrDigits {
				return "", errIntDigits()
			}
			return s, nil
		}
		return x.String(), nil
	}
	return "", newErr(TypeError, "expected int, got "+TypeName(v))
}

// FormatFloat returns repr(f) (Python's shortest round-trip form).
func FormatFloat(f float64) string {
	var buf [32]byte
	return string(AppendFloat(buf[:0], f))
}

// AppendFloat appends repr(f) to b.
func AppendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	a := math.Abs(f)
	if a >= 1e16 || a < 1e-4 {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	for _, c := range b[n:] {
		if c == '.' {
			return b
		}
	}
	return append(b, ".0"...)
}

// QuoteString returns repr(s): single quotes unless s contains ' and no ",
// escapes for \\, the quote, \t \n \r, other non-printable characters as
// \xhh, \uhhhh or \Uhhhhhhhh (str.isprintable rules; emoji and other
// printable non-ASCII characters are kept).
func QuoteString(s string) string {
	return string(appendQuoted(make([]byte, 0, len(s)+2), s))
}

// IsPrintable reports whether r is printable in Python's sense
// (str.isprintable): not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs, except
// the space.
func IsPrintable(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0x20 && r < 0x7f
	}
	return unicode.IsGraphic(r) && !unicode.Is(unicode.Zs, r)
}

const hexDigits = "0123456789abcdef"

func appendQuoted(b []byte, s string) []byte {
	quote := byte('\'')
	hasSingle, hasDouble := false, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			hasSingle = true
		case '"':
			hasDouble = true
		}
	}
	if hasSingle && !hasDouble {
		quote = '"'
	}
	b = append(b, quote)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == quote || c == '\\':
				b = append(b, '\\', c)
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			default:
				b = append(b, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Not valid UTF-8 (cannot come from Python text): show the byte
			// as a lone surrogate escape, as surrogateescape would.
			b = append(b, '\\', 'u', 'd', 'c', hexDigits[c>>4], hexDigits[c&15])
			i++
			continue
		}
		i += size
		switch {
		case IsPrintable(r):
			b = append(b, s[i-size:i]...)
		case r <= 0xff:
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&15])
		case r <= 0xffff:
			b = append(b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
		default:
			b = append(b, '\\', 'U', '0', '0', hexDigits[r>>20&15], hexDigits[r>>16&15], hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
		}
	}
	return append(b, quote)
}
