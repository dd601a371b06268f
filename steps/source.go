package steps

import (
	"sort"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// lineIndex converts byte offsets of a file to line and rune column.
type lineIndex struct {
	src   []byte
	start []int // byte offset of the start of each line
}

func newLineIndex(src []byte) *lineIndex {
	li := &lineIndex{src: src, start: []int{0}}
	for i, c := range src {
		if c == '\n' {
			li.start = append(li.start, i+1)
		}
	}
	return li
}

// lineCol returns the 1-based line and rune column of byte offset off.
func (li *lineIndex) lineCol(off int) (line, col int) {
	off = min(max(off, 0), len(li.src))
	i := sort.Search(len(li.start), func(i int) bool { return li.start[i] > off }) - 1
	return i + 1, 1 + utf8.RuneCount(li.src[li.start[i]:off])
}

// offset returns the byte offset of 1-based line and rune column col, or -1.
func (li *lineIndex) offset(line, col int) int {
	if line < 1 || line > len(li.start) {
		return -1
	}
	off := li.start[line-1]
	for c := 1; c < col && off < len(li.src) && li.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(li.src[off:])
		off += size
	}
	return off
}

// scalarMap rescans the scalar n in src and returns, for each byte offset of
// n.Value (and one past the end), the byte offset in src it comes from. It
// returns nil when the rescan does not reproduce n.Value (an exotic form), so
// callers fall back to the scalar's start.
func scalarMap(li *lineIndex, n *yaml.Node) []int {
	start := li.offset(n.Line, n.Column)
	if start < 0 || start >= len(li.src) {
		return nil
	}
	s := &scan{src: li.src, pos: start, want: n.Value}
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		s.block(false)
	case n.Style&yaml.FoldedStyle != 0:
		s.block(true)
	case n.Style&yaml.SingleQuotedStyle != 0:
		s.flow('\'')
	case n.Style&yaml.DoubleQuotedStyle != 0:
		s.flow('"')
	default:
		s.flow(0)
	}
	return s.result()
}

type scan struct {
	src  []byte
	pos  int
	want string
	out  []byte
	offs []int
	end  int // source offset just after the scalar's last consumed byte
}

func (s *scan) emit(b byte, at int) {
	s.out = append(s.out, b)
	s.offs = append(s.offs, at)
}

func (s *scan) emitRune(r rune, at int) {
	var buf [4]byte
	n := utf8.EncodeRune(buf[:], r)
	for i := 0; i < n; i++ {
		s.emit(buf[i], at)
	}
}

func (s *scan) done() bool { return len(s.out) >= len(s.want) }

// result verifies the rescan and returns the offset table.
func (s *scan) result() []int {
	w := s.want
	if len(s.out) < len(w) {
		// Kept trailing line breaks of a block scalar may be missing.
		rest := w[len(s.out):]
		for i := 0; i < len(rest); i++ {
			if rest[i] != '\n' {
				return nil
			}
		}
		last := s.end
		for len(s.out) < len(w) {
			s.emit('\n', last)
		}
	}
	if string(s.out[:len(w)]) != w {
		return nil
	}
	offs := s.offs[:len(w)]
	endAt := s.end
	if len(s.offs) > len(w) {
		endAt = s.offs[len(w)]
	}
	return append(offs[:len(w):len(w)], endAt)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// fold handles a line break inside a flow scalar (plain or quoted): trailing
// blanks before it are dropped, the next line's leading blanks skipped, one
// break becomes a space and n>1 breaks become n-1 newlines. s.pos is at the
// break.
func (s *scan) fold() {
	for len(s.out) > 0 && isBlank(s.out[len(s.out)-1]) {
		s.out = s.out[:len(s.out)-1]
		s.offs = s.offs[:len(s.offs)-1]
	}
	breakAt := s.pos
	breaks := 0
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if c == '\r' {
			s.pos++
			continue
		}
		if c == '\n' {
			breaks++
			s.pos++
			continue
		}
		if isBlank(c) {
			s.pos++
			continue
		}
		break
	}
	if breaks == 1 {
		s.emit(' ', breakAt)
		return
	}
	for i := 1; i < breaks; i++ {
		s.emit('\n', breakAt)
	}
}

// flow rescans a plain (quote 0), single- or double-quoted scalar.
func (s *scan) flow(quote byte) {
	if quote != 0 {
		s.pos++ // opening quote
	}
	for s.pos < len(s.src) {
		if quote == 0 && s.done() {
			break
		}
		c := s.src[s.pos]
		switch {
		case c == '\n' || (c == '\r' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '\n'):
			s.fold()
			continue
		case quote == '\'' && c == '\'':
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '\'' {
				s.emit('\'', s.pos)
				s.pos += 2
				continue
			}
			s.end = s.pos + 1
			return
		case quote == '"' && c == '"':
			s.end = s.pos + 1
			return
		case quote == '"' && c == '\\':
			if !s.escape() {
				return
			}
			continue
		}
		s.emit(c, s.pos)
		s.pos++
		s.end = s.pos
	}
}

var simpleEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
	'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// escape decodes one backslash escape of a double-quoted scalar.
func (s *scan) escape() bool {
	at := s.pos
	if s.pos+1 >= len(s.src) {
		return false
	}
	c := s.src[s.pos+1]
	if str, ok := simpleEscapes[c]; ok {
		for i := 0; i < len(str); i++ {
			s.emit(str[i], at)
		}
		s.pos += 2
		return true
	}
	if c == '\n' || c == '\r' {
		// Escaped line break: joined without a space; leading blanks of the
		// next line are skipped.
		s.pos++
		for s.pos < len(s.src) && (s.src[s.pos] == '\n' || s.src[s.pos] == '\r') {
			s.pos++
			break
		}
		for s.pos < len(s.src) && isBlank(s.src[s.pos]) {
			s.pos++
		}
		return true
	}
	n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
	if n == 0 || s.pos+2+n > len(s.src) {
		return false
	}
	var r rune
	for _, h := range s.src[s.pos+2 : s.pos+2+n] {
		var d byte
		switch {
		case h >= '0' && h <= '9':
			d = h - '0'
		case h >= 'a' && h <= 'f':
			d = h - 'a' + 10
		case h >= 'A' && h <= 'F':
			d = h - 'A' + 10
		default:
			return false
		}
		r = r<<4 | rune(d)
	}
	s.emitRune(r, at)
	s.pos += 2 + n
	return true
}

// block rescans a literal (|) or folded (>) block scalar; s.pos is at the
// indicator.
func (s *scan) block(folded bool) {
	// Header: indicator, optional indentation digit and chomping, comment.
	lineStart := s.pos
	for lineStart > 0 && s.src[lineStart-1] != '\n' {
		lineStart--
	}
	parentIndent := 0
	for lineStart+parentIndent < len(s.src) && s.src[lineStart+parentIndent] == ' ' {
		parentIndent++
	}
	s.pos++
	explicit := 0
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		c := s.src[s.pos]
		if c >= '1' && c <= '9' && explicit == 0 {
			explicit = int(c - '0')
		}
		if c == '#' {
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
			break
		}
		s.pos++
	}
	s.pos++ // the header's line break
	// Split the content into lines.
	type line struct{ start, end int }
	var lines []line
	indent := -1
	if explicit > 0 {
		indent = parentIndent + explicit
	}
	for p := s.pos; p < len(s.src); {
		e := p
		for e < len(s.src) && s.src[e] != '\n' {
			e++
		}
		sp := 0
		for p+sp < e && s.src[p+sp] == ' ' {
			sp++
		}
		empty := trimCRLen(s.src[p+sp:e]) == 0
		if !empty {
			if indent < 0 {
				indent = sp
			}
			if sp < indent {
				break
			}
		}
		lines = append(lines, line{p, e})
		if e >= len(s.src) {
			break
		}
		p = e + 1
	}
	if indent < 0 {
		indent = 0
	}
	prevNormal := false
	started := false
	pendingBreakAt, pendingBreaks := -1, 0
	for _, ln := range lines {
		sp := 0
		for ln.start+sp < ln.end && s.src[ln.start+sp] == ' ' {
			sp++
		}
		if trimCRLen(s.src[ln.start+sp:ln.end]) == 0 && sp <= indent {
			// Empty line.
			if pendingBreakAt < 0 {
				pendingBreakAt = ln.start
			}
			pendingBreaks++
			continue
		}
		textStart := ln.start + indent
		normal := textStart < ln.end && !isBlank(s.src[textStart])
		if started {
			switch {
			case folded && prevNormal && normal && pendingBreaks == 1:
				s.emit(' ', pendingBreakAt)
			case folded && prevNormal && normal:
				for i := 1; i < pendingBreaks; i++ {
					s.emit('\n', pendingBreakAt)
				}
			default:
				for i := 0; i < pendingBreaks; i++ {
					s.emit('\n', pendingBreakAt)
				}
			}
		} else {
			for i := 0; i < pendingBreaks; i++ {
				s.emit('\n', pendingBreakAt)
			}
		}
		end := ln.end
		if end > textStart && s.src[end-1] == '\r' {
			end--
		}
		for p := textStart; p < end; p++ {
			s.emit(s.src[p], p)
		}
		s.end = ln.end
		started, prevNormal = true, normal
		pendingBreakAt, pendingBreaks = ln.end, 1
	}
	if started {
		for i := 0; i < pendingBreaks; i++ {
			s.emit('\n', pendingBreakAt)
		}
	}
}

// trimCRLen returns the length of b without a trailing '\r'.
func trimCRLen(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return len(b) - 1
	}
	return len(b)
}
