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
//
// Each specifier is read by parsePercentSpec into a percentSpec, its value
// converted by the function of its conversion (percentConverter: percentText,
// percentChar, percentInt, percentFloat) and padded by percentSpec.write.
func PercentFormat(st *State, format string, args any) (string, error) {
	a := newPercentArgs(args)
	var b strings.Builder
	b.Grow(len(format) + 16)
	for i := 0; i < len(format); {
		if format[i] != '%' {
			j := strings.IndexByte(format[i:], '%')
			if j < 0 {
				j = len(format) - i
			}
			b.WriteString(format[i : i+j])
			i += j
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i += 2
			continue
		}
		spec, next, err := parsePercentSpec(st, format, i+1, &a)
		if err != nil {
			return "", err
		}
		v, err := a.next()
		if err != nil {
			return "", err
		}
		if int64(spec.width) > st.Limits().MaxStringLen || int64(spec.prec) > st.Limits().MaxStringLen {
			return "", newErr(LimitError, "format width or precision too large")
		}
		convert := percentConverter(spec.conv)
		if convert == nil {
			// The index counts code points, as CPython's does.
			return "", Errorf(ValueError, "unsupported format character '%s' (0x%x) at index %d", string(spec.conv), spec.conv, utf8.RuneCountInString(format[:spec.convAt]))
		}
		field, err := convert(st, &spec, v)
		if err != nil {
			return "", err
		}
		if err := spec.write(st, &b, field); err != nil {
			return "", err
		}
		i = next
	}
	if a.unused() {
		return "", newErr(TypeError, "not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// percentArgs hands out the right operand of format % args, one value per
// specifier (and per * width or precision): the items of a tuple in turn,
// else the operand itself once. A mapping operand (dict, list or
// ItemGetter) also serves %(key) lookups, each of which makes the looked-up
// value the single next argument.
type percentArgs struct {
	list []any // the tuple's items
	// idx and n: the next item and the number of items of list; -2 and -1
	// when the operand (single) is given whole and not yet used, -1 and -1
	// once it has been.
	idx, n int
	single any
	dict   any // the mapping for %(key), nil when args is not one
}

func newPercentArgs(args any) percentArgs {
	a := percentArgs{idx: -2, n: -1, single: args}
	if t, ok := args.(Tuple); ok {
		a.list, a.idx, a.n = t, 0, len(t)
		return a
	}
	switch args.(type) {
	case *Dict, *List, ItemGetter:
		a.dict = args
	}
	return a
}

// next returns the next argument.
func (a *percentArgs) next() (any, error) {
	if a.idx >= a.n {
		return nil, newErr(TypeError, "not enough arguments for format string")
	}
	if a.n < 0 {
		a.idx = -1
		return a.single, nil
	}
	v := a.list[a.idx]
	a.idx++
	return v, nil
}

// useKey makes v, the value of a %(key) lookup, the single next argument.
func (a *percentArgs) useKey(v any) {
	a.single, a.idx, a.n, a.list = v, -2, -1, nil
}

// unused reports whether arguments were left over (never for a mapping).
func (a *percentArgs) unused() bool { return a.idx < a.n && a.dict == nil }

// percentSpec is one conversion specifier,
// %[(key)][flags][width][.precision][length modifier]conversion.
type percentSpec struct {
	minus, plus, space, alt, zero bool // the flags - + space # 0
	width, prec                   int  // -1 when not given
	conv                          rune
	convAt                        int // the byte index of conv in the format
}

// parsePercentSpec reads the specifier that starts at format[i], just past
// its '%', up to and including the conversion character. A %(key) is
// looked up in the mapping operand and * takes the width or precision from
// a. It returns the specifier and the index just past it.
func parsePercentSpec(st *State, format string, i int, a *percentArgs) (percentSpec, int, error) {
	spec := percentSpec{width: -1, prec: -1}
	if i >= len(format) {
		return spec, i, newErr(ValueError, "incomplete format")
	}
	if format[i] == '(' {
		j, err := percentKey(st, format, i, a)
		if err != nil {
			return spec, i, err
		}
		i = j
	}
	i = spec.parseFlags(format, i)
	i, err := spec.parseWidth(format, i, a)
	if err != nil {
		return spec, i, err
	}
	if i < len(format) && format[i] == '.' {
		if i, err = spec.parsePrecision(format, i+1, a); err != nil {
			return spec, i, err
		}
	}
	for i < len(format) && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L') {
		i++
	}
	if i >= len(format) {
		return spec, i, newErr(ValueError, "incomplete format")
	}
	conv, size := utf8.DecodeRuneInString(format[i:])
	spec.conv, spec.convAt = conv, i
	return spec, i + size, nil
}

// percentKey reads the (key) at format[i] (parentheses may nest), looks it
// up in the mapping operand and makes its value the next argument. It
// returns the index just past the ')'.
func percentKey(st *State, format string, i int, a *percentArgs) (int, error) {
	if a.dict == nil {
		return i, newErr(TypeError, "format requires a mapping")
	}
	depth := 1
	j := i + 1
	for ; j < len(format) && depth > 0; j++ {
		switch format[j] {
		case ')':
			depth--
		case '(':
			depth++
		}
	}
	if depth > 0 {
		return i, newErr(ValueError, "incomplete format key")
	}
	v, err := GetItem(st, a.dict, format[i+1:j-1])
	if err != nil {
		return i, err
	}
	a.useKey(v)
	return j, nil
}

// parseFlags reads the flags at format[i:] and returns the index past them.
func (s *percentSpec) parseFlags(format string, i int) int {
	for ; i < len(format); i++ {
		switch format[i] {
		case '-':
			s.minus = true
		case '+':
			s.plus = true
		case ' ':
			s.space = true
		case '#':
			s.alt = true
		case '0':
			s.zero = true
		default:
			return i
		}
	}
	return i
}

// parseWidth reads a width (digits, or * for the next argument; a negative
// * width sets the - flag) at format[i:] and returns the index past it.
func (s *percentSpec) parseWidth(format string, i int, a *percentArgs) (int, error) {
	if i < len(format) && format[i] == '*' {
		w, err := starArg(a, "Python int too large to convert to C ssize_t")
		if err != nil {
			return i, err
		}
		if w < 0 {
			s.minus = true
			w = -w
		}
		s.width = int(min(w, math.MaxInt32))
		return i + 1, nil
	}
	n, j, err := specNumber(format, i)
	if err != nil {
		return i, newErr(ValueError, "width too big")
	}
	if n >= 0 {
		s.width = n
	}
	return j, nil
}

// parsePrecision reads a precision (digits, possibly none, or * for the
// next argument; negative counts as 0) at format[i:], just past the '.',
// and returns the index past it.
func (s *percentSpec) parsePrecision(format string, i int, a *percentArgs) (int, error) {
	if i < len(format) && format[i] == '*' {
		p, err := starArg(a, "Python int too large to convert to C int")
		if err != nil {
			return i, err
		}
		s.prec = int(max(min(p, math.MaxInt32), 0))
		return i + 1, nil
	}
	n, j, err := specNumber(format, i)
	if err != nil {
		return i, newErr(ValueError, "precision too big")
	}
	s.prec = max(n, 0)
	return j, nil
}

// starArg takes the int argument of a * width or precision; overflow is
// the OverflowError message for a big int.
func starArg(a *percentArgs, overflow string) (int64, error) {
	v, err := a.next()
	if err != nil {
		return 0, err
	}
	n, ok := AsInt(v)
	if !ok {
		if _, isBig := v.(*big.Int); isBig {
			return 0, newErr(OverflowError, overflow)
		}
		return 0, newErr(TypeError, "* wants int")
	}
	return n, nil
}

// percentField is a converted value before padding: sign, prefix (0x…) and
// digits or text. Only numeric fields take the + and space flags and zero
// padding.
type percentField struct {
	sign, prefix, body string
	numeric            bool
}

// percentConverter returns the function of the conversion conv, nil for
// an unknown one.
func percentConverter(conv rune) func(st *State, s *percentSpec, v any) (percentField, error) {
	switch conv {
	case 's', 'r', 'a':
		return percentText
	case 'c':
		return percentChar
	case 'd', 'i', 'u', 'o', 'x', 'X':
		return percentInt
	case 'e', 'E', 'f', 'F', 'g', 'G':
		return percentFloat
	}
	return nil
}

// percentText is %s (str), %r (repr) and %a (ascii), cut to the precision.
func percentText(st *State, s *percentSpec, v any) (percentField, error) {
	var text string
	var err error
	switch s.conv {
	case 's':
		text, err = ToStr(st, v)
	case 'r':
		text, err = ToRepr(st, v)
	default:
		text, err = ToRepr(st, v)
		text = asciiEscape(text)
	}
	if err != nil {
		return percentField{}, err
	}
	if s.prec >= 0 {
		text = truncRunes(text, s.prec)
	}
	return percentField{body: text}, nil
}

// percentChar is %c: a one-character string, or an int code point.
func percentChar(_ *State, _ *percentSpec, v any) (percentField, error) {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) != 1 {
			return percentField{}, newErr(TypeError, "%c requires int or char")
		}
		return percentField{body: x}, nil
	case int64, bool, *big.Int:
		n, ok := AsInt(x)
		if !ok || n < 0 || n > 0x10ffff {
			return percentField{}, newErr(OverflowError, "%c arg not in range(0x110000)")
		}
		return percentField{body: string(rune(n))}, nil
	}
	return percentField{}, newErr(TypeError, "%c requires int or char")
}

