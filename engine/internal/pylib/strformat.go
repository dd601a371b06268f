package pylib

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
)

// fmtField is one replacement field of a str.format template.
type fmtField struct {
	lit   string // literal text before the field (braces unescaped)
	field bool   // false for the trailing literal
	arg   string // argument name or index ("" = automatic numbering)
	path  []fmtAccess
	conv  rune   // 0, 'r', 's' or 'a'
	spec  string // format spec (may contain nested fields)
	// pathErr is a malformed accessor after path: CPython reads the field
	// name lazily, so the lookups before it run (and may fail) first.
	pathErr error
}

// fmtAccess is ".name" (attr) or "[key]".
type fmtAccess struct {
	attr bool
	name string
}

// parseFormat splits a str.format template into fields, with CPython's
// error messages.
func parseFormat(s string) ([]fmtField, error) {
	var out []fmtField
	var lit strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '}' {
			if i+1 < len(s) && s[i+1] == '}' {
				lit.WriteByte('}')
				i += 2
				continue
			}
			return nil, valueErr("Single '}' encountered in format string")
		}
		if c != '{' {
			lit.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			lit.WriteByte('{')
			i += 2
			continue
		}
		// Find the end of the field: matching '}' counting nested braces.
		depth, j := 1, i+1
		inBracket := false
		for j < len(s) {
			switch s[j] {
			case '[':
				inBracket = true
			case ']':
				inBracket = false
			case '{':
				if !inBracket {
					depth++
				}
			case '}':
				if !inBracket || depth > 1 {
					depth--
				}
			}
			if depth == 0 {
				break
			}
			j++
		}
		if depth != 0 {
			if j >= len(s) && !strings.ContainsAny(s[i+1:], "}") {
				return nil, valueErr("Single '{' encountered in format string")
			}
			return nil, valueErr("expected '}' before end of string")
		}
		f, err := parseField(s[i+1 : j])
		if err != nil {
			return nil, err
		}
		f.lit = lit.String()
		lit.Reset()
		out = append(out, f)
		i = j + 1
	}
	out = append(out, fmtField{lit: lit.String()})
	return out, nil
}

func parseField(body string) (fmtField, error) {
	var f fmtField
	// field_name runs to the first '!' or ':' outside brackets.
	k := 0
	inBracket := false
	for k < len(body) {
		c := body[k]
		if c == '[' {
			inBracket = true
		} else if c == ']' {
			inBracket = false
		} else if !inBracket && (c == '!' || c == ':') {
			break
		}
		k++
	}
	name := body[:k]
	rest := body[k:]
	if strings.HasPrefix(rest, "!") {
		if len(rest) < 2 {
			return f, valueErr("end of string while looking for conversion specifier")
		}
		f.conv = rune(rest[1])
		rest = rest[2:]
		if rest != "" && rest[0] != ':' {
			return f, valueErr("expected ':' after conversion specifier")
		}
		if f.conv != 'r' && f.conv != 's' && f.conv != 'a' {
			return f, valueErr("Unknown conversion specifier %s", string(f.conv))
		}
	}
	if strings.HasPrefix(rest, ":") {
		f.spec = rest[1:]
	}
	f.field = true
	// arg name then accessors
	a := 0
	for a < len(name) && name[a] != '.' && name[a] != '[' {
		a++
	}
	f.arg = name[:a]
	p := name[a:]
	for p != "" {
		if p[0] == '.' {
			e := 1
			for e < len(p) && p[e] != '.' && p[e] != '[' {
				e++
			}
			attr := p[1:e]
			if attr == "" {
				f.pathErr = valueErr("Empty attribute in format string")
				return f, nil
			}
			f.path = append(f.path, fmtAccess{attr: true, name: attr})
			p = p[e:]
			continue
		}
		if p[0] == '[' {
			e := strings.IndexByte(p, ']')
			if e < 0 {
				return f, valueErr("Missing ']' in format string")
			}
			key := p[1:e]
			if key == "" {
				f.pathErr = valueErr("Empty attribute in format string")
				return f, nil
			}
			f.path = append(f.path, fmtAccess{name: key})
			p = p[e+1:]
			if p != "" && p[0] != '.' && p[0] != '[' {
				f.pathErr = valueErr("Only '.' or '[' may follow ']' in format field specifier")
				return f, nil
			}
			continue
		}
		f.pathErr = valueErr("Only '.' or '[' may follow ']' in format field specifier")
		return f, nil
	}
	return f, nil
}

