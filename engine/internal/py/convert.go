package py

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxGoDepth bounds the nesting FromGo, ToGo and the JSON codec walk.
const maxGoDepth = 1000

// FromGo converts a Go value to the value model: map[string]any becomes a
// *Dict with sorted keys, []any a *List, Go integer types and json.Number
// ints (json.Number with '.', 'e' or 'E' a float), float32 a float64;
// canonical values are returned as is (cheaply: a *List or *Dict is not
// walked). Other slices and string-keyed maps are converted by reflection;
// any other type gives a TypeError.
func FromGo(v any) (any, error) { return fromGo(v, 0) }

func fromGo(v any, depth int) (any, error) {
	if depth > maxGoDepth {
		return nil, newErr(LimitError, "value nested too deeply")
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string, *List, Tuple, *Dict, *Set, *Func, *Module:
		return v, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint:
		return fromUint(uint64(x)), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return fromUint(x), nil
	case float32:
		return float64(x), nil
	case *big.Int:
		if x == nil {
			return nil, nil
		}
		return normBig(x), nil
	case json.Number:
		return parseJSONNumber(string(x))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d := NewDict(len(keys))
		for _, k := range keys {
			e, err := fromGo(x[k], depth+1)
			if err != nil {
				return nil, err
			}
			d.entries = append(d.entries, dictEntry{key: k, hk: k, val: e})
		}
		d.reindex()
		return d, nil
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			c, err := fromGo(e, depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return &List{Items: items}, nil
	case []string:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = e
		}
		return &List{Items: items}, nil
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d := NewDict(len(keys))
		for _, k := range keys {
			d.SetStr(k, x[k])
		}
		return d, nil
	case map[any]any:
		type kv struct {
			k   any
			v   any
			str string
		}
		kvs := make([]kv, 0, len(x))
		for k, e := range x {
			ck, err := fromGo(k, depth+1)
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, kv{ck, e, Repr(ck)})
		}
		slices.SortFunc(kvs, func(a, b kv) int { return strings.Compare(a.str, b.str) })
		d := NewDict(len(kvs))
		for _, p := range kvs {
			e, err := fromGo(p.v, depth+1)
			if err != nil {
				return nil, err
			}
			if err := d.Set(p.k, e); err != nil {
				return nil, err
			}
		}
		return d, nil
	case Object:
		return v, nil
	}
	return fromReflect(v, depth)
}

func fromUint(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return new(big.Int).SetUint64(u)
}

func fromReflect(v any, depth int) (any, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			break // []byte is not a list of ints by accident
		}
		items := make([]any, rv.Len())
		for i := range items {
			c, err := fromGo(rv.Index(i).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return &List{Items: items}, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		d := NewDict(len(keys))
		for _, k := range keys {
			e, err := fromGo(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			d.SetStr(k, e)
		}
		return d, nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fromUint(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	return nil, newErr(TypeError, "cannot convert Go value of type "+reflect.TypeOf(v).String()+" to a Python value")
}

func parseJSONNumber(s string) (any, error) {
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, newErr(ValueError, "invalid number "+truncate(strconv.Quote(s)))
		}
		return f, nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, newErr(ValueError, "invalid number "+truncate(strconv.Quote(s)))
	}
	return normBig(b), nil
}

// ToGo converts a value to plain Go: *Dict becomes map[string]any (non-str
// keys converted as json.dumps does: 1 -> "1", True -> "true", None ->
// "null"), *List, Tuple and *Set []any, ints stay int64 or *big.Int, floats
// float64, Objects their str().
func ToGo(v any) any { return toGo(v, 0) }

func toGo(v any, depth int) any {
	if depth > maxGoDepth {
		return nil
	}
	switch x := v.(type) {
	case *Dict:
		m := make(map[string]any, x.Len())
		for i := range x.ents() {
			e := &x.entries[i]
			k, ok := e.key.(string)
			if !ok {
				k, _ = jsonKey(e.key)
			}
			m[k] = toGo(e.val, depth+1)
		}
		return m
	case *List:
		return toGoSlice(x.items(), depth)
	case Tuple:
		return toGoSlice(x, depth)
	case *Set:
		return toGoSlice(x.Elems(), depth)
	case nil, bool, int64, float64, string, *big.Int:
		return v
	}
	return Str(v)
}

func toGoSlice(items []any, depth int) []any {
	out := make([]any, len(items))
	for i, e := range items {
		out[i] = toGo(e, depth+1)
	}
	return out
}

// jsonKey converts a dict key as json.dumps does.
func jsonKey(k any) (string, bool) {
	switch x := k.(type) {
	case string:
		return x, true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case nil:
		return "null", true
	case int64, *big.Int:
		s, err := IntToString(x)
		return s, err == nil
	case float64:
		return jsonFloat(x), true
	}
	return Str(k), false
}

func jsonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return FormatFloat(f)
}

