package py

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// Hash keys: HashKey maps every hashable value to a comparable Go value such
// that two values are the same dict key in Python exactly when their hash
// keys are ==. Strings map to themselves, ints, bools and integral floats
// within int64 to int64, other floats to float64, big ints and integral
// floats beyond int64 to bigKey (their decimal text), None to noneKey and
// tuples to tupleKey (an injective encoding of their elements' keys).
type (
	noneKey  struct{}
	bigKey   string
	tupleKey string
)

// HashKey returns the comparable key used for v in dicts and sets, or
// TypeError "unhashable type: 'list'".
func HashKey(v any) (any, error) {
	switch x := v.(type) {
	case string, int64:
		return v, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		return floatKey(x), nil
	case nil:
		return noneKey{}, nil
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), nil
		}
		return bigKey(x.String()), nil
	case Tuple:
		var b strings.Builder
		if err := encodeTupleKey(&b, x, 0); err != nil {
			return nil, err
		}
		return tupleKey(b.String()), nil
	case Hasher:
		return x.HashKey()
	case *Func:
		return x, nil // identity
	case *Module:
		return x, nil // identity
	}
	return nil, newErr(TypeError, "unhashable type: '"+TypeName(v)+"'")
}

func floatKey(f float64) any {
	if f == math.Trunc(f) && !math.IsInf(f, 0) {
		if f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
			return int64(f)
		}
		bf := new(big.Float).SetFloat64(f)
		bi, _ := bf.Int(nil)
		return bigKey(bi.String())
	}
	return f
}

func encodeTupleKey(b *strings.Builder, t Tuple, depth int) error {
	if depth > defaultLimits.MaxDepth {
		return newErr(LimitError, "maximum nesting depth exceeded in hash")
	}
	b.WriteByte('(')
	for _, e := range t {
		var k any
		var err error
		if tt, ok := e.(Tuple); ok {
			if err := encodeTupleKey(b, tt, depth+1); err != nil {
				return err
			}
			continue
		}
		k, err = HashKey(e)
		if err != nil {
			return err
		}
		switch kk := k.(type) {
		case string:
			b.WriteByte('s')
			b.WriteString(strconv.Itoa(len(kk)))
			b.WriteByte(':')
			b.WriteString(kk)
		case int64:
			b.WriteByte('i')
			b.WriteString(strconv.FormatInt(kk, 10))
			b.WriteByte(';')
		case float64:
			b.WriteByte('f')
			b.WriteString(strconv.FormatUint(math.Float64bits(kk), 16))
			b.WriteByte(';')
		case noneKey:
			b.WriteByte('n')
		case bigKey:
			b.WriteByte('b')
			b.WriteString(string(kk))
			b.WriteByte(';')
		case tupleKey:
			b.WriteByte('t')
			b.WriteString(strconv.Itoa(len(kk)))
			b.WriteByte(':')
			b.WriteString(string(kk))
		default:
			// Objects: their hash key's Go representation.
			t := objectKeyText(kk)
			b.WriteByte('o')
			b.WriteString(strconv.Itoa(len(t)))
			b.WriteByte(':')
			b.WriteString(t)
		}
	}
	b.WriteByte(')')
	return nil
}

// objectKeyText encodes the hash key of an Object inside a tuple key:
// pointers by address (identity), other comparable values by their Go
// syntax representation (type and fields).
func objectKeyText(k any) string {
	if reflect.ValueOf(k).Kind() == reflect.Pointer {
		return fmt.Sprintf("%T@%p", k, k)
	}
	return fmt.Sprintf("%T:%#v", k, k)
}

// dictEntry is one key/value of a Dict or element of a Set.
type dictEntry struct {
	key any // the original key
	hk  any // HashKey(key)
	val any
}

// smallDict is the size up to which lookups scan the entries instead of
// using an index map.
const smallDict = 8

// Dict is a Python dict: insertion ordered, keys any hashable value with
// Python's key equality (1, 1.0 and True are the same key). The zero value is
// an empty dict. Not safe for concurrent mutation.
type Dict struct {
	entries []dictEntry
	index   map[any]int // hash key -> position, built past smallDict entries
}

