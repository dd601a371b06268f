// Package match finds many fixed strings in text at once: for each position,
// the longest pattern that starts there. It is the multi-pattern matcher
// behind redact.
//
// # How it works
//
// Every pattern is at least MinLen (4) bytes long, so a pattern can start at
// position i only if the four bytes at i are the first four bytes of some
// pattern. The scan reads those four bytes as one integer, hashes it and
// tests one bit of a filter (a 2^18-bit set that stays in the L1 cache; for
// 1,000 secrets with their derived forms under 3% of the positions of
// unrelated text pass).
// A position that passes looks its four bytes up in an open-addressing table
// of the prefixes in use, which gives the range of the patterns (sorted
// lexicographically) that share them; the longest of those that matches is
// found by binary search in that range (see longestIn). The scan does a
// constant amount of work per byte of text, whatever the number of
// patterns: it is the Rabin–Karp idea for many patterns, with a fixed
// window of MinLen bytes.
//
// For streaming, Pending reports how many bytes at the end of a text could
// still be the start of a pattern, so that a writer holds back exactly what
// a split value needs and no more.
package match

import (
	"sort"
	"strings"
)

// MinLen is the length of the shortest pattern a Set accepts.
const MinLen = 4

// Set is an immutable set of patterns. It is safe for concurrent use.
type Set struct {
	pats   []string // sorted lexicographically, no duplicates
	ids    []int    // ids[k] is the index given to New of pats[k]
	maxLen int

	filter    *[filterBits / 64]uint64 // bit filterHash(prefix) set for every four-byte prefix in use
	keys      []uint32                 // open addressing table of four-byte prefixes
	lo, hi    []int32                  // pats[lo[s]:hi[s]] share the prefix keys[s]
	used      []bool                   // slot s holds a prefix
	tableMask uint32

	first [256]bool          // first bytes of patterns
	two   [65536 / 64]uint64 // two-byte prefixes of patterns
	three map[uint32]bool    // three-byte prefixes of patterns
}

// New builds a Set of patterns. Patterns shorter than MinLen and repeated
// patterns (all but the first) are left out. The id of a pattern, as
// returned by Longest and Next, is its index in patterns.
func New(patterns []string) *Set {
	s := &Set{three: map[uint32]bool{}}
	order := make([]int, 0, len(patterns))
	for i, p := range patterns {
		if len(p) >= MinLen {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return patterns[order[a]] < patterns[order[b]] })
	for _, i := range order {
		p := patterns[i]
		if n := len(s.pats); n > 0 && s.pats[n-1] == p {
			continue
		}
		s.pats = append(s.pats, p)
		s.ids = append(s.ids, i)
		s.maxLen = max(s.maxLen, len(p))
		s.first[p[0]] = true
		k2 := uint32(p[0])<<8 | uint32(p[1])
		s.two[k2>>6] |= 1 << (k2 & 63)
		s.three[uint32(p[0])<<16|uint32(p[1])<<8|uint32(p[2])] = true
	}
	// Distinct four-byte prefixes and their ranges (pats is sorted, so each
	// prefix's patterns are contiguous).
	type rng struct {
		key    uint32
		lo, hi int32
	}
	var ranges []rng
	for k, p := range s.pats {
		key := load4(p, 0)
		if n := len(ranges); n > 0 && ranges[n-1].key == key {
			ranges[n-1].hi = int32(k + 1)
			continue
		}
		ranges = append(ranges, rng{key, int32(k), int32(k + 1)})
	}
	s.filter = new([filterBits / 64]uint64)
	size := 16
	for size < 2*len(ranges) {
		size *= 2
	}
	s.tableMask = uint32(size - 1)
	s.keys = make([]uint32, size)
	s.lo = make([]int32, size)
	s.hi = make([]int32, size)
	s.used = make([]bool, size)
	for _, r := range ranges {
		h := filterHash(r.key)
		s.filter[h>>6] |= 1 << (h & 63)
		slot := hash(r.key) >> 8 & s.tableMask
		for s.used[slot] {
			slot = (slot + 1) & s.tableMask
		}
		s.used[slot], s.keys[slot], s.lo[slot], s.hi[slot] = true, r.key, r.lo, r.hi
	}
	return s
}

// Len returns the number of patterns in the set.
func (s *Set) Len() int { return len(s.pats) }

// MaxLen returns the length of the longest pattern (0 for an empty set).
func (s *Set) MaxLen() int { return s.maxLen }

// filterBits is the size of the filter: 32 KiB, which stays in a core's
// L1 cache. With P distinct four-byte prefixes about P/2^18 of the
// positions of unrelated text pass it (under 3% for 1,000 secrets and their
// derived forms); those cost one table lookup.
const filterBits = 1 << 18

func hash(x uint32) uint32 { return x * 0x9E3779B1 }

// filterHash is the filter bit of a four-byte prefix.
func filterHash(x uint32) uint32 { return hash(x) >> (32 - 18) }

// load4 reads four bytes of t at i as a little-endian integer.
func load4(t string, i int) uint32 {
	_ = t[i+3]
	return uint32(t[i]) | uint32(t[i+1])<<8 | uint32(t[i+2])<<16 | uint32(t[i+3])<<24
}

// lookup returns the range of patterns whose first four bytes are key.
func (s *Set) lookup(key uint32) (lo, hi int, ok bool) {
	slot := hash(key) >> 8 & s.tableMask
	for s.used[slot] {
		if s.keys[slot] == key {
			return int(s.lo[slot]), int(s.hi[slot]), true
		}
		slot = (slot + 1) & s.tableMask
	}
	return 0, 0, false
}

