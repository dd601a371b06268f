package pylib

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
)

// maxHelperInput is Julep's limit on the text given to the JSON/YAML helpers.
const maxHelperInput = 1_000_000

func checkHelperInput(name string, s string) error {
	if n := utf8.RuneCountInString(s); n > maxHelperInput {
		return py.Errorf(py.LimitError, "%s: input of %d characters exceeds the limit of %d", name, n, maxHelperInput)
	}
	return nil
}

// jsonOpts are json.dumps's options.
type jsonOpts struct {
	indent      *string
	itemSep     string
	keySep      string
	sortKeys    bool
	ensureASCII bool
	allowNaN    bool
	skipKeys    bool
}

func parseDumpsOpts(fname string, args []any, kw *py.Kwargs) (any, jsonOpts, error) {
	o := jsonOpts{ensureASCII: true, allowNaN: true}
	a, err := bind(fname, args, kw, []string{"obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent", "separators", "default", "sort_keys"}, 1)
	if err != nil {
		return nil, o, err
	}
	if len(args) > 1 {
		return nil, o, typeErr("dumps() takes 1 positional argument but %d were given", len(args))
	}
	if given(a[1]) {
		o.skipKeys = py.Truth(a[1])
	}
	if given(a[2]) {
		o.ensureASCII = py.Truth(a[2])
	}
	if given(a[4]) {
		o.allowNaN = py.Truth(a[4])
	}
	if given(a[5]) && a[5] != nil {
		return nil, o, py.Errorf(py.NotImplementedError, "json.dumps(): cls is not supported")
	}
	if given(a[8]) && a[8] != nil {
		return nil, o, py.Errorf(py.NotImplementedError, "json.dumps(): default is not supported")
	}
	if given(a[6]) && a[6] != nil {
		switch x := a[6].(type) {
		case string:
			o.indent = &x
		default:
			n, ok := asInt(x)
			if !ok {
				return nil, o, typeErr("can't multiply sequence by non-int of type '%s'", tn(x))
			}
			if n > 10000 {
				return nil, o, py.Errorf(py.LimitError, "json.dumps(): indent %d is too large", n)
			}
			s := ""
			if n > 0 {
				s = strings.Repeat(" ", int(n))
			}
			o.indent = &s
		}
	}
	o.itemSep, o.keySep = ", ", ": "
	if o.indent != nil {
		o.itemSep = ","
	}
	if given(a[7]) && a[7] != nil {
		var parts []any
		switch x := a[7].(type) {
		case py.Tuple:
			parts = x
		case *py.List:
			parts = x.Items
		default:
			return nil, o, typeErr("cannot unpack non-iterable %s object", tn(x))
		}
		if len(parts) != 2 {
			return nil, o, valueErr("too many values to unpack (expected 2)")
		}
		is, ok1 := parts[0].(string)
		ks, ok2 := parts[1].(string)
		if !ok1 || !ok2 {
			return nil, o, typeErr("make_encoder() argument 6 must be str, not %s", tn(parts[0]))
		}
		o.itemSep, o.keySep = is, ks
	}
	if given(a[9]) {
		o.sortKeys = py.Truth(a[9])
	}
	return a[0], o, nil
}

func jsonDumps(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	v, o, err := parseDumpsOpts("dumps", args, kw)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if err := encodeJSON(st, &b, v, o, 0); err != nil {
		return nil, err
	}
	out := b.String()
	if err := st.CheckBuilt([]byte(out)); err != nil {
		return nil, err
	}
	return out, nil
}

func jsonString(b *strings.Builder, s string, ascii bool) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(b, `\u%04x`, r)
			case r < 0x7f || !ascii:
				b.WriteRune(r)
			case r > 0xffff:
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}

func jsonFloat(f float64, o jsonOpts) (string, error) {
	switch {
	case math.IsNaN(f):
		if !o.allowNaN {
			return "", valueErr("Out of range float values are not JSON compliant: nan")
		}
		return "NaN", nil
	case math.IsInf(f, 1):
		if !o.allowNaN {
			return "", valueErr("Out of range float values are not JSON compliant: inf")
		}
		return "Infinity", nil
	case math.IsInf(f, -1):
		if !o.allowNaN {
			return "", valueErr("Out of range float values are not JSON compliant: -inf")
		}
		return "-Infinity", nil
	}
	return py.FormatFloat(f), nil
}

