package py

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fspec is a parsed format spec.
type fspec struct {
	fill     rune
	align    byte // 0, '<', '>', '^', '='
	sign     byte // 0, '+', '-', ' '
	z        bool
	alt      bool
	width    int
	grouping byte // 0, ',' or '_'
	prec     int  // -1 when absent
	typ      byte // 0 when absent
	fillSet  bool
	alignSet bool
}

func isAlign(c byte) bool { return c == '<' || c == '>' || c == '^' || c == '=' }

// parseSpec parses spec as CPython's parse_internal_render_format_spec;
// defAlign is '>' for numbers and '<' for strings.
func parseSpec(spec string, defAlign byte, typeName string) (fspec, error) {
	f := fspec{fill: ' ', align: defAlign, prec: -1}
	pos := 0
	// fill and align
	if r, size := utf8.DecodeRuneInString(spec); size > 0 && len(spec) > size && isAlign(spec[size]) {
		f.fill, f.fillSet = r, true
		f.align, f.alignSet = spec[size], true
		pos = size + 1
	} else if len(spec) > 0 && isAlign(spec[0]) {
		f.align, f.alignSet = spec[0], true
		pos = 1
	}
	if pos < len(spec) && (spec[pos] == '+' || spec[pos] == '-' || spec[pos] == ' ') {
		f.sign = spec[pos]
		pos++
	}
	if pos < len(spec) && spec[pos] == 'z' {
		f.z = true
		pos++
	}
	if pos < len(spec) && spec[pos] == '#' {
		f.alt = true
		pos++
	}
	if !f.fillSet && pos < len(spec) && spec[pos] == '0' {
		f.fill = '0'
		if !f.alignSet && defAlign == '>' {
			f.align = '='
		}
		pos++
	}
	var err error
	var n int
	n, pos, err = specNumber(spec, pos)
	if err != nil {
		return f, err
	}
	if n >= 0 {
		f.width = n
	}
	if pos < len(spec) && (spec[pos] == ',' || spec[pos] == '_') {
		f.grouping = spec[pos]
		pos++
		if pos < len(spec) && (spec[pos] == ',' || spec[pos] == '_') {
			if spec[pos] == f.grouping {
				return f, newErr(ValueError, "Cannot specify '"+string(f.grouping)+"' with '"+string(f.grouping)+"'.")
			}
			return f, newErr(ValueError, "Cannot specify both ',' and '_'.")
		}
	}
	if pos < len(spec) && spec[pos] == '.' {
		pos++
		n, pos, err = specNumber(spec, pos)
		if err != nil {
			return f, err
		}
		if n < 0 {
			return f, newErr(ValueError, "Format specifier missing precision")
		}
		f.prec = n
	}
	rest := spec[pos:]
	if len(rest) > 1 {
		return f, newErr(ValueError, "Invalid format specifier '"+truncate(spec)+"' for object of type '"+typeName+"'")
	}
	if len(rest) == 1 {
		f.typ = rest[0]
	}
	if f.grouping != 0 {
		ok := false
		typ := f.typ
		if typ == 0 && defAlign == '<' {
			typ = 's' // strings
		}
		switch typ {
		case 0, 'd', 'e', 'f', 'g', 'E', 'F', 'G', '%':
			ok = true
		case 'b', 'o', 'x', 'X':
			ok = f.grouping == '_'
		}
		if !ok {
			return f, newErr(ValueError, "Cannot specify '"+string(f.grouping)+"' with '"+typeChar(typ)+"'.")
		}
	}
	return f, nil
}

func typeChar(c byte) string {
	if c < utf8.RuneSelf && c >= 0x20 {
		return string(c)
	}
	return "\\x" + strconv.FormatUint(uint64(c), 16)
}

// specNumber reads decimal digits at pos: -1 when there are none.
func specNumber(spec string, pos int) (int, int, error) {
	start := pos
	n := 0
	for pos < len(spec) && spec[pos] >= '0' && spec[pos] <= '9' {
		if n > (math.MaxInt32-9)/10 {
			return 0, pos, newErr(ValueError, "Too many decimal digits in format string")
		}
		n = n*10 + int(spec[pos]-'0')
		pos++
	}
	if pos == start {
		return -1, pos, nil
	}
	return n, pos, nil
}

