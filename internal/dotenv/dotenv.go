// Package dotenv reads and writes .env files: lines of KEY=VALUE.
//
// # Format
//
// Blank lines and lines starting with "#" are ignored. A line may start
// with "export ". The key runs to the first "=" (spaces around it are
// dropped). The value is one of:
//
//   - bare: the rest of the line, up to a " #" comment, without surrounding
//     spaces;
//   - single-quoted: everything up to the closing quote, literally (it may
//     span lines);
//   - double-quoted: up to the closing unescaped quote (it may span lines),
//     with the escapes \n, \r, \t, \", \\ and \$; any other backslash is kept.
//
// Write picks the first form that holds the value exactly: bare for values
// made of letters, digits and _ @ % + = : , . / -; single quotes for values
// without a single quote or line break; double quotes otherwise. What Write
// writes, Parse reads back unchanged.
package dotenv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Entry is one KEY=VALUE of a file; Line is where it starts (1-based).
type Entry struct {
	Key, Value string
	Line       int
}

// SyntaxError is a line Parse cannot read. It never holds the value.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Parse reads a .env file. Keys are returned as written (callers check
// them); a key may repeat.
func Parse(r io.Reader) ([]Entry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p := &parser{s: strings.ReplaceAll(string(data), "\r\n", "\n"), line: 1}
	var out []Entry
	for {
		p.skipBlank()
		if p.eof() {
			return out, nil
		}
		switch p.peek() {
		case '\n':
			p.advance(1)
			continue
		case '#':
			p.skipLine()
			continue
		}
		e, err := p.entry()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

type parser struct {
	s    string
	pos  int
	line int
}

func (p *parser) eof() bool  { return p.pos >= len(p.s) }
func (p *parser) peek() byte { return p.s[p.pos] }

// advance moves n bytes on, counting lines.
func (p *parser) advance(n int) {
	p.line += strings.Count(p.s[p.pos:p.pos+n], "\n")
	p.pos += n
}

func (p *parser) skipBlank() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.pos++
	}
}

// skipLine moves past the end of the current line.
func (p *parser) skipLine() {
	i := strings.IndexByte(p.s[p.pos:], '\n')
	if i < 0 {
		p.pos = len(p.s)
		return
	}
	p.advance(i + 1)
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// entry reads KEY=VALUE starting at a key.
func (p *parser) entry() (Entry, error) {
	start := p.line
	if strings.HasPrefix(p.s[p.pos:], "export ") {
		p.pos += len("export ")
		p.skipBlank()
	}
	k := p.pos
	for !p.eof() && p.peek() != '=' && p.peek() != '\n' {
		p.pos++
	}
	key := strings.TrimSpace(p.s[k:p.pos])
	if p.eof() || p.peek() != '=' {
		return Entry{}, p.errorf(start, "expected KEY=VALUE, found no \"=\" after %q", clip(key))
	}
	if key == "" {
		return Entry{}, p.errorf(start, "empty key before \"=\"")
	}
	p.pos++
	p.skipBlank()
	if p.eof() || (p.peek() != '\'' && p.peek() != '"') {
		// A bare value: the rest of the line, without a " #" comment.
		i := strings.IndexByte(p.s[p.pos:], '\n')
		if i < 0 {
			i = len(p.s) - p.pos
		}
		v := p.s[p.pos : p.pos+i]
		p.pos += i
		for _, c := range []string{" #", "\t#"} {
			if j := strings.Index(v, c); j >= 0 {
				v = v[:j]
			}
		}
		return Entry{Key: key, Value: strings.TrimSpace(v), Line: start}, nil
	}
	q := p.peek()
	p.pos++
	var (
		value string
		n     int
		ok    bool
	)
	if q == '\'' {
		value, n, ok = singleQuoted(p.s[p.pos:])
	} else {
		value, n, ok = doubleQuoted(p.s[p.pos:])
	}
	if !ok {
		return Entry{}, p.errorf(start, "value of %q: no closing %c", clip(key), q)
	}
	p.advance(n)
	p.skipBlank()
	if !p.eof() && p.peek() != '\n' && p.peek() != '#' {
		return Entry{}, p.errorf(p.line, "value of %q: unexpected text after the closing quote", clip(key))
	}
	p.skipLine()
	return Entry{Key: key, Value: value, Line: start}, nil
}

// singleQuoted returns the value up to the closing quote and the number of
// bytes used, quote included.
func singleQuoted(s string) (string, int, bool) {
	i := strings.IndexByte(s, '\'')
	if i < 0 {
		return "", 0, false
	}
	return s[:i], i + 1, true
}

// doubleQuoted decodes up to the closing unescaped quote.
func doubleQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, true
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\', '$':
				b.WriteByte(s[i])
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// clip shortens a key for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Write writes entries as KEY=VALUE lines, in the given order. Keys must
// be valid variable names (letters, digits, _); Write does not check them.
func Write(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	for _, e := range entries {
		if strings.ContainsAny(e.Key, "=\n\r#'\" ") || e.Key == "" {
			return errors.New("dotenv: a key must be a variable name")
		}
		bw.WriteString(e.Key)
		bw.WriteByte('=')
		bw.WriteString(Quote(e.Value))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Quote returns the value as Write writes it (see the package doc).
func Quote(v string) string {
	if v != "" && isBare(v) {
		return v
	}
	if !strings.ContainsAny(v, "'\n\r") {
		return "'" + v + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '"', '\\', '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func isBare(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_@%+=:,./-", c) >= 0:
		default:
			return false
		}
	}
	return true
}
