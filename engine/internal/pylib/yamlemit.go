package pylib

import (
	"fmt"
	"strings"
)

// PyYAML's scalar analysis and writers (yaml/emitter.py), for block
// context with allow_unicode=False and width 80.

func isYAMLBreak(r rune) bool { return r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029 }

func isYAMLSpaceOrEnd(rs []rune, i int) bool {
	if i >= len(rs) {
		return true
	}
	r := rs[i]
	return r == 0 || r == ' ' || r == '\t' || r == '\r' || isYAMLBreak(r)
}

// yamlStyle picks PyYAML's style for a string (analyze_scalar and
// choose_scalar_style): 'p' plain, 's' single quoted, 'd' double quoted.
func yamlStyle(s string, simpleKey bool) byte {
	if s == "" {
		return 's'
	}
	rs := []rune(s)
	var blockInd, lineBreaks, special bool
	var leadSpace, leadBreak, trailSpace, trailBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd = true
	}
	preceded := true
	followed := isYAMLSpaceOrEnd(rs, 1)
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch) {
				blockInd = true
			}
			if (ch == '?' || ch == ':' || ch == '-') && followed {
				blockInd = true
			}
		} else {
			if ch == ':' && followed {
				blockInd = true
			}
			if ch == '#' && preceded {
				blockInd = true
			}
		}
		if isYAMLBreak(ch) {
			lineBreaks = true
		}
		if !(ch == '\n' || ch >= 0x20 && ch <= 0x7e) {
			special = true // non-ASCII is escaped: allow_unicode is False
		}
		switch {
		case ch == ' ':
			if i == 0 {
				leadSpace = true
			}
			if i == len(rs)-1 {
				trailSpace = true
			}
			if prevBreak {
				breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case isYAMLBreak(ch):
			if i == 0 {
				leadBreak = true
			}
			if i == len(rs)-1 {
				trailBreak = true
			}
			if prevSpace {
				spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		preceded = ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isYAMLBreak(ch)
		followed = isYAMLSpaceOrEnd(rs, i+2)
	}
	allowPlain, allowSingle := true, true
	if leadSpace || leadBreak || trailSpace || trailBreak || lineBreaks || blockInd {
		allowPlain = false
	}
	if breakSpace || spaceBreak || special {
		allowPlain, allowSingle = false, false
	}
	// A plain scalar must not resolve to another type (YAML 1.1 resolvers).
	if yamlBool11.MatchString(s) || yamlInt11.MatchString(s) || yamlFloat11.MatchString(s) || yamlNull11.MatchString(s) || yamlTS11.MatchString(s) || s == "<<" || s == "=" {
		allowPlain = false
	}
	if allowPlain && !(simpleKey && lineBreaks) {
		return 'p'
	}
	if allowSingle && !(simpleKey && lineBreaks) {
		return 's'
	}
	return 'd'
}

var yamlEscapes = map[rune]string{0: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r", 0x1b: "e", '"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P"}

func (e *yamlEmitter) scalarString(s string, indent int, simpleKey bool) {
	switch yamlStyle(s, simpleKey) {
	case 'p':
		e.writePlainOrSingle(s, indent, false)
	case 's':
		e.write("'")
		e.writePlainOrSingle(s, indent, true)
		e.write("'")
	default:
		e.writeDouble(s, indent)
	}
}

// writeDouble is write_double_quoted (folding at 80 columns).
func (e *yamlEmitter) writeDouble(s string, indent int) {
	rs := []rune(s)
	e.write("\"")
	start, end := 0, 0
	for end <= len(rs) {
		ch := rune(-1)
		if end < len(rs) {
			ch = rs[end]
		}
		if ch < 0 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff || !(ch >= 0x20 && ch <= 0x7e) {
			if start < end {
				e.write(string(rs[start:end]))
				start = end
			}
			if ch >= 0 {
				var data string
				switch esc, ok := yamlEscapes[ch]; {
				case ok:
					data = "\\" + esc
				case ch <= 0xff:
					data = fmt.Sprintf("\\x%02X", ch)
				case ch <= 0xffff:
					data = fmt.Sprintf("\\u%04X", ch)
				default:
					data = fmt.Sprintf("\\U%08X", ch)
				}
				e.write(data)
				start = end + 1
			}
		}
		if end > 0 && end < len(rs)-1 && (ch == ' ' || start >= end) && e.col+(end-start) > 80 {
			data := "\\"
			if start < end {
				data = string(rs[start:end]) + data
			}
			if start < end {
				start = end
			}
			e.write(data)
			e.write("\n" + strings.Repeat(" ", indent))
			if start < len(rs) && rs[start] == ' ' {
				e.write("\\")
			}
		}
		end++
	}
	e.write("\"")
}

// writePlainOrSingle is write_plain / write_single_quoted: a single space
// past column 80 folds, line breaks are doubled, quotes are doubled.
func (e *yamlEmitter) writePlainOrSingle(s string, indent int, quoted bool) {
	rs := []rune(s)
	pad := "\n" + strings.Repeat(" ", indent)
	spaces, breaks := false, false
	start, end := 0, 0
	for end <= len(rs) {
		ch := rune(-1)
		if end < len(rs) {
			ch = rs[end]
		}
		switch {
		case spaces:
			if ch != ' ' {
				if start+1 == end && e.col > 80 && start != 0 && end != len(rs) {
					e.write(pad)
				} else {
					e.write(string(rs[start:end]))
				}
				start = end
			}
		case breaks:
			if ch < 0 || !isYAMLBreak(ch) {
				if rs[start] == '\n' {
					e.write("\n")
				}
				for _, br := range rs[start:end] {
					e.write(string(br))
				}
				e.write(strings.Repeat(" ", indent))
				start = end
			}
		default:
			if ch < 0 || ch == ' ' || isYAMLBreak(ch) || quoted && ch == '\'' {
				if start < end {
					e.write(string(rs[start:end]))
					start = end
				}
			}
		}
		if quoted && ch == '\'' {
			e.write("''")
			start = end + 1
		}
		if ch >= 0 {
			spaces = ch == ' '
			breaks = isYAMLBreak(ch)
		}
		end++
	}
}