// percentInt is %d %i %u (which also take a float, truncated) and %o %x %X
// (0o, 0x, 0X prefixes with #); the precision is a minimum digit count.
func percentInt(_ *State, s *percentSpec, v any) (percentField, error) {
	f := percentField{numeric: true}
	conv := s.conv
	iv := v
	if x, ok := v.(float64); ok && (conv == 'd' || conv == 'i' || conv == 'u') {
		switch {
		case math.IsInf(x, 0):
			return f, newErr(OverflowError, "cannot convert float infinity to integer")
		case math.IsNaN(x):
			return f, newErr(ValueError, "cannot convert float NaN to integer")
		}
		bf, _ := big.NewFloat(math.Trunc(x)).Int(nil)
		iv = normBig(bf)
	}
	if !IsInt(iv) {
		what := "a real number"
		if conv == 'o' || conv == 'x' || conv == 'X' {
			what = "an integer"
		}
		return f, newErr(TypeError, "%"+string(conv)+" format: "+what+" is required, not "+TypeName(v))
	}
	bi := toBig(iv)
	if bi.Sign() < 0 {
		f.sign = "-"
	}
	abs := new(big.Int).Abs(bi)
	switch conv {
	case 'o':
		f.body = abs.Text(8)
	case 'x', 'X':
		f.body = abs.Text(16)
	default:
		body, err := IntToString(abs)
		if err != nil {
			return f, err
		}
		f.body = body
	}
	if s.prec > len(f.body) {
		f.body = strings.Repeat("0", s.prec-len(f.body)) + f.body
	}
	if s.alt {
		switch conv {
		case 'o':
			f.prefix = "0o"
		case 'x':
			f.prefix = "0x"
		case 'X':
			f.prefix = "0X"
		}
	}
	if conv == 'X' {
		f.body = strings.ToUpper(f.body)
	}
	return f, nil
}

