package pylib

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// Python re flag values (same numbers as CPython's re module).
const (
	reFlagASCII      = 256
	reFlagIgnoreCase = 2
	reFlagLocale     = 4
	reFlagMultiline  = 8
	reFlagDotAll     = 16
	reFlagUnicode    = 32
	reFlagVerbose    = 64
)

// RegexError is a Python re.error: a pattern that does not compile, or a
// Python feature that RE2 cannot run (lookarounds, backreferences…).
type RegexError struct {
	Msg string // Python-style message, e.g. "bad escape \q at position 0"
}

// Error returns the message.
func (e *RegexError) Error() string { return e.Msg }

func reErrf(pos int, format string, args ...any) *RegexError {
	msg := fmt.Sprintf(format, args...)
	if pos >= 0 {
		msg += " at position " + strconv.Itoa(pos)
	}
	return &RegexError{Msg: msg}
}

// maxTranslatedLen bounds the RE2 text of one translated pattern (negated
// Unicode classes inside sets expand to long range lists).
const maxTranslatedLen = 256 << 10

// translated is the outcome of translating a Python pattern to RE2 syntax.
type translated struct {
	expr string // RE2 syntax, global flags included
	// exprNL is expr with Python's non-MULTILINE "$" (end, or before a
	// final newline) written as RE2's multiline "$": equivalent when the
	// subject has no newline except possibly its last character. Empty
	// when the pattern has no such "$".
	exprNL string
	groups int      // number of capturing groups
	names  []string // group names by group number (index 0 unused, "" unnamed)
	flags  int      // the argument's flags with the global inline ones (Pattern.flags)
	// exprEmpty is expr for an empty subject, where \B never matches
	// (empty when the pattern has no \B).
	exprEmpty string
}

// Unicode classes with Python 3's meaning for str patterns.
const (
	uniDigit = `\p{Nd}`
	uniWord  = `\p{L}\p{N}_`
	uniSpace = `\t-\r\x{1c}-\x{1f} \x{85}\p{Z}`
	ascDigit = `0-9`
	ascWord  = `0-9A-Za-z_`
	ascSpace = `\t-\r `
)

var (
	complementOnce sync.Once
	notUniWord     string
	notUniSpace    string
	notAscSpace    = `\x00-\x08\x0e-\x1f!-\x{10FFFF}`
)

// complementRanges renders the code points outside in as class items.
func complementRanges(in func(rune) bool) string {
	var b strings.Builder
	start := rune(-1)
	flush := func(end rune) {
		if start < 0 {
			return
		}
		if start == end {
			fmt.Fprintf(&b, `\x{%x}`, start)
		} else {
			fmt.Fprintf(&b, `\x{%x}-\x{%x}`, start, end)
		}
		start = -1
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !in(r) {
			if start < 0 {
				start = r
			}
		} else {
			flush(r - 1)
		}
	}
	flush(unicode.MaxRune)
	return b.String()
}

func initComplements() {
	complementOnce.Do(func() {
		notUniWord = complementRanges(func(r rune) bool {
			return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
		})
		notUniSpace = complementRanges(isPySpace)
	})
}

// isPySpace reports whether r is whitespace for Python's str.isspace and \s.
func isPySpace(r rune) bool {
	switch {
	case r >= '\t' && r <= '\r', r >= 0x1c && r <= 0x1f, r == ' ', r == 0x85:
		return true
	}
	return r > 0x7f && unicode.In(r, unicode.Z)
}

// dollarMarker stands for a non-MULTILINE "$" until the translation ends.
const dollarMarker = "\x00$\x00"

// nonBoundaryMarker stands for \B until the translation ends.
const nonBoundaryMarker = "\x00B\x00"

// neverMatch is an RE2 class that matches nothing.
const neverMatch = `[^\x00-\x{10FFFF}]`

type reTranslator struct {
	src       []rune
	i         int
	out       strings.Builder
	verbose   bool
	ascii     bool
	multiline bool
	groups    int
	names     []string
	stack     []reScope
	flags     int // global flags (argument and inline)
	icase     bool
}

type reScope struct {
	verbose, ascii, multiline, icase bool
	pos                              int // where the group opened
}