// formatter carries the state of one str.format call.
type formatter struct {
	st     *py.State
	args   []any
	kw     *py.Kwargs
	auto   int
	manual bool
	autoed bool
	// mapping, for str.format_map, holds the named fields (positional
	// fields are a ValueError); useMap tells it is set.
	mapping any
	useMap  bool
}

// strFormatMapMethod is str.format_map(mapping): named fields read from
// mapping[name], positional fields are refused.
func strFormatMapMethod(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("format_map", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, typeErr("format_map() takes exactly one argument (%d given)", len(args))
	}
	f := &formatter{st: st, mapping: args[0], useMap: true}
	return f.render(s, 2)
}

func strFormatMethod(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	f := &formatter{st: st, args: args, kw: kw}
	return f.render(s, 2)
}

func (f *formatter) render(s string, depth int) (string, error) {
	if depth <= 0 {
		return "", valueErr("Max string recursion exceeded")
	}
	fields, err := parseFormat(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, fl := range fields {
		b.WriteString(fl.lit)
		if !fl.field {
			continue
		}
		v, err := f.resolve(fl)
		if err != nil {
			return "", err
		}
		switch fl.conv {
		case 'r':
			r, err := py.ToRepr(f.st, v)
			if err != nil {
				return "", err
			}
			v = r
		case 's':
			r, err := py.ToStr(f.st, v)
			if err != nil {
				return "", err
			}
			v = r
		case 'a':
			r, err := py.ToRepr(f.st, v)
			if err != nil {
				return "", err
			}
			v = asciiEscape(r)
		}
		spec := fl.spec
		if strings.ContainsAny(spec, "{}") {
			spec, err = f.render(spec, depth-1)
			if err != nil {
				return "", err
			}
		}
		out, err := py.Format(f.st, v, spec)
		if err != nil {
			return "", err
		}
		if err := f.st.CheckStringLen(int64(b.Len() + len(out))); err != nil {
			return "", err
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

func (f *formatter) resolve(fl fmtField) (any, error) {
	var v any
	switch {
	case f.useMap && (fl.arg == "" || isDigits(fl.arg)):
		return nil, valueErr("Format string contains positional fields")
	case f.useMap:
		if strings.HasPrefix(fl.arg, "_") {
			return nil, py.Errorf(py.SecurityError, "access to name '%s' is not allowed", fl.arg)
		}
		val, err := py.GetItem(f.st, f.mapping, fl.arg)
		if err != nil {
			return nil, err
		}
		v = val
	case fl.arg == "":
		if f.manual {
			return nil, valueErr("cannot switch from manual field specification to automatic field numbering")
		}
		f.autoed = true
		if f.auto >= len(f.args) {
			return nil, py.Errorf(py.IndexError, "Replacement index %d out of range for positional args tuple", f.auto)
		}
		v = f.args[f.auto]
		f.auto++
	case isDigits(fl.arg):
		if f.autoed {
			return nil, valueErr("cannot switch from automatic field numbering to manual field specification")
		}
		f.manual = true
		n, err := strconv.Atoi(fl.arg)
		if err != nil || n >= len(f.args) {
			return nil, py.Errorf(py.IndexError, "Replacement index %s out of range for positional args tuple", fl.arg)
		}
		v = f.args[n]
	default:
		if strings.HasPrefix(fl.arg, "_") {
			return nil, py.Errorf(py.SecurityError, "access to name '%s' is not allowed", fl.arg)
		}
		val, ok := f.kw.Get(fl.arg)
		if !ok {
			return nil, py.Errorf(py.KeyError, "%s", pyQuote(fl.arg))
		}
		v = val
	}
	for _, acc := range fl.path {
		if strings.HasPrefix(acc.name, "_") {
			return nil, py.Errorf(py.SecurityError, "access to '%s' is not allowed in format strings", acc.name)
		}
		var err error
		if acc.attr {
			v, err = py.GetAttr(f.st, v, acc.name)
		} else if isDigits(acc.name) {
			n, _ := strconv.ParseInt(acc.name, 10, 64)
			v, err = py.GetItem(f.st, v, n)
		} else {
			v, err = py.GetItem(f.st, v, acc.name)
		}
		if err != nil {
			return nil, err
		}
	}
	if fl.pathErr != nil {
		return nil, fl.pathErr
	}
	return v, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// asciiEscape is ascii(): repr with non-ASCII characters escaped.
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}
