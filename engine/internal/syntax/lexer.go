package syntax

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF     tokKind = iota
	tError           // a lexical error; token.err holds it (sticky: every later token is the same)
	tNewline         // end of a logical line outside brackets
	tName            // identifier or keyword; text is the identifier
	tNumber          // numeric literal; text is its source
	tString          // plain (non-f) string literal; text is the decoded value
	tFStart          // start of an f-string (prefix and opening quote)
	tFMiddle         // literal text of an f-string or of a format spec; text is the decoded value
	tFEnd            // closing quote of an f-string
	tOp              // operator or delimiter; text is its source
)

var tokKindNames = [...]string{
	tEOF: "end of input", tError: "error", tNewline: "newline", tName: "name", tNumber: "number",
	tString: "string", tFStart: "f-string start", tFMiddle: "f-string text", tFEnd: "f-string end", tOp: "operator",
}

func (k tokKind) String() string { return tokKindNames[k] }

// token is one lexical token. Tokens are values: producing one allocates only
// when a string literal needs its escapes decoded.
type token struct {
	kind tokKind
	// field is set on the '{' and '}' tokens that open and close an f-string
	// replacement field, and on the ':' token that starts its format spec.
	field    bool
	pos, end int
	text     string
	err      *Error
}

// bracket is an open bracket waiting for its closing partner.
type bracket struct {
	ch    byte // '(', '[' or '{'
	pos   int
	field bool // the '{' of an f-string replacement field
}

// fmode is one level of the f-string mode stack. An f-string level lexes
// literal text; a field level lexes ordinary tokens (or, once its ':' has
// been seen, format-spec text) until its closing '}'.
type fmode struct {
	field  bool
	spec   bool // field level only: lexing the format spec
	quote  byte // quote character of the (owning) f-string
	triple bool
	raw    bool
	start  int // f-string level: offset of its prefix; field level: offset of '{'
	depth  int // field level: len(brackets) once its '{' is pushed
	// body marks the f-string level of ParseFStringBody: it has no quotes
	// and ends at the end of the source.
	body bool
}

// lexer turns source text into tokens on demand. It is independent of the
// parser (as CPython's tokenizer): the f-string modes are tracked here.
type lexer struct {
	src      string
	pos      int
	brackets []bracket
	modes    []fmode
	maxDepth int
	err      *Error
	buf      []byte // scratch for decoding escapes
	// Backing arrays for the stacks, enough for ordinary expressions.
	bracketBuf [8]bracket
	modeBuf    [4]fmode
}

func (l *lexer) errorf(off int, format string, args ...any) token {
	if l.err == nil {
		l.err = newError(KindSyntax, l.src, off, fmt.Sprintf(format, args...))
	}
	return token{kind: tError, pos: l.err.Offset, end: l.err.Offset, err: l.err}
}

func (l *lexer) limitf(off int, format string, args ...any) token {
	if l.err == nil {
		l.err = newError(KindLimit, l.src, off, fmt.Sprintf(format, args...))
	}
	return token{kind: tError, pos: l.err.Offset, end: l.err.Offset, err: l.err}
}

// next returns the next token.
func (l *lexer) next() token {
	if l.err != nil {
		return token{kind: tError, pos: l.err.Offset, end: l.err.Offset, err: l.err}
	}
	if n := len(l.modes); n > 0 {
		top := &l.modes[n-1]
		if !top.field || top.spec {
			return l.lexFString(top)
		}
	}
	return l.lexNormal()
}

func (l *lexer) inField() *fmode {
	if n := len(l.modes); n > 0 && l.modes[n-1].field {
		return &l.modes[n-1]
	}
	return nil
}

// lineAt returns the 1-based line number of offset off.
func (l *lexer) lineAt(off int) int {
	return 1 + strings.Count(l.src[:min(off, len(l.src))], "\n")
}

