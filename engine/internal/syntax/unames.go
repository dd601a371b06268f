package syntax

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/runenames"
)

var (
	runeNamesOnce sync.Once
	runeNames     map[string]rune
)

// LookupRuneName resolves the name of a \N{...} escape (case-insensitive, as
// CPython). The reverse table is built on first use only.
func LookupRuneName(name string) (rune, bool) {
	name = strings.ToUpper(strings.TrimSpace(name))
	if name == "" {
		return 0, false
	}
	// Algorithmic names, not worth a table entry each.
	for _, prefix := range [...]string{"CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-", "TANGUT IDEOGRAPH-"} {
		if hex, ok := strings.CutPrefix(name, prefix); ok {
			v, err := strconv.ParseUint(hex, 16, 32)
			if err != nil || len(hex) < 4 || len(hex) > 5 {
				return 0, false
			}
			r := rune(v)
			if prefix == "TANGUT IDEOGRAPH-" && unicode.Is(unicode.Tangut, r) ||
				prefix != "TANGUT IDEOGRAPH-" && unicode.Is(unicode.Ideographic, r) && unicode.Is(unicode.Han, r) {
				return r, true
			}
			return 0, false
		}
	}
	runeNamesOnce.Do(buildRuneNames)
	r, ok := runeNames[name]
	return r, ok
}

func buildRuneNames() {
	runeNames = make(map[string]rune, 40000)
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			n := runenames.Name(r)
			if n == "" || n[0] == '<' || strings.HasPrefix(n, "CJK UNIFIED IDEOGRAPH-") ||
				strings.HasPrefix(n, "CJK COMPATIBILITY IDEOGRAPH-") || strings.HasPrefix(n, "TANGUT IDEOGRAPH-") {
				continue
			}
			runeNames[n] = r
		}
	}
	// Hangul syllables (U+AC00..U+D7A3) are included through runenames.
	add(0, 0x3FFFF)
	add(0xE0000, 0xE01EF)
	// Common aliases accepted by CPython.
	for alias, r := range map[string]rune{
		"LINE FEED": '\n', "LF": '\n', "NEW LINE": '\n', "CARRIAGE RETURN": '\r', "CR": '\r',
		"CHARACTER TABULATION": '\t', "TAB": '\t', "NULL": 0, "NUL": 0, "SPACE": ' ', "SP": ' ',
		"NBSP": 0xA0, "ZWSP": 0x200B, "ZWJ": 0x200D, "ZWNJ": 0x200C, "BOM": 0xFEFF, "ESCAPE": 0x1B, "ESC": 0x1B,
		"FORM FEED": '\f', "FF": '\f', "LINE TABULATION": '\v', "VT": '\v', "BACKSPACE": '\b', "BS": '\b',
		"BEL": 7, "ALERT": 7, "DELETE": 0x7F, "DEL": 0x7F,
	} {
		if _, ok := runeNames[alias]; !ok {
			runeNames[alias] = r
		}
	}
}