// JSONOptions are json.dumps's options.
type JSONOptions struct {
	// Indent is the indentation string per level; nil-like "" with
	// Pretty=false means no newlines.
	Indent string
	// Pretty turns on newlines and indentation (json.dumps indent=...;
	// indent=0 is Pretty with an empty Indent).
	Pretty bool
	// ItemSep and KeySep are the separators; empty means json.dumps's
	// defaults (", " and ": ", or "," and ": " when Pretty).
	ItemSep, KeySep string
	// EnsureASCII escapes every non-ASCII character as \uXXXX (the default
	// of json.dumps).
	EnsureASCII bool
	// SortKeys sorts dict keys.
	SortKeys bool
	// Python makes sets and other non-JSON values a TypeError ("Object of
	// type set is not JSON serializable") and non-scalar keys a TypeError, as
	// json.dumps does; otherwise sets and tuples are arrays and Objects
	// their str().
	Python bool
}

// MarshalJSON encodes v as compact JSON (separators "," and ":", UTF-8 kept):
// dict order kept, ints as integers, floats with Python's repr (1.0 stays
// 1.0), NaN/Infinity/-Infinity as json.dumps writes them, tuples and sets as
// arrays, non-str keys converted as json.dumps does (int/float/bool/None
// keys). Note that encoding/json rejects NaN and Infinity in a Marshaler's
// output: use MarshalJSON directly for such values.
func MarshalJSON(v any) ([]byte, error) {
	return EncodeJSON(nil, v, JSONOptions{ItemSep: ",", KeySep: ":"})
}

// EncodeJSON encodes v with json.dumps's options, charging st.
func EncodeJSON(st *State, v any, opt JSONOptions) ([]byte, error) {
	if opt.ItemSep == "" {
		opt.ItemSep = ", "
		if opt.Pretty {
			opt.ItemSep = ","
		}
	}
	if opt.KeySep == "" {
		opt.KeySep = ": "
	}
	e := jsonEncoder{st: st, opt: opt}
	if err := e.encode(v, 0); err != nil {
		return nil, err
	}
	if err := st.CheckBuilt(e.b); err != nil {
		return nil, err
	}
	if err := st.ChargeBytes(int64(len(e.b))); err != nil {
		return nil, err
	}
	return e.b, nil
}

type jsonEncoder struct {
	st    *State
	opt   JSONOptions
	b     []byte
	stack []any
}

func (e *jsonEncoder) newline(depth int) {
	if e.opt.Pretty {
		e.b = append(e.b, '\n')
		for range depth {
			e.b = append(e.b, e.opt.Indent...)
		}
	}
}

func (e *jsonEncoder) push(c any) error {
	for _, s := range e.stack {
		if s == c {
			return newErr(ValueError, "Circular reference detected")
		}
	}
	e.stack = append(e.stack, c)
	return nil
}

func (e *jsonEncoder) encode(v any, depth int) error {
	if depth > maxGoDepth {
		return newErr(LimitError, "value nested too deeply for JSON")
	}
	if int64(len(e.b)) > e.st.Limits().MaxBytes {
		return errBytes(e.st.Limits().MaxBytes)
	}
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		if x {
			e.b = append(e.b, "true"...)
		} else {
			e.b = append(e.b, "false"...)
		}
	case int64:
		e.b = strconv.AppendInt(e.b, x, 10)
	case *big.Int:
		s, err := IntToString(x)
		if err != nil {
			return err
		}
		e.b = append(e.b, s...)
	case float64:
		e.b = append(e.b, jsonFloat(x)...)
	case string:
		e.b = appendJSONString(e.b, x, e.opt.EnsureASCII)
	case *List:
		if err := e.push(x); err != nil {
			return err
		}
		if err := e.array(x.items(), depth); err != nil {
			return err
		}
		e.stack = e.stack[:len(e.stack)-1]
	case Tuple:
		return e.array(x, depth)
	case *Set:
		if e.opt.Python {
			return newErr(TypeError, "Object of type set is not JSON serializable")
		}
		return e.array(x.Elems(), depth)
	case *Dict:
		if err := e.push(x); err != nil {
			return err
		}
		if err := e.object(x, depth); err != nil {
			return err
		}
		e.stack = e.stack[:len(e.stack)-1]
	case Integer:
		e.b = strconv.AppendInt(e.b, x.IntValue(), 10)
	default:
		if e.opt.Python {
			return newErr(TypeError, "Object of type "+TypeName(v)+" is not JSON serializable")
		}
		e.b = appendJSONString(e.b, Str(v), e.opt.EnsureASCII)
	}
	return nil
}