// translateRegex converts a Python (3.12) regular expression into Go RE2
// syntax with the same meaning, or reports why it cannot.
func translateRegex(pattern string, flags int) (translated, error) {
	t := &reTranslator{src: []rune(pattern), names: []string{""}}
	if flags&reFlagLocale != 0 {
		return translated{}, py.Errorf(py.ValueError, "cannot use LOCALE flag with a str pattern")
	}
	// Global inline flags at the start: (?aimsx)... In verbose mode
	// (argument or an earlier (?x)) whitespace and comments before them
	// do not count.
	for {
		if flags&reFlagVerbose != 0 {
			t.skipVerbose()
		}
		if !(t.i+2 < len(t.src) && t.src[t.i] == '(' && t.src[t.i+1] == '?' && strings.ContainsRune("aiLmsux", t.src[t.i+2])) {
			break
		}
		j := t.i + 2
		var f int
		for j < len(t.src) && strings.ContainsRune("aiLmsux", t.src[j]) {
			f |= inlineFlag(t.src[j])
			j++
		}
		if j >= len(t.src) || t.src[j] != ')' {
			break // scoped flags (?i:...) are handled by the main loop
		}
		if f&reFlagLocale != 0 {
			return translated{}, reErrf(t.i, "bad inline flags: cannot use 'L' flag with a str pattern")
		}
		if f&reFlagASCII != 0 && f&reFlagUnicode != 0 {
			return translated{}, reErrf(j, "bad inline flags: flags 'a', 'u' and 'L' are incompatible")
		}
		flags |= f
		t.i = j + 1
	}
	if flags&reFlagASCII != 0 && flags&reFlagUnicode != 0 {
		// CPython checks the argument and the global inline flags together.
		return translated{}, py.Errorf(py.ValueError, "ASCII and UNICODE flags are incompatible")
	}
	if flags&reFlagASCII == 0 {
		flags |= reFlagUnicode // what Pattern.flags shows for a str pattern
	}
	t.flags = flags
	t.verbose = flags&reFlagVerbose != 0
	t.ascii = flags&reFlagASCII != 0
	t.icase = flags&reFlagIgnoreCase != 0
	t.multiline = flags&reFlagMultiline != 0
	var goFlags string
	if flags&reFlagIgnoreCase != 0 {
		goFlags += "i"
	}
	if flags&reFlagMultiline != 0 {
		goFlags += "m"
	}
	if flags&reFlagDotAll != 0 {
		goFlags += "s"
	}
	if goFlags != "" {
		t.out.WriteString("(?" + goFlags + ")")
	}
	if err := t.run(); err != nil {
		return translated{}, err
	}
	if t.out.Len() > maxTranslatedLen {
		return translated{}, reErrf(-1, "pattern too large for RE2 after translation (%d bytes, limit %d)", t.out.Len(), maxTranslatedLen)
	}
	out := t.out.String()
	var exprEmpty string
	if strings.Contains(out, nonBoundaryMarker) {
		// CPython's \B never matches in an empty subject; RE2's does.
		exprEmpty = strings.ReplaceAll(strings.ReplaceAll(out, nonBoundaryMarker, neverMatch), dollarMarker, `$`)
		out = strings.ReplaceAll(out, nonBoundaryMarker, `\B`)
	}
	tr := translated{exprEmpty: exprEmpty, expr: strings.ReplaceAll(out, dollarMarker, `$`), groups: t.groups, names: t.names, flags: t.flags}
	if strings.Contains(out, dollarMarker) {
		tr.exprNL = strings.ReplaceAll(out, dollarMarker, `(?m:$)`)
	}
	return tr, nil
}

func inlineFlag(r rune) int {
	switch r {
	case 'a':
		return reFlagASCII
	case 'i':
		return reFlagIgnoreCase
	case 'L':
		return reFlagLocale
	case 'm':
		return reFlagMultiline
	case 's':
		return reFlagDotAll
	case 'u':
		return reFlagUnicode
	case 'x':
		return reFlagVerbose
	}
	return 0
}

