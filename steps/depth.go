package steps

// nestingDepth scans a task file's bytes, before any YAML parser sees them,
// for the deepest nesting of collections: block indentation levels, "- "
// and "? " entries that open a nested collection on the same line, and flow
// brackets ("[" and "{"). It stops at the first byte where the depth passes
// limit and returns that depth and byte offset; otherwise it returns the
// deepest nesting seen and -1.
//
// It is a lexical estimate, not a parser: quoted scalars, comments and block
// scalars (| and >) are skipped so that their brackets do not count, and it
// errs on the side of counting a level too many, never thousands. Its cost is
// linear in the file. It exists because the YAML parsers (and the re-parse
// that finds a syntax error's real place) take time and memory that grow
// faster than the nesting depth: 20,000 nested "[" cost seconds and hundreds
// of megabytes.
func nestingDepth(data []byte, limit int) (depth, at int) {
	var (
		indents    []int // indentation of the open block collections
		flow       int   // open flow brackets
		quote      byte  // '"' or '\'' while inside a quoted scalar
		blockUntil = -1  // inside a block scalar: skip lines indented more than this
		deepest    int
	)
	// over reports whether the depth at offset i passes limit.
	over := func(inline, i int) bool {
		d := len(indents) + inline + flow
		if d > deepest {
			deepest = d
		}
		if d > limit {
			depth, at = d, i
			return true
		}
		return false
	}
	i := 0
	for i < len(data) {
		// Start of a line.
		lineStart := i
		indent := 0
		for i < len(data) && data[i] == ' ' {
			i++
			indent++
		}
		eol := i
		for eol < len(data) && data[eol] != '\n' {
			eol++
		}
		blank := i == eol || data[i] == '#' || data[i] == '\r'
		if blockUntil >= 0 {
			if blank || indent > blockUntil {
				i = eol + 1
				continue
			}
			blockUntil = -1
		}
		inline := 0
		if flow == 0 && quote == 0 && !blank {
			for len(indents) > 0 && indents[len(indents)-1] > indent {
				indents = indents[:len(indents)-1]
			}
			if len(indents) == 0 || indents[len(indents)-1] < indent {
				indents = append(indents, indent)
				if over(0, lineStart+indent) {
					return depth, at
				}
			}
		}
		valueStart := true // at a place where a block node may start
		for i < eol {
			c := data[i]
			switch {
			case quote != 0:
				switch {
				case c == '\\' && quote == '"':
					i++
				case c == quote && quote == '\'' && i+1 < eol && data[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
					valueStart = false
				}
				i++
				continue
			case c == '#' && (i == lineStart || data[i-1] == ' ' || data[i-1] == '\t'):
				i = eol // a comment
				continue
			case flow > 0:
				switch c {
				case '[', '{':
					flow++
					if over(inline, i) {
						return depth, at
					}
				case ']', '}':
					flow--
				case '"', '\'':
					if i == 0 || isFlowTokenStart(data[i-1]) {
						quote = c
					}
				}
				i++
				continue
			}
			// Block context.
			switch {
			case c == ' ' || c == '\t' || c == '\r':
				i++
			case !valueStart:
				// Inside a plain scalar or key: a ": " opens a value.
				if c == ':' && (i+1 == eol || data[i+1] == ' ' || data[i+1] == '\t' || data[i+1] == '\r') {
					valueStart = true
				}
				i++
			case (c == '-' || c == '?' || c == ':') && (i+1 == eol || data[i+1] == ' ' || data[i+1] == '\t' || data[i+1] == '\r'):
				// "- " or "? " opens a collection nested on this line.
				if c != ':' {
					inline++
					if over(inline, i) {
						return depth, at
					}
				}
				i++
			case c == '[' || c == '{':
				flow++
				if over(inline, i) {
					return depth, at
				}
				i++
			case c == '"' || c == '\'':
				quote = c
				i++
			case c == '|' || c == '>':
				blockUntil = indent
				i = eol
			case c == '&' || c == '!' || c == '*':
				// An anchor, tag or alias: skip the token.
				for i < eol && data[i] != ' ' && data[i] != '\t' {
					i++
				}
			default:
				valueStart = false
				i++
			}
		}
		i = eol + 1
	}
	return deepest, -1
}

// isFlowTokenStart reports whether a quote after byte b starts a quoted
// scalar in flow context.
func isFlowTokenStart(b byte) bool {
	switch b {
	case '[', '{', ',', ':', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