func (e *jsonEncoder) array(items []any, depth int) error {
	if len(items) == 0 {
		e.b = append(e.b, "[]"...)
		return nil
	}
	if err := e.st.Charge(int64(len(items))); err != nil {
		return err
	}
	e.b = append(e.b, '[')
	for i, it := range items {
		if i > 0 {
			e.b = append(e.b, e.opt.ItemSep...)
		}
		e.newline(depth + 1)
		if err := e.encode(it, depth+1); err != nil {
			return err
		}
	}
	e.newline(depth)
	e.b = append(e.b, ']')
	return nil
}

func (e *jsonEncoder) object(d *Dict, depth int) error {
	if d.Len() == 0 {
		e.b = append(e.b, "{}"...)
		return nil
	}
	if err := e.st.Charge(int64(d.Len())); err != nil {
		return err
	}
	order := make([]int, d.Len())
	for i := range order {
		order[i] = i
	}
	if e.opt.SortKeys {
		var err error
		slices.SortStableFunc(order, func(i, j int) int {
			ki, kj := d.entries[i].key, d.entries[j].key
			if si, ok := ki.(string); ok {
				if sj, ok := kj.(string); ok {
					return strings.Compare(si, sj)
				}
			}
			lt, e1 := Compare("<", ki, kj)
			if e1 != nil {
				err = e1
				return 0
			}
			if lt {
				return -1
			}
			gt, _ := Compare(">", ki, kj)
			if gt {
				return 1
			}
			return 0
		})
		if err != nil {
			return err
		}
	}
	e.b = append(e.b, '{')
	for n, i := range order {
		en := &d.entries[i]
		k, ok := jsonKey(en.key)
		if !ok {
			if e.opt.Python {
				return newErr(TypeError, "keys must be str, int, float, bool or None, not "+TypeName(en.key))
			}
		}
		if n > 0 {
			e.b = append(e.b, e.opt.ItemSep...)
		}
		e.newline(depth + 1)
		e.b = appendJSONString(e.b, k, e.opt.EnsureASCII)
		e.b = append(e.b, e.opt.KeySep...)
		if err := e.encode(en.val, depth+1); err != nil {
			return err
		}
	}
	e.newline(depth)
	e.b = append(e.b, '}')
	return nil
}

// appendJSONString appends s as a JSON string like json.dumps.
func appendJSONString(b []byte, s string, ascii bool) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				// CPython escapes control characters always, and DEL too
				// when ensure_ascii is on (it keeps only ' '..'~').
				if c < 0x20 || (ascii && c == 0x7f) {
					b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
				} else {
					b = append(b, c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !ascii {
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...) // invalid UTF-8: keep the output valid
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i += size
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = appendU4(b, r1)
			b = appendU4(b, r2)
		} else {
			b = appendU4(b, r)
		}
	}
	return append(b, '"')
}

func appendU4(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
}

// MarshalJSON implements json.Marshaler.
func (d *Dict) MarshalJSON() ([]byte, error) { return MarshalJSON(d) }

// MarshalJSON implements json.Marshaler.
func (l *List) MarshalJSON() ([]byte, error) { return MarshalJSON(l) }

// DecodeJSON decodes one JSON document into the value model keeping object
// key order (a repeated key keeps its first place and its last value, as
// json.loads); 1 is an int, 1.0 and 1e2 floats, huge ints *big.Int; NaN,
// Infinity and -Infinity are accepted as Python's json.loads does. Errors
// are ValueError with json.loads's messages ("Expecting value: line 1
// column 1 (char 0)").
func DecodeJSON(data []byte) (any, error) {
	d := jsonDecoder{s: data}
	d.ws()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.i != len(d.s) {
		return nil, d.errAt("Extra data", d.i)
	}
	return v, nil
}

type jsonDecoder struct {
	s []byte
	i int
}