// skipVerbose skips whitespace and comments (verbose mode) at t.i.
func (t *reTranslator) skipVerbose() {
	for t.i < len(t.src) {
		switch c := t.src[t.i]; {
		case c == '#':
			for t.i < len(t.src) && t.src[t.i] != '\n' {
				t.i++
			}
		case isPySpace(c):
			t.i++
		default:
			return
		}
	}
}

func (t *reTranslator) peek(off int) rune {
	if t.i+off < len(t.src) {
		return t.src[t.i+off]
	}
	return -1
}

// lastWasAtom tracks whether a quantifier has something to repeat.
func (t *reTranslator) run() error {
	canRepeat := false // an atom precedes
	repeated := false  // the previous token was a quantifier
	for t.i < len(t.src) {
		c := t.src[t.i]
		pos := t.i
		if t.verbose && (c == '#' || isPySpace(c)) {
			t.skipVerbose()
			continue
		}
		switch c {
		case '\\':
			s, err := t.escape(false)
			if err != nil {
				return err
			}
			t.out.WriteString(s)
			// Assertions (\b \B \A \Z) leave nothing to repeat.
			canRepeat, repeated = s != `\b` && s != nonBoundaryMarker && s != `\A` && s != `\z`, false
		case '[':
			s, err := t.class()
			if err != nil {
				return err
			}
			t.out.WriteString(s)
			canRepeat, repeated = true, false
		case '(':
			if err := t.group(); err != nil {
				return err
			}
			canRepeat, repeated = false, false
		case ')':
			if len(t.stack) == 0 {
				return reErrf(pos, "unbalanced parenthesis")
			}
			sc := t.stack[len(t.stack)-1]
			t.stack = t.stack[:len(t.stack)-1]
			t.verbose, t.ascii, t.multiline, t.icase = sc.verbose, sc.ascii, sc.multiline, sc.icase
			t.out.WriteByte(')')
			t.i++
			canRepeat, repeated = true, false
		case '*', '+', '?', '{':
			if c == '{' {
				q, n, ok := t.braces()
				if !ok {
					t.out.WriteString(`\{`)
					t.i++
					canRepeat, repeated = true, false
					continue
				}
				if repeated {
					return reErrf(pos, "multiple repeat")
				}
				if !canRepeat {
					return reErrf(pos, "nothing to repeat")
				}
				t.out.WriteString(q)
				t.i += n
			} else {
				if repeated {
					return reErrf(pos, "multiple repeat")
				}
				if !canRepeat {
					return reErrf(pos, "nothing to repeat")
				}
				t.out.WriteRune(c)
				t.i++
			}
			if t.peek(0) == '?' {
				t.out.WriteByte('?')
				t.i++
			} else if t.peek(0) == '+' {
				return reErrf(t.i, "possessive quantifiers are not supported by RE2")
			}
			repeated = true
		case '|':
			t.out.WriteByte('|')
			t.i++
			canRepeat, repeated = false, false
		case '$':
			if t.multiline {
				t.out.WriteRune(c)
			} else {
				t.out.WriteString(dollarMarker)
			}
			t.i++
			canRepeat, repeated = false, false
		case '^':
			t.out.WriteRune(c)
			t.i++
			canRepeat, repeated = false, false
		case '.':
			t.out.WriteByte('.')
			t.i++
			canRepeat, repeated = true, false
		default:
			t.out.WriteString(t.literal(c))
			t.i++
			canRepeat, repeated = true, false
		}
	}
	if len(t.stack) > 0 {
		return reErrf(t.stack[len(t.stack)-1].pos, "missing ), unterminated subpattern")
	}
	return nil
}

// braces parses a {m,n} quantifier at t.i; ok is false when Python would
// read the brace as a literal.
func (t *reTranslator) braces() (string, int, bool) {
	j := t.i + 1
	lo := ""
	for j < len(t.src) && t.src[j] >= '0' && t.src[j] <= '9' {
		lo += string(t.src[j])
		j++
	}
	hi, comma := "", false
	if j < len(t.src) && t.src[j] == ',' {
		comma = true
		j++
		for j < len(t.src) && t.src[j] >= '0' && t.src[j] <= '9' {
			hi += string(t.src[j])
			j++
		}
	}
	if j >= len(t.src) || t.src[j] != '}' {
		return "", 0, false
	}
	if lo == "" && !comma {
		return "", 0, false
	}
	if lo == "" {
		lo = "0"
	}
	q := "{" + lo
	if comma {
		q += "," + hi
	}
	q += "}"
	return q, j + 1 - t.i, true
}

