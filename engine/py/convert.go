package py

// FromGo converts a Go value to the value model: map[string]any becomes a
// *Dict with sorted keys, []any a *List, Go integer types and json.Number
// ints, float32 a float64; canonical values are returned as is (cheaply).
// Unsupported types give a TypeError.
func FromGo(v any) (any, error) { return nil, errNotImpl("FromGo") }

// ToGo converts a value to plain Go: *Dict becomes map[string]any (non-str
// keys rendered with Str), *List and Tuple []any, *Set []any, ints stay
// int64 or *big.Int, Objects their Str.
func ToGo(v any) any { return nil }

// MarshalJSON encodes v as JSON like Python's json.dumps(v, separators=
// (",", ":")): dict order kept, ints as integers and floats with Python's
// repr (1.0 stays 1.0), NaN/Infinity/-Infinity, tuples and sets as arrays,
// non-str keys converted as json.dumps does (int/float/bool/None keys).
func MarshalJSON(v any) ([]byte, error) { return nil, errNotImpl("MarshalJSON") }

// DecodeJSON decodes one JSON document into the value model keeping object
// key order; 1 is an int, 1.0 and 1e2 floats, huge ints *big.Int; NaN,
// Infinity and -Infinity are accepted as Python's json.loads does.
func DecodeJSON(data []byte) (any, error) { return nil, errNotImpl("DecodeJSON") }

// MarshalJSON implements json.Marshaler.
func (d *Dict) MarshalJSON() ([]byte, error) { return MarshalJSON(d) }

// MarshalJSON implements json.Marshaler.
func (l *List) MarshalJSON() ([]byte, error) { return MarshalJSON(l) }