// NewDict returns an empty dict with room for n entries.
func NewDict(n int) *Dict {
	d := &Dict{}
	if n > 0 {
		d.entries = make([]dictEntry, 0, n)
	}
	return d
}

// Len returns the number of entries.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.entries)
}

func (d *Dict) find(hk any) int {
	if d == nil {
		return -1
	}
	if d.index != nil {
		if i, ok := d.index[hk]; ok {
			return i
		}
		return -1
	}
	for i := range d.entries {
		if d.entries[i].hk == hk {
			return i
		}
	}
	return -1
}

func (d *Dict) findStr(s string) int {
	if d == nil {
		return -1
	}
	if d.index != nil {
		if i, ok := d.index[s]; ok {
			return i
		}
		return -1
	}
	for i := range d.entries {
		if ks, ok := d.entries[i].key.(string); ok && ks == s {
			return i
		}
	}
	return -1
}

// Get returns the value for key, whether it is present, and TypeError for an
// unhashable key.
func (d *Dict) Get(key any) (any, bool, error) {
	if s, ok := key.(string); ok {
		v, found := d.GetStr(s)
		return v, found, nil
	}
	hk, err := HashKey(key)
	if err != nil {
		return nil, false, err
	}
	if d == nil {
		return nil, false, nil
	}
	if i := d.find(hk); i >= 0 {
		return d.entries[i].val, true, nil
	}
	return nil, false, nil
}

// GetStr returns the value for the string key s (fast path).
func (d *Dict) GetStr(s string) (any, bool) {
	if d == nil {
		return nil, false
	}
	if i := d.findStr(s); i >= 0 {
		return d.entries[i].val, true
	}
	return nil, false
}

// Set sets key to v (a new key goes last; an existing key keeps its place
// and its original key object, as in Python).
func (d *Dict) Set(key, v any) error {
	if s, ok := key.(string); ok {
		d.SetStr(s, v)
		return nil
	}
	hk, err := HashKey(key)
	if err != nil {
		return err
	}
	d.set(key, hk, v)
	return nil
}

func (d *Dict) set(key, hk, v any) {
	if i := d.find(hk); i >= 0 {
		d.entries[i].val = v
		return
	}
	d.entries = append(d.entries, dictEntry{key: key, hk: hk, val: v})
	d.indexLast()
}

func (d *Dict) indexLast() {
	n := len(d.entries)
	if d.index != nil {
		d.index[d.entries[n-1].hk] = n - 1
	} else if n > smallDict {
		d.reindex()
	}
}

func (d *Dict) reindex() {
	if len(d.entries) <= smallDict {
		d.index = nil
		return
	}
	d.index = make(map[any]int, len(d.entries))
	for i := range d.entries {
		d.index[d.entries[i].hk] = i
	}
}

// SetStr sets the string key s to v (fast path).
func (d *Dict) SetStr(s string, v any) {
	if i := d.findStr(s); i >= 0 {
		d.entries[i].val = v
		return
	}
	d.entries = append(d.entries, dictEntry{key: s, hk: s, val: v})
	d.indexLast()
}

// Delete removes key and returns whether it was present.
func (d *Dict) Delete(key any) (bool, error) {
	hk, err := HashKey(key)
	if err != nil {
		return false, err
	}
	i := d.find(hk)
	if i < 0 {
		return false, nil
	}
	copy(d.entries[i:], d.entries[i+1:])
	d.entries[len(d.entries)-1] = dictEntry{}
	d.entries = d.entries[:len(d.entries)-1]
	d.reindex()
	return true, nil
}

// Keys returns the keys in insertion order (a new slice).
func (d *Dict) Keys() []any {
	out := make([]any, d.Len())
	for i := range out {
		out[i] = d.entries[i].key
	}
	return out
}

// Values returns the values in insertion order (a new slice).
func (d *Dict) Values() []any {
	out := make([]any, d.Len())
	for i := range out {
		out[i] = d.entries[i].val
	}
	return out
}

// Items returns (key, value) tuples in insertion order.
func (d *Dict) Items() []Tuple {
	out := make([]Tuple, d.Len())
	for i := range out {
		out[i] = Tuple{d.entries[i].key, d.entries[i].val}
	}
	return out
}

