// Package py is the Python-semantics runtime of the expression engine: the
// value model, operators, truthiness, comparison, hashing, repr/str and
// format-spec formatting, with CPython's results.
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
//	set       *Set (insertion ordered)
//	callables *Func (a named builtin, method or lambda value)
//	others    *Module, *Datetime, ... as defined by the library packages
//
// FromGo converts ordinary Go values (map[string]any, []any, int, json.Number…)
// into this model; ToGo and MarshalJSON convert back.
package py

import "math/big"

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

// BigInt is a convenience alias documenting that ints beyond 64 bits are *big.Int.
type BigInt = *big.Int