func quoteLit(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x{%x}`, r)
	case r < 0x80 && strings.ContainsRune(`\.+*?()|[]{}^$`, r):
		return `\` + string(r)
	}
	return string(r)
}

func classLit(r rune) string { return fmt.Sprintf(`\x{%x}`, r) }

func (t *reTranslator) group() error {
	start := t.i
	t.i++ // (
	t.stack = append(t.stack, reScope{t.verbose, t.ascii, t.multiline, t.icase, start})
	if t.peek(0) != '?' {
		t.groups++
		t.names = append(t.names, "")
		t.out.WriteByte('(')
		return nil
	}
	t.i++ // ?
	c := t.peek(0)
	switch {
	case c == ':':
		t.i++
		t.out.WriteString("(?:")
		return nil
	case c == 'P' && t.peek(1) == '<':
		t.i += 2
		name, err := t.groupName('>')
		if err != nil {
			return err
		}
		for _, n := range t.names {
			if n == name {
				return reErrf(start+4, "redefinition of group name %s as group %d; was group %d", strconv.Quote(name), t.groups+1, indexOf(t.names, name))
			}
		}
		t.groups++
		t.names = append(t.names, name)
		if isASCII(name) {
			t.out.WriteString("(?P<" + name + ">")
		} else {
			// RE2 takes only ASCII names; the names live in t.names, so
			// an unnamed group with the same number does.
			t.out.WriteByte('(')
		}
		return nil
	case c == 'P' && t.peek(1) == '=':
		return reErrf(start, "backreferences (?P=name) are not supported by RE2")
	case c == 'P':
		return reErrf(start+2, "unknown extension ?P%c", t.peek(1))
	case c == '=' || c == '!':
		return reErrf(start, "lookahead is not supported by RE2")
	case c == '<' && (t.peek(1) == '=' || t.peek(1) == '!'):
		return reErrf(start, "lookbehind is not supported by RE2")
	case c == '<':
		return reErrf(start+1, "unknown extension ?<%c", t.peek(1))
	case c == '#':
		for t.i < len(t.src) && t.src[t.i] != ')' {
			t.i++
		}
		if t.i >= len(t.src) {
			return reErrf(start, "missing ), unterminated comment")
		}
		t.i++
		t.stack = t.stack[:len(t.stack)-1]
		return nil
	case c == '>':
		return reErrf(start, "atomic groups are not supported by RE2")
	case c == '(':
		return reErrf(start, "conditional groups are not supported by RE2")
	case c == '-' || strings.ContainsRune("aiLmsux", c):
		on, off := "", ""
		neg := false
		for t.i < len(t.src) {
			r := t.src[t.i]
			if r == '-' && !neg {
				neg = true
				t.i++
				continue
			}
			if !strings.ContainsRune("aiLmsux", r) {
				break
			}
			if neg {
				off += string(r)
			} else {
				on += string(r)
			}
			t.i++
		}
		if t.peek(0) == ')' {
			return reErrf(start, "global flags not at the start of the expression")
		}
		if t.peek(0) != ':' {
			return reErrf(t.i, "missing -, : or )")
		}
		t.i++
		if strings.ContainsRune(on+off, 'L') {
			return reErrf(start, "bad inline flags: cannot use 'L' flag with a str pattern")
		}
		if strings.ContainsRune(on, 'x') {
			t.verbose = true
		}
		if strings.ContainsRune(off, 'x') {
			t.verbose = false
		}
		if strings.ContainsRune(on, 'a') {
			t.ascii = true
		}
		if strings.ContainsRune(on, 'm') {
			t.multiline = true
		}
		if strings.ContainsRune(on, 'i') {
			t.icase = true
		}
		if strings.ContainsRune(off, 'i') {
			t.icase = false
		}
		if strings.ContainsRune(off, 'm') {
			t.multiline = false
		}
		if strings.ContainsRune(on, 'u') {
			t.ascii = false
		}
		keep := func(s string) string {
			var b strings.Builder
			for _, r := range s {
				if r == 'i' || r == 'm' || r == 's' {
					b.WriteRune(r)
				}
			}
			return b.String()
		}
		gon, goff := keep(on), keep(off)
		t.out.WriteString("(?")
		t.out.WriteString(gon)
		if goff != "" {
			t.out.WriteString("-" + goff)
		}
		t.out.WriteByte(':')
		return nil
	}
	if c < 0 {
		return reErrf(start+1, "unexpected end of pattern")
	}
	return reErrf(start+1, "unknown extension ?%c", c)
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

func (t *reTranslator) groupName(end rune) (string, error) {
	start := t.i
	for t.i < len(t.src) && t.src[t.i] != end {
		t.i++
	}
	if t.i >= len(t.src) {
		return "", reErrf(start, "missing %c, unterminated name", end)
	}
	name := string(t.src[start:t.i])
	t.i++
	if name == "" {
		return "", reErrf(start, "missing group name")
	}
	if !isIdentifier(name) {
		return "", reErrf(start, "bad character in group name %s", pyQuote(name))
	}
	return name, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isIdentifier is Python's str.isidentifier (approximated with Go's Unicode tables).
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r) {
			continue
		}
		if i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Other_ID_Continue, r)) {
			continue
		}
		return false
	}
	return true
}

// shorthand returns the RE2 rendering of \d \D \s \S \w \W, inside a class
// (items only) or outside (a full class).
func (t *reTranslator) shorthand(c rune, inClass bool) string {
	var pos, neg string
	switch c {
	case 'd', 'D':
		if t.ascii {
			pos, neg = ascDigit, `\x00-/:-\x{10FFFF}`
		} else {
			pos, neg = uniDigit, `\P{Nd}`
		}
	case 'w', 'W':
		if t.ascii {
			pos, neg = ascWord, `\x00-/:-@\[-\^\x{60}\{-\x{10FFFF}`
		} else {
			initComplements()
			pos, neg = uniWord, notUniWord
		}
	case 's', 'S':
		if t.ascii {
			pos, neg = ascSpace, notAscSpace
		} else {
			initComplements()
			pos, neg = uniSpace, notUniSpace
		}
	}
	if unicode.IsUpper(c) {
		if inClass {
			return neg
		}
		return "[^" + pos + "]"
	}
	if inClass {
		return pos
	}
	return "[" + pos + "]"
}

// escape translates the escape at t.i (a backslash). In a class it returns
// class items; a literal comes back as (string, true) via classLit.
func (t *reTranslator) escape(inClass bool) (string, error) {
	s, _, err := t.escapeRune(inClass)
	return s, err
}

// escapeRune returns the translation and, for a single character, the
// character itself (or -1).
func (t *reTranslator) escapeRune(inClass bool) (string, rune, error) {
	start := t.i
	t.i++
	if t.i >= len(t.src) {
		return "", -1, reErrf(start, "bad escape (end of pattern)")
	}
	c := t.src[t.i]
	t.i++
	lit := func(r rune) (string, rune, error) {
		if inClass {
			return classLit(r), r, nil
		}
		return t.literal(r), r, nil
	}
	switch c {
	case 'd', 'D', 's', 'S', 'w', 'W':
		return t.shorthand(c, inClass), -1, nil
	case 'A', 'Z', 'b', 'B':
		if inClass {
			if c == 'b' {
				return lit('\b')
			}
			return "", -1, reErrf(start, "bad escape \\%c", c)
		}
		switch c {
		case 'A':
			return `\A`, -1, nil
		case 'Z':
			return `\z`, -1, nil
		case 'b':
			return `\b`, -1, nil
		}
		return nonBoundaryMarker, -1, nil
	case 'a':
		return lit('\a')
	case 'f':
		return lit('\f')
	case 'n':
		return lit('\n')
	case 'r':
		return lit('\r')
	case 't':
		return lit('\t')
	case 'v':
		return lit('\v')
	case 'x', 'u', 'U':
		n := map[rune]int{'x': 2, 'u': 4, 'U': 8}[c]
		j := t.i
		for j < len(t.src) && j-t.i < n && isHex(t.src[j]) {
			j++
		}
		if j-t.i < n {
			return "", -1, reErrf(start, "incomplete escape \\%c%s", c, string(t.src[t.i:j]))
		}
		v, _ := strconv.ParseUint(string(t.src[t.i:j]), 16, 32)
		if v > unicode.MaxRune {
			return "", -1, reErrf(start, "bad escape \\%c%s", c, string(t.src[t.i:j]))
		}
		t.i = j
		return lit(rune(v))
	case 'N':
		// A named character, \N{BULLET} (syntax's table, as string literals).
		if t.peek(0) != '{' {
			return "", -1, reErrf(t.i, "missing {")
		}
		end := t.i + 1
		for end < len(t.src) && t.src[end] != '}' {
			end++
		}
		if end >= len(t.src) {
			return "", -1, reErrf(t.i+1, "missing }, unterminated name")
		}
		name := string(t.src[t.i+1 : end])
		if name == "" {
			return "", -1, reErrf(t.i+1, "missing character name")
		}
		r, ok := syntax.LookupRuneName(name)
		if !ok {
			return "", -1, reErrf(start, "undefined character name %s", pyQuote(name))
		}
		t.i = end + 1
		return lit(r)
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// Octal escape, or a backreference.
		if c == '0' || inClass {
			if c > '7' {
				if inClass {
					return "", -1, reErrf(start, "bad escape \\%c", c)
				}
			} else {
				v := int(c - '0')
				for k := 0; k < 2 && t.i < len(t.src) && t.src[t.i] >= '0' && t.src[t.i] <= '7'; k++ {
					v = v*8 + int(t.src[t.i]-'0')
					t.i++
				}
				if v > 0o377 {
					return "", -1, reErrf(start, "octal escape value \\%o outside of range 0-0o377", v)
				}
				return lit(rune(v))
			}
		}
		if c <= '7' && t.i+1 < len(t.src) && isOct(t.src[t.i]) && isOct(t.src[t.i+1]) {
			v := int(c-'0')*64 + int(t.src[t.i]-'0')*8 + int(t.src[t.i+1]-'0')
			if v > 0o377 {
				return "", -1, reErrf(start, "octal escape value \\%o outside of range 0-0o377", v)
			}
			t.i += 2
			return lit(rune(v))
		}
		return "", -1, reErrf(start, "backreferences are not supported by RE2")
	}
	if c < 0x80 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
		return "", -1, reErrf(start, "bad escape \\%c", c)
	}
	return lit(c)
}

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

func isOct(r rune) bool { return r >= '0' && r <= '7' }

// class translates a character set starting at t.i ('[').
func (t *reTranslator) class() (string, error) {
	start := t.i
	t.i++
	negate := false
	if t.peek(0) == '^' {
		negate = true
		t.i++
	}
	var items strings.Builder
	var ranges []runeRange // for CPython's extra IGNORECASE equivalences
	first := true
	for {
		if t.i >= len(t.src) {
			return "", reErrf(start, "unterminated character set")
		}
		c := t.src[t.i]
		if c == ']' && !first {
			t.i++
			break
		}
		first = false
		itemPos := t.i
		var lo rune
		var s string
		if c == '\\' {
			var err error
			s, lo, err = t.escapeRune(true)
			if err != nil {
				return "", err
			}
		} else {
			lo = c
			s = classLit(c)
			t.i++
		}
		// A range?
		if t.peek(0) == '-' && t.peek(1) != ']' && t.peek(1) >= 0 {
			t.i++
			var hi rune
			if t.src[t.i] == '\\' {
				var err error
				_, hi, err = t.escapeRune(true)
				if err != nil {
					return "", err
				}
			} else {
				hi = t.src[t.i]
				t.i++
			}
			if lo < 0 || hi < 0 {
				return "", reErrf(itemPos, "bad character range %s", string(t.src[itemPos:t.i]))
			}
			if hi < lo {
				return "", reErrf(itemPos, "bad character range %s", string(t.src[itemPos:t.i]))
			}
			s = classLit(lo) + "-" + classLit(hi)
			ranges = append(ranges, runeRange{lo, hi})
		} else if lo >= 0 {
			ranges = append(ranges, runeRange{lo, lo})
		}
		items.WriteString(s)
	}
	if t.icase && !t.ascii {
		for _, r := range icaseExtrasIn(ranges) {
			items.WriteString(classLit(r))
		}
	}
	body := items.String()
	if negate {
		return "[^" + body + "]", nil
	}
	return "[" + body + "]", nil
}

// pyQuote renders s like Python's repr of a str.
func pyQuote(s string) string { return py.QuoteString(s) }

// literal renders character c outside a class: under IGNORECASE (Unicode),
// with the characters CPython also takes as equal that RE2's simple case
// folding does not (i and ı and İ, ﬅ and ﬆ...).
func (t *reTranslator) literal(c rune) string {
	if t.icase && !t.ascii {
		if ex := icaseExtras()[c]; len(ex) > 0 {
			var b strings.Builder
			b.WriteString("[" + classLit(c))
			for _, r := range ex {
				b.WriteString(classLit(r))
			}
			return b.String() + "]"
		}
	}
	return quoteLit(c)
}

// icaseExtrasIn returns the extra IGNORECASE equivalents of the characters
// in ranges.
func icaseExtrasIn(ranges []runeRange) []rune {
	var out []rune
	for c, ex := range icaseExtras() {
		for _, r := range ranges {
			if c >= r.lo && c <= r.hi {
				out = append(out, ex...)
				break
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// cpythonIcaseFixes are the equivalences CPython's re adds to lowercase
// mapping under IGNORECASE (re._casefix).
var cpythonIcaseFixes = [][]rune{
	{0x69, 0x131}, {0x73, 0x17f}, {0xb5, 0x3bc}, {0x345, 0x3b9, 0x1fbe}, {0x390, 0x1fd3}, {0x3b0, 0x1fe3},
	{0x3b2, 0x3d0}, {0x3b5, 0x3f5}, {0x3b8, 0x3d1}, {0x3ba, 0x3f0}, {0x3c0, 0x3d6}, {0x3c1, 0x3f1},
	{0x3c2, 0x3c3}, {0x3c6, 0x3d5}, {0x1e61, 0x1e9b}, {0xfb05, 0xfb06},
}

var icaseExtras = sync.OnceValue(func() map[rune][]rune {
	// CPython: x and y match each other when lower(x) and lower(y) are equal
	// or related by the fixes. RE2 already matches the simple case folding
	// orbit; keep what lies outside it.
	byLower := map[rune][]rune{}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l != r {
			byLower[l] = append(byLower[l], r)
		}
	}
	fixes := map[rune][]rune{}
	for _, f := range cpythonIcaseFixes {
		for _, a := range f {
			fixes[a] = f
		}
	}
	class := func(x rune) []rune {
		l := unicode.ToLower(x)
		lows := []rune{l}
		if f, ok := fixes[l]; ok {
			lows = f
		}
		var out []rune
		for _, lo := range lows {
			out = append(out, lo)
			out = append(out, byLower[lo]...)
		}
		return out
	}
	extras := map[rune][]rune{}
	consider := func(x rune) {
		if _, done := extras[x]; done {
			return
		}
		var ex []rune
		for _, y := range class(x) {
			if y == x {
				continue
			}
			inOrbit := false
			for f := unicode.SimpleFold(x); f != x; f = unicode.SimpleFold(f) {
				if f == y {
					inOrbit = true
					break
				}
			}
			if !inOrbit {
				ex = append(ex, y)
			}
		}
		extras[x] = ex
	}
	for l, rs := range byLower {
		consider(l)
		for _, r := range rs {
			consider(r)
		}
	}
	for _, f := range cpythonIcaseFixes {
		for _, a := range f {
			consider(a)
			for _, r := range byLower[a] {
				consider(r)
			}
		}
	}
	for x, ex := range extras {
		if len(ex) == 0 {
			delete(extras, x)
		}
	}
	return extras
})
