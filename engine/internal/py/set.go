package py

import (
	"math"
	"math/big"
)

// Set is a Python set, elements hashed like dict keys. The zero value is an
// empty set. Not safe for concurrent mutation.
//
// Iteration order (Elems, Iterate, Repr, JSON) follows CPython where
// CPython's order is deterministic: when every element has a hash that does
// not depend on the process (ints, bools, floats other than NaN, and tuples
// of these), the order is that of CPython's hash table after inserting the
// elements one by one in insertion order (so {3, 1, 2} iterates 1, 2, 3).
// This reproduces sets built by literals, set(), add and comprehensions;
// after removals or set operations CPython's table may differ in rare
// collision cases. Sets holding strings, None or other values, whose
// CPython order varies between runs, iterate in insertion order.
type Set struct {
	d        Dict
	ord      []int32 // entry indices in iteration order (valid when ordValid)
	ordValid bool
}

// NewSet returns an empty set with room for n elements.
func NewSet(n int) *Set {
	s := &Set{}
	if n > 0 {
		s.d.entries = make([]dictEntry, 0, n)
	}
	return s
}

// Len returns the number of elements.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.d.Len()
}

// Add adds v (TypeError when v is unhashable).
func (s *Set) Add(v any) error {
	n := s.d.Len()
	if err := s.d.Set(v, nil); err != nil {
		return err
	}
	if s.d.Len() != n {
		s.ordValid = false
	}
	return nil
}

func (s *Set) addHK(key, hk any) {
	n := s.d.Len()
	s.d.set(key, hk, nil)
	if s.d.Len() != n {
		s.ordValid = false
	}
}

// Has reports whether v is an element.
func (s *Set) Has(v any) (bool, error) {
	if s == nil {
		_, err := HashKey(v)
		return false, err
	}
	_, ok, err := s.d.Get(v)
	return ok, err
}

// Remove removes v and reports whether it was present.
func (s *Set) Remove(v any) (bool, error) {
	ok, err := s.d.Delete(v)
	if ok {
		s.ordValid = false
	}
	return ok, err
}

// Clear removes every element.
func (s *Set) Clear() {
	s.d.Clear()
	s.ordValid = false
}

// Elems returns the elements in iteration order (a new slice).
func (s *Set) Elems() []any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s.d.entries))
	for i, k := range s.order() {
		out[i] = s.d.entries[k].key
	}
	return out
}

// Copy returns a shallow copy.
func (s *Set) Copy() *Set {
	c := &Set{}
	if s != nil {
		c.d = *s.d.Copy()
	}
	return c
}

func (s *Set) hasHK(hk any) bool { return s.d.find(hk) >= 0 }

// order returns the entry indices in iteration order.
func (s *Set) order() []int32 {
	if s.ordValid && len(s.ord) == len(s.d.entries) {
		return s.ord
	}
	n := len(s.d.entries)
	s.ord = s.ord[:0]
	hashes := make([]uint64, n)
	deterministic := true
	for i := range s.d.entries {
		h, ok := cpythonHash(s.d.entries[i].key, 0)
		if !ok {
			deterministic = false
			break
		}
		hashes[i] = h
	}
	if !deterministic || n < 2 {
		for i := range n {
			s.ord = append(s.ord, int32(i))
		}
	} else {
		s.ord = simulateSetTable(hashes, s.ord)
	}
	s.ordValid = true
	return s.ord
}

// CPython set table constants (Objects/setobject.c).
const (
	setMinSize     = 8
	linearProbes   = 9
	perturbShift   = 5
	hashModulusBit = 61
	hashModulus    = (1 << hashModulusBit) - 1
	hashInf        = 314159
)

// simulateSetTable inserts hashes in order into a CPython set table
// (set_add_entry with resizing by set_table_resize/set_insert_clean) and
// appends the entry indices in table order to out.
func simulateSetTable(hashes []uint64, out []int32) []int32 {
	mask := uint64(setMinSize - 1)
	table := make([]int32, setMinSize) // entry index + 1; 0 is empty
	fill := 0
	insertClean := func(table []int32, mask uint64, idx int32) {
		h := hashes[idx]
		perturb := h
		i := h & mask
		for {
			if table[i] == 0 {
				table[i] = idx + 1
				return
			}
			if i+linearProbes <= mask {
				for j := uint64(1); j <= linearProbes; j++ {
					if table[i+j] == 0 {
						table[i+j] = idx + 1
						return
					}
				}
			}
			perturb >>= perturbShift
			i = (i*5 + 1 + perturb) & mask
		}
	}
	for idx := range hashes {
		insertClean(table, mask, int32(idx))
		fill++
		if uint64(fill)*5 < mask*3 {
			continue
		}
		minused := fill * 4
		if fill > 50000 {
			minused = fill * 2
		}
		newsize := uint64(setMinSize)
		for newsize <= uint64(minused) {
			newsize <<= 1
		}
		newTable := make([]int32, newsize)
		newMask := newsize - 1
		for _, e := range table {
			if e != 0 {
				insertClean(newTable, newMask, e-1)
			}
		}
		table, mask = newTable, newMask
	}
	for _, e := range table {
		if e != 0 {
			out = append(out, e-1)
		}
	}
	return out
}

