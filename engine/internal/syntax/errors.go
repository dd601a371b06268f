package syntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The values of Error.Kind.
const (
	KindSyntax = "SyntaxError" // the text is not a valid expression of the subset
	KindLimit  = "LimitError"  // the text exceeds one of the parser's Limits
)

// Error is a syntax or limit error with its position in the source.
type Error struct {
	Kind   string // KindSyntax or KindLimit
	Msg    string // CPython-like message, e.g. "invalid syntax" or "'(' was never closed"
	Offset int    // byte offset of the problem in the source (0 <= Offset <= len(src))
	Line   int    // 1-based line of Offset
	Column int    // 1-based column of Offset, counted in runes
}

// Error renders the error as "SyntaxError: msg (line L, column C)".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s (line %d, column %d)", e.Kind, e.Msg, e.Line, e.Column)
}

// Snippet renders the source line holding the error followed by a line with a
// caret under the error's column, e.g.
//
//	x + * 2
//	    ^
//
// src must be the text that was parsed. Tabs in the line are kept in the
// caret line so that the caret lines up in a terminal.
func (e *Error) Snippet(src string) string {
	off := min(max(e.Offset, 0), len(src))
	start := strings.LastIndexByte(src[:off], '\n') + 1
	end := strings.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	line := strings.TrimSuffix(src[start:end], "\r")
	var b strings.Builder
	b.WriteString(line)
	b.WriteByte('\n')
	for _, r := range src[start:min(off, start+len(line))] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	return b.String()
}

// LineCol returns the 1-based line and rune column of byte offset off in src.
// Lines end at '\n'; an offset past the end is clamped.
func LineCol(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line = 1 + strings.Count(src[:off], "\n")
	start := strings.LastIndexByte(src[:off], '\n') + 1
	col = 1 + utf8.RuneCountInString(src[start:off])
	return line, col
}

// newError builds an *Error of the given kind at offset off of src.
func newError(kind, src string, off int, msg string) *Error {
	off = min(max(off, 0), len(src))
	line, col := LineCol(src, off)
	return &Error{Kind: kind, Msg: msg, Offset: off, Line: line, Column: col}
}