// Format implements format(v, spec) (the format-spec mini-language) for
// int, big int, float, str, bool and None and Objects implementing
// Formatter: fill, align (< > ^ =), sign (+ - space), z, #, 0, width,
// grouping (, and _), .precision and the types b c d e E f F g G n o s x X
// %. Errors use CPython's messages ("Unknown format code 'd' for object of
// type 'str'"). The result is charged against st (LimitError past
// MaxStringLen).
func Format(st *State, v any, spec string) (string, error) {
	switch x := v.(type) {
	case string:
		if spec == "" {
			return x, nil
		}
		return formatStr(st, x, spec)
	case int64, *big.Int:
		if spec == "" {
			return IntToString(x)
		}
		return formatInt(st, x, spec, "int")
	case bool:
		if spec == "" {
			return Repr(x), nil
		}
		return formatInt(st, b2i(x), spec, "bool")
	case float64:
		if spec == "" {
			return FormatFloat(x), nil
		}
		return formatFloat(st, x, spec, "float")
	case Formatter:
		return x.Format(st, spec)
	}
	if spec == "" {
		return ToStr(st, v)
	}
	return "", newErr(TypeError, "unsupported format string passed to "+TypeName(v)+".__format__")
}

func checkWidth(st *State, f *fspec) error {
	if int64(f.width) > st.Limits().MaxStringLen || int64(f.prec) > st.Limits().MaxStringLen {
		return newErr(LimitError, "format width or precision too large (limit "+strconv.FormatInt(st.Limits().MaxStringLen, 10)+")")
	}
	return st.ChargeBytes(int64(f.width) + int64(max(f.prec, 0)))
}

func formatStr(st *State, s, spec string) (string, error) {
	f, err := parseSpec(spec, '<', "str")
	if err != nil {
		return "", err
	}
	switch f.typ {
	case 0, 's':
	default:
		return "", newErr(ValueError, "Unknown format code '"+typeChar(f.typ)+"' for object of type 'str'")
	}
	switch {
	case f.sign == ' ':
		return "", newErr(ValueError, "Space not allowed in string format specifier")
	case f.sign != 0:
		return "", newErr(ValueError, "Sign not allowed in string format specifier")
	case f.z:
		return "", newErr(ValueError, "Negative zero coercion (z) not allowed in string format specifier")
	case f.alt:
		return "", newErr(ValueError, "Alternate form (#) not allowed in string format specifier")
	case f.align == '=':
		return "", newErr(ValueError, "'=' alignment not allowed in string format specifier")
	}
	if err := checkWidth(st, &f); err != nil {
		return "", err
	}
	if f.prec >= 0 {
		n := 0
		for i := range s {
			if n == f.prec {
				s = s[:i]
				break
			}
			n++
		}
	}
	return pad(s, utf8.RuneCountInString(s), &f, 0), nil
}

// pad aligns body (of n code points) in f.width; signLen is the length of
// the sign/prefix part of body after which '=' pads.
func pad(body string, n int, f *fspec, signLen int) string {
	if n >= f.width {
		return body
	}
	total := f.width - n
	var left, right int
	switch f.align {
	case '<':
		right = total
	case '^':
		left = total / 2
		right = total - left
	case '=':
		fill := strings.Repeat(string(f.fill), total)
		return body[:signLen] + fill + body[signLen:]
	default:
		left = total
	}
	fill := string(f.fill)
	var b strings.Builder
	b.Grow(len(body) + total*len(fill))
	for range left {
		b.WriteString(fill)
	}
	b.WriteString(body)
	for range right {
		b.WriteString(fill)
	}
	return b.String()
}

