package pylib

import (
	"strings"
	"unicode"
)

// Character classes of CPython's str methods (tables in unitables.go).

func isDecimalR(r rune) bool { return unicode.Is(unicode.Nd, r) }
func isDigitR(r rune) bool   { return isDecimalR(r) || inTable(digitExtra, r) }
func isNumericR(r rune) bool { return isDigitR(r) || inTable(numericExtra, r) }
func isAlphaR(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return inTable(alphaTable, r)
}
func isAlnumR(r rune) bool { return isAlphaR(r) || isNumericR(r) }
func isUpperR(r rune) bool {
	if r < 0x80 {
		return r >= 'A' && r <= 'Z'
	}
	return inTable(upperTable, r)
}
func isLowerR(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z'
	}
	return inTable(lowerTable, r)
}
func isTitleR(r rune) bool { return r >= 0x80 && inTable(titleTable, r) }
func isCasedR(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return inTable(casedTable, r)
}
func isCaseIgnorableR(r rune) bool { return inTable(caseIgnorableTable, r) }
func isPrintableR(r rune) bool {
	if r < 0x80 {
		return r >= 0x20 && r < 0x7f
	}
	return inTable(printableTable, r)
}

func appendUpper(b *strings.Builder, r rune) {
	if r < 0x80 {
		if r >= 'a' && r <= 'z' {
			r -= 32
		}
		b.WriteRune(r)
		return
	}
	if m, ok := upperMulti[r]; ok {
		b.WriteString(m)
	} else if m, ok := upperSingle[r]; ok {
		b.WriteRune(m)
	} else {
		b.WriteRune(r)
	}
}

func appendTitle(b *strings.Builder, r rune) {
	if r < 0x80 {
		appendUpper(b, r)
		return
	}
	if m, ok := titleMulti[r]; ok {
		b.WriteString(m)
	} else if m, ok := titleSingle[r]; ok {
		b.WriteRune(m)
	} else {
		b.WriteRune(r)
	}
}

// appendLower lowers rs[i], applying the final-sigma rule.
func appendLower(b *strings.Builder, rs []rune, i int) {
	r := rs[i]
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			r += 32
		}
		b.WriteRune(r)
		return
	}
	if r == 0x3a3 {
		if finalSigma(rs, i) {
			b.WriteRune(0x3c2)
		} else {
			b.WriteRune(0x3c3)
		}
		return
	}
	if m, ok := lowerMulti[r]; ok {
		b.WriteString(m)
	} else if m, ok := lowerSingle[r]; ok {
		b.WriteRune(m)
	} else {
		b.WriteRune(r)
	}
}

// finalSigma is CPython's rule: a capital sigma preceded by a cased letter
// and not followed by one (case-ignorable characters skipped) lowers to ς.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && isCaseIgnorableR(rs[j]) {
		j--
	}
	if j < 0 || !isCasedR(rs[j]) {
		return false
	}
	k := i + 1
	for k < len(rs) && isCaseIgnorableR(rs[k]) {
		k++
	}
	return k == len(rs) || !isCasedR(rs[k])
}

func pyUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		appendUpper(&b, r)
	}
	return b.String()
}

func pyLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := range rs {
		appendLower(&b, rs, i)
	}
	return b.String()
}

func pyCasefold(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r < 0x80 {
			appendLower(&b, rs, i)
		} else if m, ok := foldMulti[r]; ok {
			b.WriteString(m)
		} else if m, ok := foldSingle[r]; ok {
			b.WriteRune(m)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func pyTitle(s string) string {
	rs := []rune(s)
	var b strings.Builder
	prevCased := false
	for i, r := range rs {
		if prevCased {
			appendLower(&b, rs, i)
		} else {
			appendTitle(&b, r)
		}
		prevCased = isCasedR(r)
	}
	return b.String()
}

func pyCapitalize(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if i == 0 {
			appendTitle(&b, r)
		} else {
			appendLower(&b, rs, i)
		}
	}
	return b.String()
}

func pySwapcase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case isUpperR(r):
			appendLower(&b, rs, i)
		case isLowerR(r):
			appendUpper(&b, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
