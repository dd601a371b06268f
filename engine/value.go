package engine

import (
	"github.com/julepkit/julep/engine/internal/py"
)

// The engine's values follow Python's object model. Eval returns them as
// any: None is nil, bool a bool, int an int64 (or a *big.Int when it does
// not fit), float a float64, str a string; lists, tuples, dicts, sets and
// the library's objects (datetime...) are values of the engine's own types,
// which callers do not name: they convert them with ToGo, ToJSON, Repr or
// Str, inspect a dict with AsDict, and build one with NewDict.
//
// Variables given to Eval may be plain Go values (converted on each Eval)
// or values converted once with FromGo (used as they are: a caller that
// evaluates many programs over the same variables converts them once).

// FromGo converts a Go value to the engine's value model: map[string]any
// becomes a dict with sorted keys, []any a list, Go integer types and
// json.Number ints (a json.Number with '.', 'e' or 'E' a float), float32 a
// float64; engine values (results of Eval, FromGo, DecodeJSON, a *Dict's
// Value) are returned as they are, cheaply. Other slices and string-keyed
// maps are converted by reflection; any other type is an *Error of kind
// KindType.
func FromGo(v any) (any, error) {
	if d, ok := v.(*Dict); ok {
		return d.Value(), nil
	}
	out, err := py.FromGo(v)
	if err != nil {
		return nil, wrapValueError(err)
	}
	return out, nil
}

// ToGo converts an engine value to plain Go: a dict becomes a
// map[string]any (non-str keys converted as json.dumps does: 1 -> "1", True
// -> "true", None -> "null"), a list, tuple or set a []any; ints stay int64
// or *big.Int, floats float64; other objects (datetime...) become their
// str(). Plain Go values are returned as they are.
func ToGo(v any) any {
	if d, ok := v.(*Dict); ok {
		v = d.Value()
	}
	return py.ToGo(v)
}

// DecodeJSON decodes one JSON document into an engine value, keeping
// object key order (a repeated key keeps its first place and its last
// value, as Python's json.loads); 1 is an int, 1.0 and 1e2 floats, huge
// ints exact; NaN, Infinity and -Infinity are accepted as json.loads does.
// Errors are *Error values of kind KindValue with json.loads's message
// ("Expecting value: line 1 column 1 (char 0)"), without a position in
// Line/Column (the message holds it).
func DecodeJSON(data []byte) (any, error) {
	v, err := py.DecodeJSON(data)
	if err != nil {
		return nil, wrapValueError(err)
	}
	return v, nil
}

// Repr returns Python's repr() of an engine value (or of a plain Go value,
// converted with FromGo first).
func Repr(v any) string { return py.Repr(goValue(v)) }

// ShortRepr returns repr(v) cut to about 80 characters, "..." marking the
// cut: the form in which the engine quotes values in its error messages
// (KeyError 'x', invalid literal for int()...).
func ShortRepr(v any) string { return py.ShortRepr(goValue(v)) }

// Str returns Python's str() of an engine value.
func Str(v any) string { return py.Str(goValue(v)) }

// TypeName returns the Python type name of an engine value: "NoneType",
// "bool", "int", "float", "str", "list", "tuple", "dict", "set",
// "datetime.datetime"...
func TypeName(v any) string { return py.TypeName(goValue(v)) }

// goValue converts plain Go values for the functions that take either.
func goValue(v any) any {
	if c, err := FromGo(v); err == nil {
		return c
	}
	return v
}

// Dict is a Python dict (insertion ordered) built by a caller or found in
// an engine value. A *Dict may be given to Eval in vars, to FromGo, or as a
// value of another Dict; Value returns the engine value it wraps. A Dict is
// not safe for concurrent mutation; do not change one while a program that
// was given it is running.
type Dict struct{ d *py.Dict }

// NewDict returns an empty dict with room for n items.
func NewDict(n int) *Dict { return &Dict{d: py.NewDict(n)} }

// AsDict returns the dict held by the engine value v (a result of Eval or
// DecodeJSON, say), or false when v is not a dict. The returned *Dict shares
// v's storage.
func AsDict(v any) (*Dict, bool) {
	switch x := v.(type) {
	case *py.Dict:
		return &Dict{d: x}, true
	case *Dict:
		return x, true
	}
	return nil, false
}

// Value returns the dict as an engine value (for vars, ToGo, ToJSON...).
func (d *Dict) Value() any { return d.d }

// Len returns the number of items.
func (d *Dict) Len() int { return d.d.Len() }

// GetStr returns the value of the str key k.
func (d *Dict) GetStr(k string) (any, bool) { return d.d.GetStr(k) }

// SetStr sets the str key k to v (converted with FromGo; a value FromGo
// refuses is an error and the dict is left unchanged).
func (d *Dict) SetStr(k string, v any) error {
	c, err := FromGo(v)
	if err != nil {
		return err
	}
	d.d.SetStr(k, c)
	return nil
}

// Set sets key k to v (both converted with FromGo). A key Python cannot
// hash (a list, a dict...) is an *Error of kind KindType; the dict is then
// left unchanged.
func (d *Dict) Set(k, v any) error {
	ck, err := FromGo(k)
	if err != nil {
		return err
	}
	cv, err := FromGo(v)
	if err != nil {
		return err
	}
	if err := d.d.Set(ck, cv); err != nil {
		return wrapValueError(err)
	}
	return nil
}

// Range calls f for each item in insertion order until f returns false.
// Keys and values are engine values.
func (d *Dict) Range(f func(k, v any) bool) { d.d.Range(f) }

// wrapValueError converts an error of the value model into an *Error
// without a position.
func wrapValueError(err error) error {
	if pe, ok := err.(*py.Error); ok {
		return &Error{Kind: pe.Kind, Msg: pe.Msg, cause: err}
	}
	return &Error{Kind: KindInternal, Msg: err.Error(), cause: err}
}
