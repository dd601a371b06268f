// Package py is the Python-semantics runtime of the expression engine: the
// value model, operators, truthiness, comparison, hashing, repr/str and
// format-spec formatting, with CPython 3.12's results.
//
// Value model (every value the engine produces or consumes is one of these):
//
//	None      nil
//	bool      bool
//	int       int64, or *big.Int when it does not fit in int64 (always normalized)
//	float     float64
//	str       string (UTF-8; indexing and len count code points)
//	list      *List
//	tuple     Tuple
//	dict      *Dict (insertion ordered)
//	set       *Set (CPython's iteration order where deterministic, see Set)
//	callables *Func (a named builtin, method or lambda value)
//	modules   *Module
//	others    values of other packages implementing Object (datetime, …)
//
// FromGo converts ordinary Go values (map[string]any, []any, int, json.Number…)
// into this model; ToGo and MarshalJSON convert back.
//
// Every helper that may do work proportional to its input takes a *State,
// which carries the evaluation's budget (Limits) and its context. A nil
// *State is accepted for convenience (tests, library code working on small
// values): operations are then not charged, but the per-value size limits of
// DefaultLimits (string length, int bits, collection length) still apply.
//
// Errors are *Error values with a Python exception name as Kind. Messages
// follow CPython's wording, but operand values are never printed in full: at
// most ~80 characters of a repr appear (see ShortRepr), and type names are
// preferred over values, because values may be secrets.
//
// Builtins, methods and modules are not global: they come in a Library
// (built by package pylib) that the caller gives to each State with
// SetLibrary; GetAttr and CallMethod find methods there.
//
// The API by group:
//
//   - values: List, Tuple, Dict, Set, Func, Module, Complex, Kwargs, the
//     Object interface and its optional interfaces; NewList, NewDict, NewSet,
//     HashKey, Hash, BoxInt, NormInt, AsInt, AsFloat, IsInt, Index
//   - errors and budgets: Error, Errorf, ShortRepr, KeyErrorFor, Limits,
//     DefaultLimits, State (NewState, Reset, Charge, ChargeBytes,
//     CheckStringLen, CheckCollectionLen, Enter, Leave), ErrCanceled
//   - semantics: Truth, TypeName, Repr, Str, ToRepr, ToStr, ASCII,
//     FormatFloat, QuoteString, IsPrintable, IntToString, Format,
//     PercentFormat
//   - operators: Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift,
//     BitAnd, BitOr, BitXor, BinaryOp, Neg, Pos, Invert, Not, Pow64,
//     FloatDivmod, BigDivmod
//   - comparison: Equal, EqualChecked, Compare, CompareChecked, Is, Contains
//   - items: GetItem, GetSlice, SliceIndices, Len, Iterate
//   - attributes and calls: GetAttr, CallMethod, Call, CheckName, Library
//     (Builtin, Method, Module, Constant, GetAttr), State.SetLibrary,
//     ParseArgs, Missing
//   - conversions: FromGo, ToGo, MarshalJSON, EncodeJSON (json.dumps
//     options), DecodeJSON
//
// Differences from CPython, all deliberate: resource limits (LimitError);
// messages never carry more than ~80 characters of a value; our values have
// no identity beyond pointers (see Is); a set holding values whose CPython
// hash is randomized (str, None) iterates in insertion order.
package py