func (l *lexer) lexNormal() token {
	src := l.src
	// Skip whitespace, comments, continuations and (inside brackets) newlines.
	for l.pos < len(src) {
		c := src[l.pos]
		switch c {
		case ' ', '\t', '\f':
			l.pos++
			continue
		case '#':
			for l.pos < len(src) && src[l.pos] != '\n' && src[l.pos] != '\r' {
				l.pos++
			}
			continue
		case '\\':
			if p := l.pos + 1; p < len(src) && (src[p] == '\n' || src[p] == '\r') {
				l.pos = skipNewline(src, p)
				continue
			}
			if l.pos+1 >= len(src) {
				return l.errorf(l.pos, "unexpected EOF while parsing")
			}
			return l.errorf(l.pos+1, "unexpected character after line continuation character")
		case '\n', '\r':
			if len(l.brackets) > 0 {
				l.pos = skipNewline(src, l.pos)
				continue
			}
			// A logical line ends: report one newline for a run of blank
			// lines, comments and whitespace.
			start := l.pos
			for l.pos < len(src) {
				switch src[l.pos] {
				case ' ', '\t', '\f', '\n', '\r':
					l.pos++
					continue
				case '#':
					for l.pos < len(src) && src[l.pos] != '\n' && src[l.pos] != '\r' {
						l.pos++
					}
					continue
				}
				break
			}
			return token{kind: tNewline, pos: start, end: start + 1}
		}
		break
	}
	if l.pos >= len(src) {
		if f := l.inField(); f != nil {
			return l.errorf(len(src), "f-string: expecting '}'")
		}
		if n := len(l.brackets); n > 0 {
			b := l.brackets[n-1]
			return l.errorf(b.pos, "'%c' was never closed", b.ch)
		}
		return token{kind: tEOF, pos: len(src), end: len(src)}
	}
	start := l.pos
	c := src[start]
	switch {
	case c < utf8.RuneSelf && isIdentStartASCII(c), c >= utf8.RuneSelf:
		end := start
		if c < utf8.RuneSelf {
			end++
			for end < len(src) && isIdentASCII(src[end]) {
				end++
			}
		}
		if end < len(src) && src[end] >= utf8.RuneSelf || c >= utf8.RuneSelf {
			// Non-ASCII identifier characters.
			for end < len(src) {
				b := src[end]
				if b < utf8.RuneSelf {
					if !isIdentASCII(b) {
						break
					}
					end++
					continue
				}
				r, size := utf8.DecodeRuneInString(src[end:])
				if !isIdentRune(r, end == start) {
					break
				}
				end += size
			}
			if end == start {
				r, _ := utf8.DecodeRuneInString(src[start:])
				if r == utf8.RuneError {
					return l.errorf(start, "invalid UTF-8 in source")
				}
				if !unicode.IsPrint(r) {
					return l.errorf(start, "invalid non-printable character U+%04X", r)
				}
				return l.errorf(start, "invalid character '%c' (U+%04X)", r, r)
			}
		}
		if end < len(src) && (src[end] == '"' || src[end] == '\'') && end-start <= 2 {
			if tok, ok := l.lexPrefixedString(start, end); ok {
				return tok
			}
		}
		l.pos = end
		text := src[start:end]
		if c >= utf8.RuneSelf || !isASCII(text) {
			// Python compares identifiers after NFKC normalization.
			text = norm.NFKC.String(text)
		}
		return token{kind: tName, pos: start, end: end, text: text}
	case c >= '0' && c <= '9', c == '.' && start+1 < len(src) && src[start+1] >= '0' && src[start+1] <= '9':
		return l.lexNumber()
	case c == '"' || c == '\'':
		return l.lexString(start, start, false)
	}
	return l.lexOp()
}

// skipNewline returns the offset after the newline ("\n", "\r\n" or "\r") at p.
func skipNewline(src string, p int) int {
	if src[p] == '\r' && p+1 < len(src) && src[p+1] == '\n' {
		return p + 2
	}
	return p + 1
}