// cpythonHash returns CPython's hash() of v as an unsigned word, and false
// when CPython's hash of v is not deterministic (str, None, NaN, objects).
func cpythonHash(v any, depth int) (uint64, bool) {
	switch x := v.(type) {
	case int64:
		return hashInt64(x), true
	case bool:
		return uint64(b2i(x)), true
	case *big.Int:
		return hashBig(x), true
	case float64:
		return hashFloat(x)
	case Tuple:
		if depth > 50 {
			return 0, false
		}
		const (
			p1 = 11400714785074694791
			p2 = 14029467366897019727
			p5 = 2870177450012600261
		)
		acc := uint64(p5)
		for _, e := range x {
			lane, ok := cpythonHash(e, depth+1)
			if !ok {
				return 0, false
			}
			acc += lane * p2
			acc = acc<<31 | acc>>33
			acc *= p1
		}
		acc += uint64(len(x)) ^ (p5 ^ 3527539)
		if acc == math.MaxUint64 {
			return 1546275796, true
		}
		return acc, true
	}
	return 0, false
}

func fixHash(h int64) uint64 {
	if h == -1 {
		h = -2
	}
	return uint64(h)
}

func hashInt64(x int64) uint64 {
	if x >= 0 {
		return fixHash(x % hashModulus)
	}
	u := uint64(-(x + 1)) + 1 // |x| without overflow
	return fixHash(-int64(u % hashModulus))
}

var bigModulus = big.NewInt(hashModulus)

func hashBig(x *big.Int) uint64 {
	if x.IsInt64() {
		return hashInt64(x.Int64())
	}
	m := new(big.Int).Abs(x)
	m.Mod(m, bigModulus)
	h := m.Int64()
	if x.Sign() < 0 {
		h = -h
	}
	return fixHash(h)
}

// hashFloat is CPython's _Py_HashDouble for non-NaN values.
func hashFloat(v float64) (uint64, bool) {
	switch {
	case math.IsNaN(v):
		return 0, false
	case math.IsInf(v, 1):
		return hashInf, true
	case math.IsInf(v, -1):
		return fixHash(-hashInf), true
	}
	m, e := math.Frexp(v)
	sign := int64(1)
	if m < 0 {
		sign = -1
		m = -m
	}
	var x uint64
	for m != 0 {
		x = ((x << 28) & hashModulus) | x>>(hashModulusBit-28)
		m *= 268435456.0
		e -= 28
		y := uint64(m)
		m -= float64(y)
		x += y
		if x >= hashModulus {
			x -= hashModulus
		}
	}
	if e >= 0 {
		e = e % hashModulusBit
	} else {
		e = hashModulusBit - 1 - ((-1 - e) % hashModulusBit)
	}
	x = ((x << uint(e)) & hashModulus) | x>>(hashModulusBit-uint(e))
	h := int64(x) * sign
	return fixHash(h), true
}

// Hash implements hash(v): CPython's value for ints, bools, floats,
// complexes and tuples of these; for str (randomized per process in
// CPython) and None a stable 64-bit FNV-1a hash; identity-like for other
// hashable values. TypeError "unhashable type: 'list'" otherwise.
func Hash(v any) (int64, error) {
	if _, err := HashKey(v); err != nil {
		return 0, err
	}
	return hashAny(v, 0), nil
}

func hashAny(v any, depth int) int64 {
	if h, ok := cpythonHash(v, 0); ok {
		return int64(h)
	}
	switch x := v.(type) {
	case string:
		return int64(fixHash(int64(fnv64(x))))
	case nil:
		return int64(fixHash(int64(fnv64("None"))))
	case Complex:
		// CPython: hash(real) + 1000003 * hash(imag)
		hr, _ := hashFloat(real(x))
		hi, _ := hashFloat(imag(x))
		return int64(fixHash(int64(hr + 1000003*hi)))
	case Tuple:
		if depth > 50 {
			return 0
		}
		const (
			p1 = 11400714785074694791
			p2 = 14029467366897019727
			p5 = 2870177450012600261
		)
		acc := uint64(p5)
		for _, e := range x {
			acc += uint64(hashAny(e, depth+1)) * p2
			acc = acc<<31 | acc>>33
			acc *= p1
		}
		acc += uint64(len(x)) ^ (p5 ^ 3527539)
		if acc == math.MaxUint64 {
			return 1546275796
		}
		return int64(acc)
	}
	k, _ := HashKey(v)
	return int64(fixHash(int64(fnv64(Repr(k)))))
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