import (
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// List is a Python list. Methods that mutate (append, sort…) change Items in place.
type List struct {
	Items []any
}

// NewList returns a list holding items (not copied).
func NewList(items []any) *List { return &List{Items: items} }

// Tuple is a Python tuple (immutable by convention: never modify its elements).
type Tuple []any

// Kwargs carries the keyword arguments of a call, in source order. When a call
// has keyword arguments, the translator passes a *Kwargs as the last argument.
type Kwargs struct {
	Names  []string
	Values []any
}

// Get returns the keyword argument name, if given.
func (k *Kwargs) Get(name string) (any, bool) {
	if k == nil {
		return nil, false
	}
	for i, n := range k.Names {
		if n == name {
			return k.Values[i], true
		}
	}
	return nil, false
}

// Len returns the number of keyword arguments (0 for a nil *Kwargs).
func (k *Kwargs) Len() int {
	if k == nil {
		return 0
	}
	return len(k.Names)
}

// BigInt is a convenience alias documenting that ints beyond 64 bits are *big.Int.
type BigInt = *big.Int

// Object is implemented by values of types defined outside this package
// (datetime, timedelta, regex match, …). TypeName is Python's type name
// (type(x).__name__) and Repr is repr(x). Objects may also implement any of
// the optional interfaces below; the Library's methods under the same
// TypeName are found by GetAttr and CallMethod.
type Object interface {
	TypeName() string
	Repr() string
}

// AttrGetter is an Object with attributes. GetAttr returns found=false when
// the object has no attribute name (GetAttr then tries the Library's methods and
// finally reports AttributeError).
type AttrGetter interface {
	GetAttr(st *State, name string) (v any, found bool, err error)
}

// Stringer is an Object whose str() differs from its repr().
type Stringer interface {
	Str() string
}

// Hasher is a hashable Object: HashKey returns a comparable Go value; two
// objects are the same dict key when their hash keys are equal (==).
type Hasher interface {
	HashKey() (any, error)
}

// Equaler is an Object with a custom ==. It is called with the object as the
// left operand; other may be of any type.
type Equaler interface {
	Equal(other any) bool
}

// Ordered is an Object supporting < <= > >=. Cmp returns -1, 0 or 1 and
// ok=false when other is not comparable with the object (TypeError).
type Ordered interface {
	Cmp(other any) (c int, ok bool)
}

// BinaryOperator is an Object supporting arithmetic operators. op is the
// Python operator ("+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|",
// "^"); right is true when the object is the right operand (the __rop__
// case). ok=false means NotImplemented: the other operand is tried, then
// TypeError.
type BinaryOperator interface {
	BinaryOp(st *State, op string, other any, right bool) (v any, ok bool, err error)
}

// Lener is an Object with len().
type Lener interface {
	Len() int
}

// Iterable is an Object that can be iterated (for loops, list(), in).
type Iterable interface {
	Iter(st *State) ([]any, error)
}

// ItemGetter is an Object supporting obj[key].
type ItemGetter interface {
	GetItem(st *State, key any) (any, error)
}

// Slicer is an Object supporting obj[lower:upper:step] (nil means omitted).
type Slicer interface {
	GetSlice(st *State, lower, upper, step any) (any, error)
}

// Integer is an Object that is an int subclass in CPython (re.RegexFlag):
// unary operators, abs(), isinstance(x, int) and JSON use its int value.
type Integer interface {
	IntValue() int64
}

// Truther is an Object with a custom truth value (default: true).
type Truther interface {
	Truth() bool
}

// Caller is a callable Object (for example a class such as
// datetime.datetime, which also has attributes).
type Caller interface {
	Call(st *State, args []any, kw *Kwargs) (any, error)
}

// Formatter is an Object with its own format-spec handling (__format__).
type Formatter interface {
	Format(st *State, spec string) (string, error)
}

// Func is a Python callable: a builtin function, a bound method or a lambda.
// Call receives the positional arguments and the keyword arguments (nil when
// there are none).
type Func struct {
	Name string
	Call func(st *State, args []any, kw *Kwargs) (any, error)
	// Recv is the receiver of a bound method (set by GetAttr), nil for
	// plain functions; it only affects Repr.
	Recv any
	// Owner is the type of an unbound method (str.upper), "" otherwise;
	// it only affects Repr and TypeName.
	Owner string
}

// Ellipsis is the value of "...".
var Ellipsis = ellipsis{}

type ellipsis struct{}

// TypeName returns "ellipsis".
func (ellipsis) TypeName() string { return "ellipsis" }

// Repr returns "Ellipsis".
func (ellipsis) Repr() string { return "Ellipsis" }

// HashKey makes Ellipsis hashable (it is a singleton).
func (e ellipsis) HashKey() (any, error) { return e, nil }

// builtinClasses are the builtins that are classes in CPython: their value
// prints as <class 'int'> and has type 'type'.
var builtinClasses = map[string]bool{
	"int": true, "float": true, "str": true, "bool": true, "list": true, "dict": true, "tuple": true, "set": true,
	"frozenset": true, "range": true, "complex": true, "map": true, "zip": true, "filter": true, "enumerate": true, "reversed": true,
}

// isClass reports whether f is one of the builtin classes (int, str, list…).
func (f *Func) isClass() bool { return f.Recv == nil && builtinClasses[f.Name] }

// TypeName returns "builtin_function_or_method" ("type" for the builtin
// classes such as int and list).
func (f *Func) TypeName() string {
	if f.isClass() {
		return "type"
	}
	if f.Owner != "" {
		return "method_descriptor"
	}
	return "builtin_function_or_method"
}

// Repr returns "<built-in function NAME>" (<class 'NAME'> for a builtin
// class), or for a bound method
// "<built-in method NAME of TYPE object at 0x…>" as CPython (the address
// is the receiver's pointer when it has one).
func (f *Func) Repr() string {
	if f.isClass() {
		return "<class '" + f.Name + "'>"
	}
	if f.Owner != "" {
		return "<method '" + strings.TrimPrefix(f.Name, f.Owner+".") + "' of '" + f.Owner + "' objects>"
	}
	name := f.Name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if f.Recv != nil {
		return "<built-in method " + name + " of " + TypeName(f.Recv) + " object at " + addrOf(f.Recv) + ">"
	}
	if name != f.Name {
		return "<built-in method " + name + ">"
	}
	return "<built-in function " + name + ">"
}

// addrOf renders a pointer-like address for reprs.
func addrOf(v any) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return "0x" + strconv.FormatUint(uint64(rv.Pointer()), 16)
	}
	return "0x0"
}

// Module is a Python module (or a namespace such as datetime.datetime's
// container). Name is the dotted name ("urllib.parse"); Attrs its attributes.
type Module struct {
	Name  string
	Attrs map[string]any
}

// TypeName returns "module".
func (m *Module) TypeName() string { return "module" }

// Repr returns "<module 'NAME'>".
func (m *Module) Repr() string { return "<module '" + m.Name + "'>" }

// items returns the list's items; a nil *List behaves as an empty list.
func (l *List) items() []any {
	if l == nil {
		return nil
	}
	return l.Items
}