// group inserts sep every size digits from the right into digits (ASCII),
// padding with zeros to at least minWidth characters as CPython does for
// zero-padded grouped numbers.
func group(digits string, sep byte, size int, minWidth int) string {
	remaining := len(digits)
	var parts []string
	first := true
	for {
		l := min(size, max(remaining, minWidth, 1))
		nZeros := max(0, l-remaining)
		nChars := max(0, min(remaining, l))
		part := strings.Repeat("0", nZeros) + digits[remaining-nChars:remaining]
		if !first {
			part += string(sep)
		}
		parts = append(parts, part)
		first = false
		remaining -= nChars
		minWidth -= l
		if remaining <= 0 && minWidth <= 0 {
			break
		}
		minWidth--
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// number lays out a formatted number: sign, prefix, integer digits (to
// group), and the rest (fraction, exponent, %).
func layoutNumber(f *fspec, neg bool, prefix, digits, rest string, groupSize int) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case f.sign == '+':
		sign = "+"
	case f.sign == ' ':
		sign = " "
	}
	head := sign + prefix
	if f.grouping != 0 {
		minWidth := 0
		if f.fill == '0' && f.align == '=' {
			minWidth = f.width - len(head) - utf8.RuneCountInString(rest)
		}
		digits = group(digits, f.grouping, groupSize, minWidth)
	}
	body := head + digits + rest
	return pad(body, utf8.RuneCountInString(body), f, len(head))
}

func formatInt(st *State, v any, spec, typeName string) (string, error) {
	f, err := parseSpec(spec, '>', typeName)
	if err != nil {
		return "", err
	}
	switch f.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		x, err := AsFloat(v)
		if err != nil {
			return "", err
		}
		return formatFloatSpec(st, x, &f)
	case 0, 'd', 'n', 'b', 'o', 'x', 'X', 'c':
	default:
		return "", newErr(ValueError, "Unknown format code '"+typeChar(f.typ)+"' for object of type '"+typeName+"'")
	}
	if f.prec >= 0 {
		return "", newErr(ValueError, "Precision not allowed in integer format specifier")
	}
	if f.z {
		return "", newErr(ValueError, "Negative zero coercion (z) not allowed in integer format specifier")
	}
	if err := checkWidth(st, &f); err != nil {
		return "", err
	}
	if f.typ == 'c' {
		if f.sign != 0 {
			return "", newErr(ValueError, "Sign not allowed with integer format specifier 'c'")
		}
		if f.alt {
			return "", newErr(ValueError, "Alternate form (#) not allowed with integer format specifier 'c'")
		}
		i, ok := AsInt(v)
		if !ok {
			return "", newErr(OverflowError, "Python int too large to convert to C long")
		}
		if i < 0 || i > 0x10ffff {
			return "", newErr(OverflowError, "%c arg not in range(0x110000)")
		}
		s := string(rune(i))
		if i >= 0xd800 && i <= 0xdfff {
			s = "\uFFFD"
		}
		return pad(s, 1, &f, 0), nil
	}
	base, prefix, groupSize := 10, "", 3
	switch f.typ {
	case 'b':
		base, prefix, groupSize = 2, "0b", 4
	case 'o':
		base, prefix, groupSize = 8, "0o", 4
	case 'x':
		base, prefix, groupSize = 16, "0x", 4
	case 'X':
		base, prefix, groupSize = 16, "0X", 4
	}
	if !f.alt {
		prefix = ""
	}
	var digits string
	neg := false
	switch x := v.(type) {
	case int64:
		neg = x < 0
		if neg {
			digits = strconv.FormatUint(uint64(-(x+1))+1, base)
		} else {
			digits = strconv.FormatInt(x, base)
		}
	case *big.Int:
		neg = x.Sign() < 0
		if base == 10 {
			s, err := IntToString(x)
			if err != nil {
				return "", err
			}
			digits = strings.TrimPrefix(s, "-")
		} else {
			digits = new(big.Int).Abs(x).Text(base)
		}
	}
	if f.typ == 'X' {
		digits = strings.ToUpper(digits)
	}
	return layoutNumber(&f, neg, prefix, digits, "", groupSize), nil
}