// percentFloat is %e %E %f %F %g %G of a float or int (precision 6 by
// default; # keeps the decimal point).
func percentFloat(_ *State, s *percentSpec, v any) (percentField, error) {
	f := percentField{numeric: true}
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case int64, bool, *big.Int:
		var err error
		if x, err = AsFloat(n); err != nil {
			return f, err
		}
	default:
		return f, newErr(TypeError, "must be real number, not "+TypeName(v))
	}
	prec := s.prec
	if prec < 0 {
		prec = 6
	}
	if math.Signbit(x) && !math.IsNaN(x) {
		f.sign = "-"
		x = -x
	}
	lower := s.conv | 0x20
	switch {
	case math.IsNaN(x):
		f.body = "nan"
	case math.IsInf(x, 0):
		f.body = "inf"
	case lower == 'e':
		f.body = strconv.FormatFloat(x, 'e', prec, 64)
		if s.alt && prec == 0 {
			f.body = strings.Replace(f.body, "e", ".e", 1)
		}
	case lower == 'f':
		f.body = strconv.FormatFloat(x, 'f', prec, 64)
		if s.alt && prec == 0 {
			f.body += "."
		}
	default:
		f.body = formatG(x, prec, s.alt, false)
	}
	if s.conv != lower {
		f.body = strings.ToUpper(f.body)
	}
	return f, nil
}

// write appends f to b padded to the width: on the right with -, with
// zeros after the sign and prefix with 0 (numbers only), else on the left
// with spaces; + and space give a non-negative number its sign. The padded
// field is charged to st, and the whole result checked against
// MaxStringLen.
func (s *percentSpec) write(st *State, b *strings.Builder, f percentField) error {
	if f.numeric && f.sign == "" {
		if s.plus {
			f.sign = "+"
		} else if s.space {
			f.sign = " "
		}
	}
	n := utf8.RuneCountInString(f.sign) + len(f.prefix) + utf8.RuneCountInString(f.body)
	if err := st.ChargeBytes(int64(max(s.width, n))); err != nil {
		return err
	}
	switch {
	case s.width <= n:
		b.WriteString(f.sign)
		b.WriteString(f.prefix)
		b.WriteString(f.body)
	case s.minus:
		b.WriteString(f.sign)
		b.WriteString(f.prefix)
		b.WriteString(f.body)
		b.WriteString(strings.Repeat(" ", s.width-n))
	case s.zero && f.numeric:
		b.WriteString(f.sign)
		b.WriteString(f.prefix)
		b.WriteString(strings.Repeat("0", s.width-n))
		b.WriteString(f.body)
	default:
		b.WriteString(strings.Repeat(" ", s.width-n))
		b.WriteString(f.sign)
		b.WriteString(f.prefix)
		b.WriteString(f.body)
	}
	if int64(b.Len()) > st.Limits().MaxStringLen {
		return st.CheckStringLen(int64(utf8.RuneCountInString(b.String())))
	}
	return nil
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