func encodeJSON(st *py.State, b *strings.Builder, v any, o jsonOpts, level int) error {
	if err := st.CheckStringLen(int64(b.Len())); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		s, err := jsonFloat(x, o)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case string:
		jsonString(b, x, o.ensureASCII)
	case *py.List:
		return encodeJSONArray(st, b, x.Items, o, level)
	case py.Tuple:
		return encodeJSONArray(st, b, x, o, level)
	case *py.Dict:
		return encodeJSONObject(st, b, x, o, level)
	case py.Integer:
		b.WriteString(itoa(x.IntValue()))
	default:
		return typeErr("Object of type %s is not JSON serializable", tn(v))
	}
	return nil
}

func jsonNewline(b *strings.Builder, o jsonOpts, level int) {
	b.WriteByte('\n')
	for i := 0; i < level; i++ {
		b.WriteString(*o.indent)
	}
}

func encodeJSONArray(st *py.State, b *strings.Builder, items []any, o jsonOpts, level int) error {
	if len(items) == 0 {
		b.WriteString("[]")
		return nil
	}
	if err := st.Enter(); err != nil {
		return err
	}
	defer st.Leave()
	b.WriteByte('[')
	if o.indent != nil {
		jsonNewline(b, o, level+1)
	}
	for i, it := range items {
		if i > 0 {
			b.WriteString(o.itemSep)
			if o.indent != nil {
				jsonNewline(b, o, level+1)
			}
		}
		if err := encodeJSON(st, b, it, o, level+1); err != nil {
			return err
		}
	}
	if o.indent != nil {
		jsonNewline(b, o, level)
	}
	b.WriteByte(']')
	return nil
}

func jsonKey(k any, o jsonOpts) (string, bool, error) {
	switch x := k.(type) {
	case string:
		return x, true, nil
	case bool:
		if x {
			return "true", true, nil
		}
		return "false", true, nil
	case nil:
		return "null", true, nil
	case int64:
		return strconv.FormatInt(x, 10), true, nil
	case *big.Int:
		return x.String(), true, nil
	case float64:
		s, err := jsonFloat(x, o)
		return s, true, err
	}
	if o.skipKeys {
		return "", false, nil
	}
	return "", false, typeErr("keys must be str, int, float, bool or None, not %s", tn(k))
}

func encodeJSONObject(st *py.State, b *strings.Builder, d *py.Dict, o jsonOpts, level int) error {
	if d.Len() == 0 {
		b.WriteString("{}")
		return nil
	}
	if err := st.Enter(); err != nil {
		return err
	}
	defer st.Leave()
	items := d.Items()
	if o.sortKeys {
		// Sort by key with Python's "<" (TypeError on mixed key types).
		ks := make([]any, len(items))
		idx := make([]any, len(items))
		for i, it := range items {
			ks[i], idx[i] = it[0], int64(i)
		}
		byKey := func(i any) (any, error) { return ks[i.(int64)], nil }
		if err := sortBy(st, idx, byKey, false); err != nil {
			return err
		}
		ordered := make([]py.Tuple, len(items))
		for i, j := range idx {
			ordered[i] = items[j.(int64)]
		}
		items = ordered
	}
	b.WriteByte('{')
	first := true
	for _, it := range items {
		ks, ok, err := jsonKey(it[0], o)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if !first {
			b.WriteString(o.itemSep)
		}
		if o.indent != nil {
			jsonNewline(b, o, level+1)
		}
		first = false
		jsonString(b, ks, o.ensureASCII)
		b.WriteString(o.keySep)
		if err := encodeJSON(st, b, it[1], o, level+1); err != nil {
			return err
		}
	}
	if o.indent != nil && !first {
		jsonNewline(b, o, level)
	}
	b.WriteByte('}')
	return nil
}

// ---- decoding (json.loads with CPython's error messages)

type jsonDecoder struct {
	st  *py.State
	s   []rune
	i   int
	src string
}