func formatFloat(st *State, x float64, spec, typeName string) (string, error) {
	f, err := parseSpec(spec, '>', typeName)
	if err != nil {
		return "", err
	}
	switch f.typ {
	case 0, 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%':
	default:
		return "", newErr(ValueError, "Unknown format code '"+typeChar(f.typ)+"' for object of type '"+typeName+"'")
	}
	return formatFloatSpec(st, x, &f)
}

// formatFloatSpec is CPython's format_float_internal.
func formatFloatSpec(st *State, x float64, f *fspec) (string, error) {
	if f.typ == 'n' && f.grouping != 0 {
		return "", newErr(ValueError, "Cannot specify '"+string(f.grouping)+"' with 'n'.")
	}
	if err := checkWidth(st, f); err != nil {
		return "", err
	}
	typ := f.typ
	prec := f.prec
	addDot0 := false
	switch typ {
	case 0:
		addDot0 = true
		if prec < 0 {
			typ = 'r'
		} else {
			typ = 'g'
		}
	case 'n':
		typ = 'g'
	}
	pct := false
	if typ == '%' {
		typ = 'f'
		x *= 100
		pct = true
	}
	if prec < 0 {
		prec = 6
	}
	neg := math.Signbit(x) && !math.IsNaN(x)
	ax := math.Abs(x)
	var s string
	upper := typ == 'E' || typ == 'F' || typ == 'G'
	switch {
	case math.IsNaN(x):
		s = "nan"
	case math.IsInf(x, 0):
		s = "inf"
	default:
		switch typ {
		case 'r':
			s = FormatFloat(ax)
			if f.alt && strings.IndexByte(s, '.') < 0 {
				s = strings.Replace(s, "e", ".e", 1)
			}
		case 'e', 'E':
			s = strconv.FormatFloat(ax, 'e', prec, 64)
			if f.alt && prec == 0 {
				s = strings.Replace(s, "e", ".e", 1)
			}
		case 'f', 'F':
			s = strconv.FormatFloat(ax, 'f', prec, 64)
			if f.alt && prec == 0 {
				s += "."
			}
		case 'g', 'G':
			s = formatG(ax, prec, f.alt, addDot0)
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	finite := !math.IsNaN(x) && !math.IsInf(x, 0)
	if f.z && neg && finite {
		// Negative zero coercion: -0.00 becomes 0.00 after rounding.
		if strings.Trim(s, "0.") == "" || isZeroText(s) {
			neg = false
		}
	}
	if pct {
		s += "%"
	}
	// Split the digits before the decimal point from the rest.
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, rest := s[:i], s[i:]
	if !finite {
		g := *f
		g.grouping = 0
		return layoutNumber(&g, neg, "", digits, rest, 3), nil
	}
	return layoutNumber(f, neg, "", digits, rest, 3), nil
}

// isZeroText reports whether a formatted magnitude is zero ("0.000e+00").
func isZeroText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' || c == 'E' {
			return true
		}
		if c >= '1' && c <= '9' {
			return false
		}
	}
	return true
}

// formatG is Python's 'g' formatting of a finite non-negative float.
func formatG(ax float64, prec int, alt, addDot0 bool) string {
	if prec == 0 {
		prec = 1
	}
	e := strconv.FormatFloat(ax, 'e', prec-1, 64)
	k := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[k+1:])
	var s string
	limit := prec
	if addDot0 {
		limit = prec - 1
	}
	if exp >= -4 && exp < limit {
		s = strconv.FormatFloat(ax, 'f', prec-1-exp, 64)
		if !alt {
			if strings.IndexByte(s, '.') >= 0 {
				s = strings.TrimRight(s, "0")
				s = strings.TrimSuffix(s, ".")
			}
			if addDot0 && strings.IndexByte(s, '.') < 0 {
				s += ".0"
			}
		} else if strings.IndexByte(s, '.') < 0 {
			s += "."
		}
		return s
	}
	mant := e[:k]
	if !alt {
		if strings.IndexByte(mant, '.') >= 0 {
			mant = strings.TrimRight(mant, "0")
			mant = strings.TrimSuffix(mant, ".")
		}
	} else if strings.IndexByte(mant, '.') < 0 {
		mant += "."
	}
	return mant + e[k:]
}
