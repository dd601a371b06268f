package py

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PercentFormat implements printf-style formatting, format % args (Python's
// str.__mod__): %s %r %a %d %i %u %o %x %X %e %E %f %F %g %G %c and %%,
// the flags - + space # 0, width and precision (also *), %(key)s with a
// mapping, CPython's errors ("not enough arguments for format string",
// "not all arguments converted during string formatting", "unsupported
// format character 'z' (0x7a) at index 1"). The result is charged to st.
func PercentFormat(st *State, format string, args any) (string, error) {
	var list []any
	argidx, arglen := -2, -1
	var dict any
	if t, ok := args.(Tuple); ok {
		list, argidx, arglen = t, 0, len(t)
	} else {
		switch args.(type) {
		case *Dict, *List, ItemGetter:
			dict = args
		}
	}
	single := args
	next := func() (any, error) {
		if argidx < arglen {
			if arglen < 0 {
				argidx = -1
				return single, nil
			}
			v := list[argidx]
			argidx++
			return v, nil
		}
		return nil, newErr(TypeError, "not enough arguments for format string")
	}
	var b strings.Builder
	b.Grow(len(format) + 16)
	runeIdx := 0 // code point index of format[i]
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			j := strings.IndexByte(format[i:], '%')
			if j < 0 {
				j = len(format) - i
			}
			b.WriteString(format[i : i+j])
			runeIdx += utf8.RuneCountInString(format[i : i+j])
			i += j
			continue
		}
		i++
		runeIdx++
		if i >= len(format) {
			return "", newErr(ValueError, "incomplete format")
		}
		if format[i] == '%' {
			b.WriteByte('%')
			i++
			runeIdx++
			continue
		}
		// %(key)
		if format[i] == '(' {
			if dict == nil {
				return "", newErr(TypeError, "format requires a mapping")
			}
			depth := 1
			start := i + 1
			j := start
			for ; j < len(format) && depth > 0; j++ {
				switch format[j] {
				case ')':
					depth--
				case '(':
					depth++
				}
			}
			if depth > 0 {
				return "", newErr(ValueError, "incomplete format key")
			}
			key := format[start : j-1]
			runeIdx += utf8.RuneCountInString(format[i:j])
			i = j
			v, err := GetItem(st, dict, key)
			if err != nil {
				return "", err
			}
			single, argidx, arglen = v, -2, -1
			list = nil
		}
		var minus, plus, space, alt, zero bool
	flags:
		for i < len(format) {
			switch format[i] {
			case '-':
				minus = true
			case '+':
				plus = true
			case ' ':
				space = true
			case '#':
				alt = true
			case '0':
				zero = true
			default:
				break flags
			}
			i++
			runeIdx++
		}
		width, prec := -1, -1
		if i < len(format) && format[i] == '*' {
			v, err := next()
			if err != nil {
				return "", err
			}
			w, ok := AsInt(v)
			if !ok {
				if _, isBig := v.(*big.Int); isBig {
					return "", newErr(OverflowError, "Python int too large to convert to C ssize_t")
				}
				return "", newErr(TypeError, "* wants int")
			}
			if w < 0 {
				minus = true
				w = -w
			}
			width = int(min(w, math.MaxInt32))
			i++
			runeIdx++
		} else {
			n, j, err := specNumber(format, i)
			if err != nil {
				return "", newErr(ValueError, "width too big")
			}
			runeIdx += j - i
			i = j
			if n >= 0 {
				width = n
			}
		}
		if i < len(format) && format[i] == '.' {
			i++
			runeIdx++
			if i < len(format) && format[i] == '*' {
				v, err := next()
				if err != nil {
					return "", err
				}
				p, ok := AsInt(v)
				if !ok {
					if _, isBig := v.(*big.Int); isBig {
						return "", newErr(OverflowError, "Python int too large to convert to C int")
					}
					return "", newErr(TypeError, "* wants int")
				}
				prec = int(max(min(p, math.MaxInt32), 0))
				i++
				runeIdx++
			} else {
				n, j, err := specNumber(format, i)
				if err != nil {
					return "", newErr(ValueError, "precision too big")
				}
				runeIdx += j - i
				i = j
				prec = max(n, 0)
			}
		}
		for i < len(format) && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L') {
			i++
			runeIdx++
		}
		if i >= len(format) {
			return "", newErr(ValueError, "incomplete format")
		}
		conv, size := utf8.DecodeRuneInString(format[i:])
		v, err := next()
		if err != nil {
			return "", err
		}
		if int64(width) > st.Limits().MaxStringLen || int64(prec) > st.Limits().MaxStringLen {
			return "", newErr(LimitError, "format width or precision too large")
		}
		var sign, prefix, body string
		numeric := true
		switch conv {
		case 's', 'r', 'a':
			numeric = false
			var s string
			switch conv {
			case 's':
				s, err = ToStr(st, v)
			case 'r':
				s, err = ToRepr(st, v)
			default:
				s, err = ToRepr(st, v)
				s = asciiEscape(s)
			}
			if err != nil {
				return "", err
			}
			if prec >= 0 {
				s = truncRunes(s, prec)
			}
			body = s
		case 'c':
			numeric = false
			switch x := v.(type) {
			case string:
				if utf8.RuneCountInString(x) != 1 {
					return "", newErr(TypeError, "%c requires int or char")
				}
				body = x
			case int64, bool, *big.Int:
				n, ok := AsInt(x)
				if !ok || n < 0 || n > 0x10ffff {
					return "", newErr(OverflowError, "%c arg not in range(0x110000)")
				}
				body = string(rune(n))
			default:
				return "", newErr(TypeError, "%c requires int or char")
			}
		case 'd', 'i', 'u', 'o', 'x', 'X':
			iv := v
			if f, ok := v.(float64); ok && (conv == 'd' || conv == 'i' || conv == 'u') {
				switch {
				case math.IsInf(f, 0):
					return "", newErr(OverflowError, "cannot convert float infinity to integer")
				case math.IsNaN(f):
					return "", newErr(ValueError, "cannot convert float NaN to integer")
				}
				bf, _ := big.NewFloat(math.Trunc(f)).Int(nil)
				iv = normBig(bf)
			}
			if !IsInt(iv) {
				what := "a real number"
				if conv == 'o' || conv == 'x' || conv == 'X' {
					what = "an integer"
				}
				return "", newErr(TypeError, "%"+string(conv)+" format: "+what+" is required, not "+TypeName(v))
			}
			bi := toBig(iv)
			base := 10
			switch conv {
			case 'o':
				base = 8
			case 'x', 'X':
				base = 16
			}
			if bi.Sign() < 0 {
				sign = "-"
			}
			if base == 10 {
				s, err := IntToString(new(big.Int).Abs(bi))
				if err != nil {
					return "", err
				}
				body = s
			} else {
				body = new(big.Int).Abs(bi).Text(base)
			}
			if prec > len(body) {
				body = strings.Repeat("0", prec-len(body)) + body
			}
			if alt {
				switch conv {
				case 'o':
					prefix = "0o"
				case 'x':
					prefix = "0x"
				case 'X':
					prefix = "0X"
				}
			}
			if conv == 'X' {
				body = strings.ToUpper(body)
			}
		case 'e', 'E', 'f', 'F', 'g', 'G':
			var f float64
			switch x := v.(type) {
			case float64:
				f = x
			case int64, bool, *big.Int:
				f, err = AsFloat(x)
				if err != nil {
					return "", err
				}
			default:
				return "", newErr(TypeError, "must be real number, not "+TypeName(v))
			}
			if prec < 0 {
				prec = 6
			}
			if math.Signbit(f) && !math.IsNaN(f) {
				sign = "-"
				f = -f
			}
			lower := conv | 0x20
			switch {
			case math.IsNaN(f):
				body = "nan"
			case math.IsInf(f, 0):
				body = "inf"
			case lower == 'e':
				body = strconv.FormatFloat(f, 'e', prec, 64)
				if alt && prec == 0 {
					body = strings.Replace(body, "e", ".e", 1)
				}
			case lower == 'f':
				body = strconv.FormatFloat(f, 'f', prec, 64)
				if alt && prec == 0 {
					body += "."
				}
			default:
				body = formatG(f, prec, alt, false)
			}
			if conv != lower {
				body = strings.ToUpper(body)
			}
		default:
			return "", Errorf(ValueError, "unsupported format character '%s' (0x%x) at index %d", string(conv), conv, runeIdx)
		}
		if numeric && sign == "" {
			if plus {
				sign = "+"
			} else if space {
				sign = " "
			}
		}
		n := utf8.RuneCountInString(sign) + len(prefix) + utf8.RuneCountInString(body)
		if err := st.ChargeBytes(int64(max(width, n))); err != nil {
			return "", err
		}
		switch {
		case width <= n:
			b.WriteString(sign)
			b.WriteString(prefix)
			b.WriteString(body)
		case minus:
			b.WriteString(sign)
			b.WriteString(prefix)
			b.WriteString(body)
			b.WriteString(strings.Repeat(" ", width-n))
		case zero && numeric:
			b.WriteString(sign)
			b.WriteString(prefix)
			b.WriteString(strings.Repeat("0", width-n))
			b.WriteString(body)
		default:
			b.WriteString(strings.Repeat(" ", width-n))
			b.WriteString(sign)
			b.WriteString(prefix)
			b.WriteString(body)
		}
		if int64(b.Len()) > st.Limits().MaxStringLen {
			return "", st.CheckStringLen(int64(utf8.RuneCountInString(b.String())))
		}
		i += size
		runeIdx++
	}
	if argidx < arglen && dict == nil {
		return "", newErr(TypeError, "not all arguments converted during string formatting")
	}
	return b.String(), nil
}

func truncRunes(s string, n int) string {
	c := 0
	for i := range s {
		if c == n {
			return s[:i]
		}
		c++
	}
	return s
}

// asciiEscape is ascii(): the repr with non-ASCII characters escaped.
func asciiEscape(r string) string {
	if isASCII(r) {
		return r
	}
	var b strings.Builder
	for _, c := range r {
		switch {
		case c < utf8.RuneSelf:
			b.WriteRune(c)
		case c <= 0xff:
			b.WriteString("\\x")
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		case c <= 0xffff:
			b.WriteString("\\u")
			for s := 12; s >= 0; s -= 4 {
				b.WriteByte(hexDigits[c>>uint(s)&15])
			}
		default:
			b.WriteString("\\U")
			for s := 28; s >= 0; s -= 4 {
				b.WriteByte(hexDigits[c>>uint(s)&15])
			}
		}
	}
	return b.String()
}

// ASCII returns ascii(v): repr(v) with non-ASCII characters escaped.
func ASCII(v any) string { return asciiEscape(Repr(v)) }