func jsonDecodeErr(d *jsonDecoder, msg string, pos int) error {
	line := 1
	col := pos + 1
	for k := 0; k < pos && k < len(d.s); k++ {
		if d.s[k] == '\n' {
			line++
			col = pos - k
		}
	}
	return py.Errorf("JSONDecodeError", "%s: line %d column %d (char %d)", msg, line, col, pos)
}

func jsonLoads(st *py.State, s string) (any, error) {
	d := &jsonDecoder{st: st, s: []rune(s), src: s}
	if err := st.Charge(int64(len(s)/16 + 1)); err != nil {
		return nil, err
	}
	d.ws()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.i != len(d.s) {
		return nil, jsonDecodeErr(d, "Extra data", d.i)
	}
	return v, nil
}

func (d *jsonDecoder) ws() {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\t' || d.s[d.i] == '\n' || d.s[d.i] == '\r') {
		d.i++
	}
}

func (d *jsonDecoder) has(lit string) bool {
	rs := []rune(lit)
	if d.i+len(rs) > len(d.s) {
		return false
	}
	for k, r := range rs {
		if d.s[d.i+k] != r {
			return false
		}
	}
	return true
}

func (d *jsonDecoder) value() (any, error) {
	if d.i >= len(d.s) {
		return nil, jsonDecodeErr(d, "Expecting value", d.i)
	}
	switch c := d.s[d.i]; {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == 'n' && d.has("null"):
		d.i += 4
		return nil, nil
	case c == 't' && d.has("true"):
		d.i += 4
		return true, nil
	case c == 'f' && d.has("false"):
		d.i += 5
		return false, nil
	case c == 'N' && d.has("NaN"):
		d.i += 3
		return math.NaN(), nil
	case c == 'I' && d.has("Infinity"):
		d.i += 8
		return math.Inf(1), nil
	case c == '-' && d.has("-Infinity"):
		d.i += 9
		return math.Inf(-1), nil
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return nil, jsonDecodeErr(d, "Expecting value", d.i)
}

func (d *jsonDecoder) number() (any, error) {
	start := d.i
	if d.s[d.i] == '-' {
		d.i++
	}
	if d.i >= len(d.s) || d.s[d.i] < '0' || d.s[d.i] > '9' {
		return nil, jsonDecodeErr(d, "Expecting value", start)
	}
	if d.s[d.i] == '0' {
		d.i++
	} else {
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
			d.i++
		}
	}
	isFloat := false
	if d.i+1 < len(d.s) && d.s[d.i] == '.' && d.s[d.i+1] >= '0' && d.s[d.i+1] <= '9' {
		isFloat = true
		d.i++
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
			d.i++
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		j := d.i + 1
		if j < len(d.s) && (d.s[j] == '+' || d.s[j] == '-') {
			j++
		}
		if j < len(d.s) && d.s[j] >= '0' && d.s[j] <= '9' {
			for j < len(d.s) && d.s[j] >= '0' && d.s[j] <= '9' {
				j++
			}
			d.i = j
			isFloat = true
		}
	}
	text := string(d.s[start:d.i])
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return f, nil
			}
			return nil, jsonDecodeErr(d, "Expecting value", start)
		}
		return f, nil
	}
	return parseIntString(text, 10)
}

func (d *jsonDecoder) str() (any, error) {
	start := d.i
	d.i++
	var b strings.Builder
	for {
		if d.i >= len(d.s) {
			return nil, jsonDecodeErr(d, "Unterminated string starting at", start)
		}
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			if err := d.st.CheckStringLen(int64(b.Len())); err != nil {
				return nil, err
			}
			return b.String(), nil
		case c == '\\':
			if d.i+1 >= len(d.s) {
				return nil, jsonDecodeErr(d, "Unterminated string starting at", start)
			}
			e := d.s[d.i+1]
			switch e {
			case '"', '\\', '/':
				b.WriteRune(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := d.hex4(d.i + 2)
				if !ok {
					return nil, jsonDecodeErr(d, "Invalid \\uXXXX escape", d.i+1)
				}
				d.i += 4
				if utf16.IsSurrogate(r) && r < 0xdc00 && d.i+7 < len(d.s)+1 && d.i+2 < len(d.s) && d.s[d.i+2] == '\\' && d.i+3 < len(d.s) && d.s[d.i+3] == 'u' {
					if r2, ok := d.hex4(d.i + 4); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
						r = utf16.DecodeRune(r, r2)
						d.i += 6
					}
				}
				if utf16.IsSurrogate(r) {
					r = utf8.RuneError // lone surrogates cannot be represented in Go strings
				}
				b.WriteRune(r)
			default:
				return nil, jsonDecodeErr(d, "Invalid \\escape", d.i)
			}
			d.i += 2
		case c < 0x20:
			return nil, jsonDecodeErr(d, "Invalid control character at", d.i)
		default:
			b.WriteRune(c)
			d.i++
		}
	}
}