// Longest returns the id and length of the longest pattern that t has at
// position i, or (-1, 0).
func (s *Set) Longest(t string, i int) (id, n int) {
	if i < 0 || i+MinLen > len(t) || len(s.pats) == 0 {
		return -1, 0
	}
	k := s.longestAt(t, i, load4(t, i))
	if k < 0 {
		return -1, 0
	}
	return s.ids[k], len(s.pats[k])
}

// longestAt returns the sorted index of the longest pattern at t[i:] among
// those starting with the four bytes key, or -1.
func (s *Set) longestAt(t string, i int, key uint32) int {
	lo, hi, ok := s.lookup(key)
	if !ok {
		return -1
	}
	return s.longestIn(t[i:], lo, hi)
}

// longestIn returns the index in pats[lo:hi] (patterns sharing their first
// MinLen bytes with t) of the longest pattern that is a prefix of t, or -1.
//
// Let q be the greatest pattern ≤ t. If q is a prefix of t it is the
// longest one: a longer prefix of t would lie between q and t. Otherwise
// every pattern that is a prefix of t is a prefix of t[:lcp(q, t)] (a longer
// one would be greater than q), so the search repeats on that shorter text.
func (s *Set) longestIn(t string, lo, hi int) int {
	for {
		// q: the last pattern in [lo, hi) that is ≤ t.
		k := lo + sort.Search(hi-lo, func(j int) bool { return s.pats[lo+j] > t }) - 1
		if k < lo {
			return -1
		}
		q := s.pats[k]
		l := lcp(q, t)
		if l == len(q) {
			return k
		}
		if l < MinLen {
			return -1
		}
		t, hi = t[:l], k
	}
}

func lcp(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && a[i:i+8] == b[i:i+8] {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// Next returns the first position p with from ≤ p < limit where some
// pattern starts in t, with the id and length of the longest pattern there;
// p is -1 when there is none.
func (s *Set) Next(t string, from, limit int) (p, id, n int) {
	if len(s.pats) == 0 {
		return -1, -1, 0
	}
	if from < 0 {
		from = 0
	}
	end := min(limit, len(t)-MinLen+1)
	filter := s.filter
	i := from
	// Eight bytes at a time give the four-byte windows at i..i+4.
	for ; i+8 <= len(t) && i+5 <= end; i += 5 {
		u := t[i : i+8]
		w := uint64(u[0]) | uint64(u[1])<<8 | uint64(u[2])<<16 | uint64(u[3])<<24 |
			uint64(u[4])<<32 | uint64(u[5])<<40 | uint64(u[6])<<48 | uint64(u[7])<<56
		h0 := filterHash(uint32(w))
		h1 := filterHash(uint32(w >> 8))
		h2 := filterHash(uint32(w >> 16))
		h3 := filterHash(uint32(w >> 24))
		h4 := filterHash(uint32(w >> 32))
		if (filter[h0>>6]>>(h0&63)|filter[h1>>6]>>(h1&63)|filter[h2>>6]>>(h2&63)|
			filter[h3>>6]>>(h3&63)|filter[h4>>6]>>(h4&63))&1 == 0 {
			continue
		}
		for j := 0; j < 5; j++ {
			if k := s.longestAt(t, i+j, uint32(w>>(8*j))); k >= 0 {
				return i + j, s.ids[k], len(s.pats[k])
			}
		}
	}
	for ; i < end; i++ {
		key := load4(t, i)
		h := filterHash(key)
		if filter[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		if k := s.longestAt(t, i, key); k >= 0 {
			return i, s.ids[k], len(s.pats[k])
		}
	}
	return -1, -1, 0
}

// Pending returns the length of the longest suffix of t that is a proper
// prefix of some pattern: the bytes at the end of t that further text could
// turn into (or extend into) a longer match. Everything before them is
// settled: no pattern starting there reaches past the end of t.
func (s *Set) Pending(t string) int {
	if len(s.pats) == 0 {
		return 0
	}
	for k := min(len(t), s.maxLen-1); k > 0; k-- {
		if s.isProperPrefix(t[len(t)-k:]) {
			return k
		}
	}
	return 0
}

// isProperPrefix reports whether some pattern is longer than u and starts
// with u.
func (s *Set) isProperPrefix(u string) bool {
	switch len(u) {
	case 1:
		if !s.first[u[0]] {
			return false
		}
	case 2:
		k2 := uint32(u[0])<<8 | uint32(u[1])
		if s.two[k2>>6]&(1<<(k2&63)) == 0 {
			return false
		}
	case 3:
		if !s.three[uint32(u[0])<<16|uint32(u[1])<<8|uint32(u[2])] {
			return false
		}
	default:
		key := load4(u, 0)
		h := filterHash(key)
		if s.filter[h>>6]&(1<<(h&63)) == 0 {
			return false
		}
		lo, hi, ok := s.lookup(key)
		if !ok {
			return false
		}
		// The first pattern ≥ u starts with u if any does.
		k := lo + sort.Search(hi-lo, func(j int) bool { return s.pats[lo+j] >= u })
		for ; k < hi && strings.HasPrefix(s.pats[k], u); k++ {
			if len(s.pats[k]) > len(u) {
				return true
			}
		}
		return false
	}
	k := sort.SearchStrings(s.pats, u)
	for ; k < len(s.pats) && strings.HasPrefix(s.pats[k], u); k++ {
		if len(s.pats[k]) > len(u) {
			return true
		}
	}
	return false
}