func isIdentStartASCII(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentASCII(c byte) bool {
	return isIdentStartASCII(c) || c >= '0' && c <= '9'
}

// isIdentRune approximates Python's XID_Start / XID_Continue.
func isIdentRune(r rune, first bool) bool {
	if r < utf8.RuneSelf {
		if first {
			return isIdentStartASCII(byte(r))
		}
		return isIdentASCII(byte(r))
	}
	if unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r) {
		return true
	}
	if first {
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || unicode.Is(unicode.Other_ID_Continue, r)
}

// lexPrefixedString handles a string literal with a prefix src[start:end].
func (l *lexer) lexPrefixedString(start, end int) (token, bool) {
	var raw, fstr, bytesLit, uni bool
	for i := start; i < end; i++ {
		switch l.src[i] {
		case 'r', 'R':
			if raw {
				return token{}, false
			}
			raw = true
		case 'f', 'F':
			if fstr {
				return token{}, false
			}
			fstr = true
		case 'b', 'B':
			if bytesLit {
				return token{}, false
			}
			bytesLit = true
		case 'u', 'U':
			if uni {
				return token{}, false
			}
			uni = true
		default:
			return token{}, false
		}
	}
	if uni && (raw || fstr || bytesLit) || fstr && bytesLit {
		return token{}, false
	}
	if bytesLit {
		return l.errorf(start, "bytes literals are not supported"), true
	}
	if fstr {
		return l.startFString(start, end, raw), true
	}
	return l.lexString(start, end, raw), true
}

// startFString opens an f-string whose prefix starts at start and whose
// quote is at q.
func (l *lexer) startFString(start, q int, raw bool) token {
	quote := l.src[q]
	triple := strings.HasPrefix(l.src[q:], strings.Repeat(string(quote), 3))
	end := q + 1
	if triple {
		end = q + 3
	}
	if len(l.modes) >= 2*l.maxDepth {
		return l.limitf(start, "f-strings are nested too deeply (more than %d levels)", l.maxDepth)
	}
	l.modes = append(l.modes, fmode{quote: quote, triple: triple, raw: raw, start: start})
	l.pos = end
	return token{kind: tFStart, pos: start, end: end}
}

// lexString lexes a plain string literal whose prefix starts at start and
// whose opening quote is at q.
func (l *lexer) lexString(start, q int, raw bool) token {
	src := l.src
	quote := src[q]
	triple := q+2 < len(src) && src[q+1] == quote && src[q+2] == quote
	i := q + 1
	if triple {
		i = q + 3
	}
	bodyStart := i
	l.buf = l.buf[:0]
	decoded := false // l.buf holds the value so far (else it is src[bodyStart:i])
	for {
		if i >= len(src) {
			if f := l.inField(); f != nil && f.quote == quote {
				return l.errorf(q, "f-string: expecting '}'")
			}
			if triple {
				return l.errorf(start, "unterminated triple-quoted string literal (detected at line %d)", l.lineAt(len(src)))
			}
			return l.errorf(start, "unterminated string literal (detected at line %d)", l.lineAt(len(src)))
		}
		c := src[i]
		if c == quote {
			if !triple {
				break
			}
			if i+2 < len(src) && src[i+1] == quote && src[i+2] == quote {
				break
			}
		}
		if (c == '\n' || c == '\r') && !triple {
			if f := l.inField(); f != nil && !f.triple && f.quote == quote {
				return l.errorf(q, "f-string: expecting '}'")
			}
			return l.errorf(start, "unterminated string literal (detected at line %d)", l.lineAt(i))
		}
		if c != '\\' {
			if decoded {
				l.buf = append(l.buf, c)
			}
			i++
			continue
		}
		// Backslash.
		if !decoded {
			l.buf = append(l.buf, src[bodyStart:i]...)
			decoded = true
		}
		if raw {
			// The backslash stays, and the next character cannot end the string.
			l.buf = append(l.buf, '\\')
			i++
			if i < len(src) {
				i = l.appendChar(i)
			}
			continue
		}
		var tok token
		var ok bool
		i, ok, tok = l.decodeEscape(i, bodyStart, start)
		if !ok {
			return tok
		}
	}
	end := i + 1
	if triple {
		end = i + 3
	}
	l.pos = end
	text := src[bodyStart:i]
	if decoded {
		text = string(l.buf)
	}
	return token{kind: tString, pos: start, end: end, text: text}
}

// decodeEscape decodes the escape sequence at src[i] == '\\' into l.buf and
// returns the offset after it. bodyStart is the offset of the literal's body
// (positions in escape errors are relative to it, as CPython's) and start the
// offset of the literal (where the error is reported).
func (l *lexer) decodeEscape(i, bodyStart, start int) (int, bool, token) {
	src := l.src
	if i+1 >= len(src) {
		l.buf = append(l.buf, '\\')
		return i + 1, true, token{}
	}
	c := src[i+1]
	switch c {
	case '\n', '\r':
		return skipNewline(src, i+1), true, token{}
	case '\\', '\'', '"':
		l.buf = append(l.buf, c)
	case 'a':
		l.buf = append(l.buf, '\a')
	case 'b':
		l.buf = append(l.buf, '\b')
	case 'f':
		l.buf = append(l.buf, '\f')
	case 'n':
		l.buf = append(l.buf, '\n')
	case 'r':
		l.buf = append(l.buf, '\r')
	case 't':
		l.buf = append(l.buf, '\t')
	case 'v':
		l.buf = append(l.buf, '\v')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v := rune(0)
		j := i + 1
		for ; j < len(src) && j < i+4 && src[j] >= '0' && src[j] <= '7'; j++ {
			v = v*8 + rune(src[j]-'0')
		}
		l.buf = utf8.AppendRune(l.buf, v)
		return j, true, token{}
	case 'x', 'u', 'U':
		n := 2
		if c == 'u' {
			n = 4
		} else if c == 'U' {
			n = 8
		}
		v := rune(0)
		j := i + 2
		for ; j < len(src) && j < i+2+n; j++ {
			d := hexVal(src[j])
			if d < 0 {
				break
			}
			v = v*16 + rune(d)
		}
		if j < i+2+n {
			return 0, false, l.errorf(start, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: truncated \\%c%s escape",
				i-bodyStart, j-bodyStart-1, c, strings.Repeat("X", n))
		}
		if v > unicode.MaxRune {
			return 0, false, l.errorf(start, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: illegal Unicode character",
				i-bodyStart, j-bodyStart-1)
		}
		if v >= 0xd800 && v <= 0xdfff {
			// CPython keeps a lone surrogate as a code point; our strings are
			// UTF-8, which cannot hold one. Refuse rather than compute with
			// U+FFFD in its place.
			return 0, false, l.errorf(start, "surrogate code point \\u%04x is not supported (strings are UTF-8 in this engine)", v)
		}
		l.buf = utf8.AppendRune(l.buf, v)
		return j, true, token{}
	case 'N':
		j := i + 2
		if j < len(src) && src[j] == '{' {
			k := strings.IndexByte(src[j:], '}')
			if k > 1 {
				name := src[j+1 : j+k]
				if r, ok := LookupRuneName(name); ok {
					l.buf = utf8.AppendRune(l.buf, r)
					return j + k + 1, true, token{}
				}
				return 0, false, l.errorf(start, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: unknown Unicode character name",
					i-bodyStart, j+k-bodyStart)
			}
		}
		return 0, false, l.errorf(start, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: malformed \\N character escape",
			i-bodyStart, min(i+1, len(src)-1)-bodyStart)
	default:
		// Unknown escape: Python keeps the backslash and the character.
		l.buf = append(l.buf, '\\')
		return i + 1, true, token{}
	}
	return i + 2, true, token{}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// lexFString lexes literal text of an f-string (top is the f-string level)
// or of a format spec (top is a field level with spec set).
func (l *lexer) lexFString(top *fmode) token {
	src := l.src
	spec := top.field
	quote, triple, raw, body := top.quote, top.triple, top.raw, top.body
	start := l.pos
	i := start
	l.buf = l.buf[:0]
	decoded := false
	text := func() string {
		if decoded {
			return string(l.buf)
		}
		return src[start:i]
	}
	// flush returns the pending literal text, if any, ending at i.
	for {
		if i >= len(src) {
			if i > start {
				l.pos = i
				return token{kind: tFMiddle, pos: start, end: i, text: text()}
			}
			if body && !spec {
				return token{kind: tEOF, pos: i, end: i}
			}
			fs := l.owningFString()
			if body {
				return l.errorf(i, "f-string: expecting '}'")
			}
			if triple {
				return l.errorf(fs, "unterminated triple-quoted f-string literal (detected at line %d)", l.lineAt(len(src)))
			}
			return l.errorf(fs, "unterminated f-string literal (detected at line %d)", l.lineAt(len(src)))
		}
		c := src[i]
		switch {
		case c == quote && !body && (!triple || i+2 < len(src) && src[i+1] == quote && src[i+2] == quote):
			if i > start {
				l.pos = i
				return token{kind: tFMiddle, pos: start, end: i, text: text()}
			}
			if spec {
				return l.errorf(i, "f-string: expecting '}'")
			}
			end := i + 1
			if triple {
				end = i + 3
			}
			l.pos = end
			l.modes = l.modes[:len(l.modes)-1]
			return token{kind: tFEnd, pos: i, end: end}
		case (c == '\n' || c == '\r') && !triple:
			return l.errorf(l.owningFString(), "unterminated f-string literal (detected at line %d)", l.lineAt(i))
		case c == '{':
			if !spec && i+1 < len(src) && src[i+1] == '{' {
				if !decoded {
					l.buf = append(l.buf, src[start:i]...)
					decoded = true
				}
				l.buf = append(l.buf, '{')
				i += 2
				continue
			}
			if i > start {
				l.pos = i
				return token{kind: tFMiddle, pos: start, end: i, text: text()}
			}
			if len(l.brackets) >= l.maxDepth {
				return l.limitf(i, "expression is nested too deeply (more than %d levels)", l.maxDepth)
			}
			l.brackets = append(l.brackets, bracket{ch: '{', pos: i, field: true})
			l.modes = append(l.modes, fmode{field: true, quote: quote, triple: triple, raw: raw, body: body, start: i, depth: len(l.brackets)})
			l.pos = i + 1
			return token{kind: tOp, field: true, pos: i, end: i + 1, text: "{"}
		case c == '}':
			if spec {
				if i > start {
					l.pos = i
					return token{kind: tFMiddle, pos: start, end: i, text: text()}
				}
				l.brackets = l.brackets[:len(l.brackets)-1]
				l.modes = l.modes[:len(l.modes)-1]
				l.pos = i + 1
				return token{kind: tOp, field: true, pos: i, end: i + 1, text: "}"}
			}
			if i+1 < len(src) && src[i+1] == '}' {
				if !decoded {
					l.buf = append(l.buf, src[start:i]...)
					decoded = true
				}
				l.buf = append(l.buf, '}')
				i += 2
				continue
			}
			return l.errorf(i, "f-string: single '}' is not allowed")
		case c == '\\':
			if !decoded {
				l.buf = append(l.buf, src[start:i]...)
				decoded = true
			}
			if raw || i+1 < len(src) && (src[i+1] == '{' || src[i+1] == '}') {
				l.buf = append(l.buf, '\\')
				i++
				if raw && i < len(src) && src[i] != '{' && src[i] != '}' {
					i = l.appendChar(i)
				}
				continue
			}
			var ok bool
			var tok token
			i, ok, tok = l.decodeEscape(i, start, l.owningFString())
			if !ok {
				return tok
			}
		default:
			if decoded {
				l.buf = append(l.buf, c)
			}
			i++
		}
	}
}

// owningFString returns the offset of the innermost open f-string.
func (l *lexer) owningFString() int {
	for i := len(l.modes) - 1; i >= 0; i-- {
		if !l.modes[i].field {
			return l.modes[i].start
		}
	}
	return 0
}

// lexNumber lexes a numeric literal, checking it as CPython's tokenizer does.
func (l *lexer) lexNumber() token {
	src := l.src
	start := l.pos
	i := start
	// digits scans digits accepted by ok, with single underscores between
	// them; it returns the new offset and whether the run is well formed.
	digits := func(i int, ok func(byte) bool) (int, bool) {
		for i < len(src) {
			if ok(src[i]) {
				i++
				continue
			}
			if src[i] == '_' && i+1 < len(src) && ok(src[i+1]) {
				i += 2
				continue
			}
			if src[i] == '_' {
				return i + 1, false
			}
			break
		}
		return i, true
	}
	isDec := func(c byte) bool { return c >= '0' && c <= '9' }
	isFloat := false
	if src[i] == '0' && i+1 < len(src) && strings.IndexByte("xXoObB", src[i+1]) >= 0 {
		var ok func(byte) bool
		var name string
		switch src[i+1] {
		case 'x', 'X':
			ok, name = func(c byte) bool { return hexVal(c) >= 0 }, "hexadecimal"
		case 'o', 'O':
			ok, name = func(c byte) bool { return c >= '0' && c <= '7' }, "octal"
		default:
			ok, name = func(c byte) bool { return c == '0' || c == '1' }, "binary"
		}
		i += 2
		if i < len(src) && src[i] == '_' {
			i++
		}
		j, good := digits(i, ok)
		if !good || j == i {
			if j == i && j < len(src) && isDec(src[j]) {
				return l.errorf(j, "invalid digit '%c' in %s literal", src[j], name)
			}
			if j == i {
				return l.errorf(i-1, "invalid %s literal", name)
			}
			return l.errorf(j-1, "invalid %s literal", name)
		}
		if j < len(src) && isDec(src[j]) {
			return l.errorf(j, "invalid digit '%c' in %s literal", src[j], name)
		}
		i = j
		if t, bad := l.checkNumberEnd(i, name); bad {
			return t
		}
		l.pos = i
		return token{kind: tNumber, pos: start, end: i, text: src[start:i]}
	}
	if src[i] != '.' {
		j, good := digits(i, isDec)
		if !good {
			return l.errorf(j-1, "invalid decimal literal")
		}
		i = j
	}
	if i < len(src) && src[i] == '.' {
		isFloat = true
		i++
		if i < len(src) && isDec(src[i]) {
			j, good := digits(i, isDec)
			if !good {
				return l.errorf(j-1, "invalid decimal literal")
			}
			i = j
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDec(src[j]) {
			k, good := digits(j, isDec)
			if !good {
				return l.errorf(k-1, "invalid decimal literal")
			}
			i = k
			isFloat = true
		} else if j == i+1 && j < len(src) && isIdentStartASCII(src[j]) && startsKeyword(src[i:]) {
			// "1else": the number ends before the keyword.
		} else {
			return l.errorf(i, "invalid decimal literal")
		}
	}
	if i < len(src) && (src[i] == 'j' || src[i] == 'J') {
		// An imaginary literal (1j, 2.5e3J): no leading-zero rule applies.
		i++
		if t, bad := l.checkNumberEnd(i, "imaginary"); bad {
			return t
		}
		l.pos = i
		return token{kind: tNumber, pos: start, end: i, text: src[start:i]}
	}
	if !isFloat {
		// Leading zeros: "0", "00" are fine, "01" is not.
		text := src[start:i]
		if len(text) > 1 && text[0] == '0' && strings.Trim(text, "0_") != "" {
			return l.errorf(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
		}
	}
	if t, bad := l.checkNumberEnd(i, "decimal"); bad {
		return t
	}
	l.pos = i
	return token{kind: tNumber, pos: start, end: i, text: src[start:i]}
}

// checkNumberEnd reports an identifier character glued to a number ("1abc"),
// except the keywords CPython still accepts there ("1if x else 2").
func (l *lexer) checkNumberEnd(i int, name string) (token, bool) {
	if i >= len(l.src) {
		return token{}, false
	}
	c := l.src[i]
	if c < utf8.RuneSelf && !isIdentASCII(c) {
		return token{}, false
	}
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(l.src[i:])
		if !isIdentRune(r, false) {
			return token{}, false
		}
	}
	if startsKeyword(l.src[i:]) {
		return token{}, false
	}
	return l.errorf(i, "invalid %s literal", name), true
}

// startsKeyword reports whether s starts with a keyword that may directly
// follow a number.
func startsKeyword(s string) bool {
	for _, kw := range [...]string{"and", "else", "for", "if", "in", "is", "not", "or"} {
		if strings.HasPrefix(s, kw) {
			return true
		}
	}
	return false
}

// ops lists the operators and delimiters, longest first within each first byte.
var ops = [256][]string{
	'+': {"+=", "+"}, '-': {"-=", "->", "-"}, '*': {"**=", "**", "*=", "*"}, '/': {"//=", "//", "/=", "/"},
	'%': {"%=", "%"}, '@': {"@=", "@"}, '&': {"&=", "&"}, '|': {"|=", "|"}, '^': {"^=", "^"}, '~': {"~"},
	'<': {"<<=", "<<", "<=", "<>", "<"}, '>': {">>=", ">>", ">=", ">"}, '=': {"==", "="}, '!': {"!=", "!"},
	'.': {"...", "."}, ',': {","}, ';': {";"}, ':': {":=", ":"},
	'(': {"("}, ')': {")"}, '[': {"["}, ']': {"]"}, '{': {"{"}, '}': {"}"},
}

func (l *lexer) lexOp() token {
	src := l.src
	start := l.pos
	c := src[start]
	var op string
	for _, cand := range ops[c] {
		if strings.HasPrefix(src[start:], cand) {
			op = cand
			break
		}
	}
	if op == "" {
		if c < utf8.RuneSelf && c > ' ' && c < 0x7f {
			return l.errorf(start, "invalid syntax")
		}
		return l.errorf(start, "invalid non-printable character U+%04X", c)
	}
	f := l.inField()
	switch op {
	case "(", "[", "{":
		if len(l.brackets) >= l.maxDepth {
			return l.limitf(start, "expression is nested too deeply (more than %d levels)", l.maxDepth)
		}
		l.brackets = append(l.brackets, bracket{ch: c, pos: start})
	case ")", "]", "}":
		n := len(l.brackets)
		if n == 0 {
			return l.errorf(start, "unmatched '%c'", c)
		}
		open := l.brackets[n-1]
		if open.field {
			if c == '}' {
				// End of a replacement field.
				l.brackets = l.brackets[:n-1]
				l.modes = l.modes[:len(l.modes)-1]
				l.pos = start + 1
				return token{kind: tOp, field: true, pos: start, end: start + 1, text: "}"}
			}
			return l.errorf(start, "f-string: unmatched '%c'", c)
		}
		if closerOf(open.ch) != c {
			if l.lineAt(open.pos) != l.lineAt(start) {
				return l.errorf(start, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open.ch, l.lineAt(open.pos))
			}
			return l.errorf(start, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.ch)
		}
		l.brackets = l.brackets[:n-1]
	case ":", ":=":
		if f != nil && len(l.brackets) == f.depth {
			// The format spec of a replacement field starts.
			f.spec = true
			l.pos = start + 1
			return token{kind: tOp, field: true, pos: start, end: start + 1, text: ":"}
		}
	}
	l.pos = start + len(op)
	return token{kind: tOp, pos: start, end: l.pos, text: op}
}

// closerOf returns the closing bracket matching the opening bracket open.
func closerOf(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendChar appends the source byte at i to l.buf, or the whole pair when a
// CRLF line break starts there (a raw string keeps it after a backslash), and
// returns the offset after what it appended.
func (l *lexer) appendChar(i int) int {
	size := 1
	if l.src[i] == '\r' && i+1 < len(l.src) && l.src[i+1] == '\n' {
		size = 2
	}
	l.buf = append(l.buf, l.src[i:i+size]...)
	return i + size
}