func (d *jsonDecoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.s) {
		return 0, false
	}
	var r rune
	for k := 0; k < 4; k++ {
		c := d.s[at+k]
		if !isHex(c) {
			return 0, false
		}
		v, _ := strconv.ParseUint(string(c), 16, 8)
		r = r*16 + rune(v)
	}
	return r, true
}

func (d *jsonDecoder) array() (any, error) {
	if err := d.st.Enter(); err != nil {
		return nil, err
	}
	defer d.st.Leave()
	d.i++
	out := []any{}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return py.NewList(out), nil
	}
	for {
		d.ws()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if err := d.st.Charge(1); err != nil {
			return nil, err
		}
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == ']' {
			d.i++
			if err := newColl(d.st, len(out)); err != nil {
				return nil, err
			}
			return py.NewList(out), nil
		}
		if d.i >= len(d.s) || d.s[d.i] != ',' {
			return nil, jsonDecodeErr(d, "Expecting ',' delimiter", d.i)
		}
		d.i++
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == ']' {
			return nil, jsonDecodeErr(d, "Illegal trailing comma before end of array", d.i-1)
		}
	}
}

func (d *jsonDecoder) object() (any, error) {
	if err := d.st.Enter(); err != nil {
		return nil, err
	}
	defer d.st.Leave()
	d.i++
	out := py.NewDict(0)
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return out, nil
	}
	for {
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return nil, jsonDecodeErr(d, "Expecting property name enclosed in double quotes", d.i)
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return nil, jsonDecodeErr(d, "Expecting ':' delimiter", d.i)
		}
		d.i++
		d.ws()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out.SetStr(k.(string), v)
		if err := d.st.Charge(1); err != nil {
			return nil, err
		}
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == '}' {
			d.i++
			return out, newColl(d.st, out.Len())
		}
		if d.i >= len(d.s) || d.s[d.i] != ',' {
			return nil, jsonDecodeErr(d, "Expecting ',' delimiter", d.i)
		}
		d.i++
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == '}' {
			return nil, jsonDecodeErr(d, "Illegal trailing comma before end of object", d.i-1)
		}
	}
}

func loadsArg(fname string, args []any, kw *py.Kwargs) (string, error) {
	a, err := bind(fname, args, kw, []string{"s"}, 1)
	if err != nil {
		return "", err
	}
	s, ok := a[0].(string)
	if !ok {
		return "", typeErr("the JSON object must be str, bytes or bytearray, not %s", tn(a[0]))
	}
	return s, checkHelperInput(fname, s)
}

// extractJSON is Julep's extract_json: the text between "```json" and the
// next "```" when present, else the whole string, parsed as JSON.
func extractJSON(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	s, err := loadsArg("extract_json", args, kw)
	if err != nil {
		return nil, err
	}
	if i := strings.Index(s, "```json"); i >= 0 {
		rest := s[i+7:]
		if j := strings.Index(rest, "```"); j >= 0 {
			s = rest[:j]
		} else {
			// Python's slice with find() == -1 drops the last character.
			if rest != "" {
				_, w := utf8.DecodeLastRuneInString(rest)
				rest = rest[:len(rest)-w]
			}
			s = rest
		}
	}
	return jsonLoads(st, s)
}

// jsonModule is the json module.
func jsonModule() *py.Module {
	return newModule("json", map[string]builtinFunc{
		"loads": jsonLoadsFunc("loads"),
		"dumps": jsonDumps,
	}, nil)
}

// jsonLoadsFunc returns json.loads or load_json (name, for messages).
func jsonLoadsFunc(name string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := loadsArg(name, args, kw)
		if err != nil {
			return nil, err
		}
		return jsonLoads(st, s)
	}
}