// Range calls f for each entry in order until f returns false. f must not
// modify d.
func (d *Dict) Range(f func(k, v any) bool) {
	if d == nil {
		return
	}
	for i := range d.entries {
		if !f(d.entries[i].key, d.entries[i].val) {
			return
		}
	}
}

// KeyAt and ValueAt return the i-th entry (0 <= i < Len()).
func (d *Dict) KeyAt(i int) any { return d.entries[i].key }

// ValueAt returns the value of the i-th entry (0 <= i < Len()).
func (d *Dict) ValueAt(i int) any { return d.entries[i].val }

// Copy returns a shallow copy.
func (d *Dict) Copy() *Dict {
	c := &Dict{entries: make([]dictEntry, d.Len())}
	if d != nil {
		copy(c.entries, d.entries)
	}
	c.reindex()
	return c
}

// WithValues returns a copy of d (a template of keys) whose i-th value is
// vals[i]; len(vals) must be d.Len(). Dicts of up to 4 entries take one
// allocation. It builds dict displays with constant keys.
func (d *Dict) WithValues(vals []any) *Dict {
	n := d.Len()
	var c *Dict
	switch {
	case n == 0:
		return &Dict{}
	case n == 1:
		b := &struct {
			d Dict
			e [1]dictEntry
		}{}
		c = &b.d
		c.entries = b.e[:]
	case n == 2:
		b := &struct {
			d Dict
			e [2]dictEntry
		}{}
		c = &b.d
		c.entries = b.e[:]
	case n <= 4:
		b := &struct {
			d Dict
			e [4]dictEntry
		}{}
		c = &b.d
		c.entries = b.e[:n]
	default:
		c = &Dict{entries: make([]dictEntry, n)}
	}
	copy(c.entries, d.entries)
	for i := range c.entries {
		c.entries[i].val = vals[i]
	}
	if n > smallDict {
		c.reindex()
	}
	return c
}

// DictBatch builds up to n copies of a template dict (see Dict.Batch) from
// two allocations in all.
type DictBatch struct {
	tpl     *Dict
	dicts   []Dict
	entries []dictEntry
}

// Batch returns a DictBatch for up to n dicts with d's keys (n*d.Len()
// entries). The dicts share the batch's memory: one that stays reachable
// keeps the batch alive. It builds the dict displays of a comprehension.
func (d *Dict) Batch(n int) *DictBatch {
	k := d.Len()
	if k > smallDict || n <= 0 {
		return &DictBatch{tpl: d}
	}
	return &DictBatch{tpl: d, dicts: make([]Dict, 0, n), entries: make([]dictEntry, 0, n*k)}
}

// Next returns a copy of the template whose i-th value is vals[i], like
// WithValues, from the batch's memory while it lasts.
func (b *DictBatch) Next(vals []any) *Dict {
	k := len(b.tpl.entries)
	if len(b.dicts) == cap(b.dicts) || len(b.entries)+k > cap(b.entries) {
		return b.tpl.WithValues(vals)
	}
	start := len(b.entries)
	b.entries = append(b.entries, b.tpl.entries...)
	ents := b.entries[start : start+k : start+k] // a dict that grows reallocates, never overwrites the next one
	for i := range ents {
		ents[i].val = vals[i]
	}
	b.dicts = append(b.dicts, Dict{entries: ents})
	return &b.dicts[len(b.dicts)-1]
}

// Clear removes every entry.
func (d *Dict) Clear() {
	d.entries = d.entries[:0]
	d.index = nil
}

// Update sets every entry of other into d (dict.update / d | other).
func (d *Dict) Update(other *Dict) {
	for i := range other.Len() {
		e := other.entries[i]
		d.set(e.key, e.hk, e.val)
	}
}

// ents returns the entries; a nil *Dict has none.
func (d *Dict) ents() []dictEntry {
	if d == nil {
		return nil
	}
	return d.entries
}

// ents returns the elements' entries; a nil *Set has none.
func (s *Set) ents() []dictEntry {
	if s == nil {
		return nil
	}
	return s.d.entries
}