func (d *jsonDecoder) errAt(msg string, pos int) error {
	line, col, char := 1, 1, 0
	for j := 0; j < pos && j < len(d.s); {
		r, size := utf8.DecodeRune(d.s[j:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		char++
		j += size
	}
	return newErr(ValueError, msg+": line "+strconv.Itoa(line)+" column "+strconv.Itoa(col)+" (char "+strconv.Itoa(char)+")")
}

func (d *jsonDecoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > maxGoDepth {
		return nil, newErr(LimitError, "JSON nested too deeply")
	}
	if d.i >= len(d.s) {
		return nil, d.errAt("Expecting value", d.i)
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		if c == '-' && hasPrefix(d.s[d.i:], "-Infinity") {
			d.i += 9
			return math.Inf(-1), nil
		}
		return d.number()
	case hasPrefix(d.s[d.i:], "null"):
		d.i += 4
		return nil, nil
	case hasPrefix(d.s[d.i:], "true"):
		d.i += 4
		return true, nil
	case hasPrefix(d.s[d.i:], "false"):
		d.i += 5
		return false, nil
	case hasPrefix(d.s[d.i:], "NaN"):
		d.i += 3
		return math.NaN(), nil
	case hasPrefix(d.s[d.i:], "Infinity"):
		d.i += 8
		return math.Inf(1), nil
	}
	return nil, d.errAt("Expecting value", d.i)
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

func (d *jsonDecoder) number() (any, error) {
	start := d.i
	if d.s[d.i] == '-' {
		d.i++
	}
	if d.i >= len(d.s) || d.s[d.i] < '0' || d.s[d.i] > '9' {
		return nil, d.errAt("Expecting value", start)
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
			isFloat = true
			for j < len(d.s) && d.s[j] >= '0' && d.s[j] <= '9' {
				j++
			}
			d.i = j
		}
	}
	text := string(d.s[start:d.i])
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, d.errAt("Expecting value", start)
		}
		return f, nil
	}
	if d.i-start <= 18 {
		n, _ := strconv.ParseInt(text, 10, 64)
		return n, nil
	}
	if len(strings.TrimPrefix(text, "-")) > maxIntStrDigits {
		return nil, errIntDigits()
	}
	b, _ := new(big.Int).SetString(text, 10)
	return normBig(b), nil
}

func (d *jsonDecoder) str() (string, error) {
	start := d.i
	d.i++ // opening quote
	// Fast path: no escapes.
	j := d.i
	for j < len(d.s) {
		c := d.s[j]
		if c == '"' {
			s := string(d.s[d.i:j])
			d.i = j + 1
			if !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		j++
	}
	var b []byte
	b = append(b, d.s[d.i:j]...)
	d.i = j
	for {
		if d.i >= len(d.s) {
			return "", d.errAt("Unterminated string starting at", start)
		}
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			s := string(b)
			if !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			return s, nil
		case c < 0x20:
			return "", d.errAt("Invalid control character at", d.i)
		case c == '\\':
			if d.i+1 >= len(d.s) {
				return "", d.errAt("Unterminated string starting at", start)
			}
			esc := d.s[d.i+1]
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := d.hex4(d.i + 2)
				if !ok {
					return "", d.errAt("Invalid \\uXXXX escape", d.i+1)
				}
				d.i += 6
				if utf16.IsSurrogate(r) && r < 0xdc00 && d.i+1 < len(d.s) && d.s[d.i] == '\\' && d.s[d.i+1] == 'u' {
					if r2, ok := d.hex4(d.i + 2); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
						r = utf16.DecodeRune(r, r2)
						d.i += 6
					}
				}
				b = utf8.AppendRune(b, r) // lone surrogates become U+FFFD
				continue
			default:
				return "", d.errAt("Invalid \\escape", d.i)
			}
			d.i += 2
		default:
			b = append(b, c)
			d.i++
		}
	}
}

func (d *jsonDecoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.s) {
		return 0, false
	}
	var r rune
	for _, c := range d.s[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (d *jsonDecoder) array(depth int) (any, error) {
	d.i++
	items := []any{}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return &List{Items: items}, nil
	}
	for {
		d.ws()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		d.ws()
		if d.i >= len(d.s) {
			return nil, d.errAt("Expecting ',' delimiter", d.i)
		}
		switch d.s[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			return &List{Items: items}, nil
		default:
			return nil, d.errAt("Expecting ',' delimiter", d.i)
		}
	}
}

func (d *jsonDecoder) object(depth int) (any, error) {
	d.i++
	dict := NewDict(0)
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return dict, nil
	}
	for {
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return nil, d.errAt("Expecting property name enclosed in double quotes", d.i)
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return nil, d.errAt("Expecting ':' delimiter", d.i)
		}
		d.i++
		d.ws()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		dict.SetStr(k, v)
		d.ws()
		if d.i >= len(d.s) {
			return nil, d.errAt("Expecting ',' delimiter", d.i)
		}
		switch d.s[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return dict, nil
		default:
			return nil, d.errAt("Expecting ',' delimiter", d.i)
		}
	}
}

// MarshalJSON implements json.Marshaler (a JSON array).
func (t Tuple) MarshalJSON() ([]byte, error) { return MarshalJSON(t) }

// MarshalJSON implements json.Marshaler (a JSON array in iteration order).
func (s *Set) MarshalJSON() ([]byte, error) { return MarshalJSON(s) }
