package match

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// naiveLongest is the oracle: the longest pattern at t[i:], by trying all.
func naiveLongest(pats []string, t string, i int) (id, n int) {
	id = -1
	for k, p := range pats {
		if len(p) >= MinLen && len(p) > n && strings.HasPrefix(t[i:], p) {
			id, n = k, len(p)
		}
	}
	// the first of equal patterns keeps its id
	for k, p := range pats {
		if n > 0 && p == pats[id] {
			id = k
			break
		}
	}
	return id, n
}

func naivePending(pats []string, t string) int {
	for k := len(t); k > 0; k-- {
		for _, p := range pats {
			if len(p) >= MinLen && len(p) > k && strings.HasPrefix(p, t[len(t)-k:]) {
				return k
			}
		}
	}
	return 0
}

func check(t *testing.T, pats []string, text string) {
	t.Helper()
	s := New(pats)
	for i := 0; i <= len(text); i++ {
		wid, wn := naiveLongest(pats, text, i)
		id, n := s.Longest(text, i)
		if id != wid || n != wn {
			t.Fatalf("Longest(%q, %d) = %d,%d; want %d,%d (patterns %q)", text, i, id, n, wid, wn, pats)
		}
	}
	// Next visits exactly the positions that have a match.
	from := 0
	for {
		p, id, n := s.Next(text, from, len(text))
		want := -1
		for i := from; i < len(text); i++ {
			if wid, _ := naiveLongest(pats, text, i); wid >= 0 {
				want = i
				break
			}
		}
		if p != want {
			t.Fatalf("Next(%q, %d) = %d; want %d (patterns %q)", text, from, p, want, pats)
		}
		if p < 0 {
			break
		}
		if wid, wn := naiveLongest(pats, text, p); id != wid || n != wn {
			t.Fatalf("Next(%q, %d) found %d,%d at %d; want %d,%d", text, from, id, n, p, wid, wn)
		}
		from = p + 1
	}
	for k := 0; k <= len(text); k++ {
		if got, want := s.Pending(text[:k]), naivePending(pats, text[:k]); got != want {
			t.Fatalf("Pending(%q) = %d; want %d (patterns %q)", text[:k], got, want, pats)
		}
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name string
		pats []string
		text string
	}{
		{"none", nil, "hello world"},
		{"one", []string{"tok-123456"}, "x tok-123456 y tok-12345"},
		{"nested prefixes", []string{"abcd", "abcdef", "abcdefgh", "abcdxyz"}, "abcdefg abcdefgh abcdxy abcdxyz abcd"},
		{"short ignored", []string{"abc", "ab", "abcd"}, "abc abcd ab"},
		{"duplicates", []string{"same", "same", "samee"}, "same samee"},
		{"overlapping", []string{"abcdef", "defghijk", "cdefgh"}, "<abcdefghijk>"},
		{"binary", []string{"\x00\x01\x02\x03", "\xff\xfe\xfd\xfc\xfb"}, "\x00\x01\x02\x03\xff\xfe\xfd\xfc\xfb\x00"},
		{"pending tail", []string{"secret-value", "sec-2"}, "the secret-val"},
		{"repeats", []string{"aaaa", "aaaaaaa"}, "aaaaaaaaaaaaaaaaaaaa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.pats, tt.text) })
	}
}

// TestRandom checks many random sets over a small alphabet, where
// patterns share prefixes and texts hit them often.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc"[rng.IntN(3)]
		}
		return string(b)
	}
	for range 300 {
		var pats []string
		for range rng.IntN(12) {
			pats = append(pats, word(2+rng.IntN(9)))
		}
		check(t, pats, word(rng.IntN(60)))
	}
}

// TestMany exercises the filter and table with thousands of patterns.
func TestMany(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alpha = "abcdefghijklmnopqrstuvwxyz0123456789-_"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	var pats []string
	for range 3000 {
		p := "sk-" + word(4+rng.IntN(30))
		pats = append(pats, p)
		if rng.IntN(4) == 0 { // a pattern that extends another
			pats = append(pats, p+word(1+rng.IntN(5)))
		}
	}
	s := New(pats)
	var text strings.Builder
	for range 600 {
		text.WriteString(word(rng.IntN(20)))
		text.WriteByte(' ')
		p := pats[rng.IntN(len(pats))]
		text.WriteString(p[:rng.IntN(len(p)+1)])
	}
	tx := text.String()
	for i := 0; i <= len(tx); i++ {
		wid, wn := naiveLongest(pats, tx, i)
		if id, n := s.Longest(tx, i); id != wid || n != wn {
			t.Fatalf("Longest at %d = %d,%d; want %d,%d", i, id, n, wid, wn)
		}
	}
}

func FuzzSet(f *testing.F) {
	f.Add("abcd|abcdef|bcde", "xxabcdefgh")
	f.Add("aaaa|aaaaa", "aaaaaaaa")
	f.Fuzz(func(t *testing.T, pats, text string) {
		if len(pats) > 200 || len(text) > 200 {
			return
		}
		check(t, strings.Split(pats, "|"), text)
	})
}
