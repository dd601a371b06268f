package syntax

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorCases are sources that must fail with the message at line:column.
var errorCases = []struct {
	src       string
	msg       string
	line, col int
}{
	// Incomplete input and brackets.
	{``, "invalid syntax: empty expression", 1, 1},
	{"  # only a comment\n", "invalid syntax: empty expression", 1, 1},
	{`1 +`, "unexpected EOF while parsing", 1, 4},
	{"1 +\n", "unexpected EOF while parsing", 1, 4},
	{`not`, "unexpected EOF while parsing", 1, 4},
	{`(1`, "'(' was never closed", 1, 1},
	{"x + [1,\n2", "'[' was never closed", 1, 5},
	{`{'a': 1`, "'{' was never closed", 1, 1},
	{`[1, 2)`, "closing parenthesis ')' does not match opening parenthesis '['", 1, 6},
	{"(\n1]", "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 2},
	{`)`, "unmatched ')'", 1, 1},
	{`1)`, "unmatched ')'", 1, 2},
	{`a b`, "invalid syntax", 1, 3},
	{`f(a b)`, "invalid syntax. Perhaps you forgot a comma?", 1, 3},
	{`[a b]`, "invalid syntax. Perhaps you forgot a comma?", 1, 2},
	{`1 if 2`, "expected 'else' after 'if' expression", 1, 1},
	{`x if y else`, "unexpected EOF while parsing", 1, 12},
	{`1 <> 2`, "invalid syntax", 1, 3},
	{`a.1`, "invalid syntax", 1, 2},
	{`x.if`, `invalid syntax: 'if' is a keyword and cannot follow '.' (write ["if"] to read that key)`, 1, 3},
	{`_.from + 1`, `invalid syntax: 'from' is a keyword and cannot follow '.' (write ["from"] to read that key)`, 1, 3},
	{`-not x`, "invalid syntax", 1, 2},
	{`a < not b`, "invalid syntax", 1, 5},
	{`1 not x`, "invalid syntax", 1, 3},
	{`(,)`, "invalid syntax", 1, 2},
	{`,1`, "invalid syntax", 1, 1},
	{`a[]`, "invalid syntax", 1, 3},
	{`{1:2, 3}`, "':' expected after dictionary key", 1, 8},
	{`{1, 2:3}`, "invalid syntax", 1, 6},
	{`$x`, "invalid syntax", 1, 1},
	{`x!`, "invalid syntax", 1, 2},
	{`€`, "invalid character '€' (U+20AC)", 1, 1},
	{"x \u00a0", "invalid non-printable character U+00A0", 1, 3},
	{`x \ y`, "unexpected character after line continuation character", 1, 4},
	{`... ...`, "invalid syntax", 1, 5},
	{"'a' + \xff", "invalid UTF-8 byte 0xff in source", 1, 7},
	{"x\x00", "invalid non-printable character U+0000", 1, 2},

	// Statements.
	{`x = 5`, "statements are not supported: assignment (did you mean '=='?)", 1, 3},
	{`x.y = 1`, "statements are not supported: assignment (did you mean '=='?)", 1, 5},
	{`f() = 1`, "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1},
	{`1 = 1`, "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1},
	{`x += 1`, "statements are not supported: augmented assignment '+='", 1, 3},
	{`1; 2`, "statements are not supported: ';' separates statements, only one expression is allowed", 1, 2},
	{"1\n2", "statements are not supported: only one expression is allowed, but more text follows line 1", 2, 1},
	{"x\n\n  # c\ny = 5", "statements are not supported: only one expression is allowed, but more text follows line 1", 4, 1},
	{`x: int`, "invalid syntax", 1, 2},
	{`import os`, "statements are not supported: 'import' starts a statement, not an expression", 1, 1},
	{`def f(): pass`, "statements are not supported: 'def' starts a statement, not an expression", 1, 1},
	{`return 1`, "statements are not supported: 'return' starts a statement, not an expression", 1, 1},
	{`  del x`, "statements are not supported: 'del' starts a statement, not an expression", 1, 3},
	{`if x: y`, "statements are not supported: 'if' starts a statement, not an expression", 1, 1},
	{`x + return`, "invalid syntax", 1, 5},
	{`yield x`, "'yield' is not supported in expressions", 1, 1},
	{`(yield)`, "'yield' is not supported in expressions", 1, 2},
	{`await x`, "'await' is not supported in expressions", 1, 1},
	{`[x async for x in y]`, "'async' is not supported in expressions", 1, 4},
	{`in`, "invalid syntax", 1, 1},

	// Walrus and starred.
	{`a := 1`, "invalid syntax: an assignment expression (:=) must be parenthesized here", 1, 3},
	{`(x.y := 1)`, "cannot use assignment expressions with attribute", 1, 2},
	{`(True := 1)`, "cannot use assignment expressions with True", 1, 2},
	{`[x for x in y if z := x]`, "invalid syntax", 1, 20},
	{`{a := 1: 2}`, "invalid syntax", 1, 8},
	{`*a`, "cannot use starred expression here", 1, 1},
	{`*a, b`, "cannot use starred expression here", 1, 1},
	{`(*a)`, "cannot use starred expression here", 1, 2},
	{`1 + *a`, "cannot use starred expression here", 1, 5},
	{`[*a for a in b]`, "iterable unpacking cannot be used in comprehension", 1, 2},
	{`{**a for a in b}`, "dict unpacking cannot be used in dict comprehension", 1, 2},

	// Calls.
	{`f(x=1, 2)`, "positional argument follows keyword argument", 1, 8},
	{`f(**a, b)`, "positional argument follows keyword argument unpacking", 1, 8},
	{`f(**a, *b)`, "iterable argument unpacking follows keyword argument unpacking", 1, 8},
	{`f(x for x in y, 1)`, "Generator expression must be parenthesized", 1, 3},
	{`f(1, x for x in y)`, "Generator expression must be parenthesized", 1, 6},
	{`f(x for x in y,)`, "Generator expression must be parenthesized", 1, 3},
	{`f(True=1)`, "cannot assign to True", 1, 3},
	{`f(a.b=1)`, "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3},
	{`f(1=2)`, "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3},
	{`f(if=1)`, "invalid syntax", 1, 3},

	// Comprehension targets and lambdas.
	{`[x for f() in y]`, "cannot assign to function call", 1, 8},
	{`[x for 1 in y]`, "cannot assign to literal", 1, 8},
	{`[x for x.a in y]`, "comprehension target must be a name or a tuple of names (attribute targets are not supported)", 1, 8},
	{`[x for x in lambda: y]`, "invalid syntax", 1, 13},
	{`[x for x in 1, 2]`, "invalid syntax", 1, 14},
	{`lambda x=1, y: 1`, "parameter without a default follows parameter with a default", 1, 13},
	{`lambda x, x: 1`, "duplicate argument 'x' in function definition", 1, 11},
	{`lambda *: 1`, "named arguments must follow bare *", 1, 8},
	{`lambda **k, x: 1`, "arguments cannot follow var-keyword argument", 1, 13},
	{`lambda *a, *b: 1`, "* argument may appear only once", 1, 12},
	{`lambda /: 1`, "at least one argument must precede /", 1, 8},
	{`lambda (x): 1`, "invalid syntax", 1, 8},

	// Numbers.
	{`1__0`, "invalid decimal literal", 1, 2},
	{`1_`, "invalid decimal literal", 1, 2},
	{`1e`, "invalid decimal literal", 1, 2},
	{`1e+`, "invalid decimal literal", 1, 2},
	{`1.5_`, "invalid decimal literal", 1, 4},
	{`1abc`, "invalid decimal literal", 1, 2},
	{`1.real`, "invalid decimal literal", 1, 3},
	{`09`, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 1},
	{`0_1`, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 1},
	{`0x`, "invalid hexadecimal literal", 1, 2},
	{`0o`, "invalid octal literal", 1, 2},
	{`0b`, "invalid binary literal", 1, 2},
	{`0b2`, "invalid digit '2' in binary literal", 1, 3},
	{`0o8`, "invalid digit '8' in octal literal", 1, 3},
	{`0xg`, "invalid hexadecimal literal", 1, 2},
	{`1jx`, "invalid imaginary literal", 1, 3},
	{`x + 1.5Jy`, "invalid imaginary literal", 1, 9},
	{`'\ud800'`, "surrogate code point \\ud800 is not supported (strings are UTF-8 in this engine)", 1, 1},

	// Strings.
	{`"abc`, "unterminated string literal (detected at line 1)", 1, 1},
	{`x + 'abc\`, "unterminated string literal (detected at line 1)", 1, 5},
	{"'abc\ndef'", "unterminated string literal (detected at line 1)", 1, 1},
	{"\"\"\"abc\ndef", "unterminated triple-quoted string literal (detected at line 2)", 1, 1},
	{`b"x"`, "bytes literals are not supported", 1, 1},
	{`x + Rb'x'`, "bytes literals are not supported", 1, 5},
	{`ub"x"`, "invalid syntax", 1, 3},
	{`"\x1"`, `(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \xXX escape`, 1, 1},
	{`"\u12"`, `(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \uXXXX escape`, 1, 1},
	{`"\U00110000"`, `(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character`, 1, 1},
	{`"\N{NO SUCH NAME}"`, `(unicode error) 'unicodeescape' codec can't decode bytes in position 0-15: unknown Unicode character name`, 1, 1},
	{`"\N"`, `(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \N character escape`, 1, 1},

	// f-strings.
	{`f"abc`, "unterminated f-string literal (detected at line 1)", 1, 1},
	{"f'abc\ndef'", "unterminated f-string literal (detected at line 1)", 1, 1},
	{"f'''abc", "unterminated triple-quoted f-string literal (detected at line 1)", 1, 1},
	{`f"{x"`, "f-string: expecting '}'", 1, 5},
	{`f"{"`, "f-string: expecting '}'", 1, 4},
	{`f"{x:abc"`, "f-string: expecting '}'", 1, 9},
	{`f"}"`, "f-string: single '}' is not allowed", 1, 3},
	{`f'{x}}'`, "f-string: single '}' is not allowed", 1, 6},
	{`f"{}"`, "f-string: valid expression required before '}'", 1, 4},
	{`f"{ }"`, "f-string: valid expression required before '}'", 1, 5},
	{`f"{!r}"`, "f-string: valid expression required before '!'", 1, 4},
	{`f"{=}"`, "f-string: valid expression required before '='", 1, 4},
	{`f"{:x}"`, "f-string: valid expression required before ':'", 1, 4},
	{`f"{x:{}}"`, "f-string: valid expression required before '}'", 1, 7},
	{`f"{x!z}"`, "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", 1, 6},
	{`f"{x!rr}"`, "f-string: invalid conversion character 'rr': expected 's', 'r', or 'a'", 1, 6},
	{`f"{x!}"`, "f-string: missing conversion character", 1, 6},
	{`f"{x! r}"`, "f-string: conversion type must come right after the exclamanation mark", 1, 5},
	{`f"{x!r=}"`, "f-string: expecting ':' or '}'", 1, 7},
	{`f"{x for x in y}"`, "f-string: expecting '=', or '!', or ':', or '}'", 1, 6},
	{`f"{1 +}"`, "f-string: expecting '=', or '!', or ':', or '}'", 1, 7},
	{`f"{lambda x: 1}"`, "f-string: lambda expressions are not allowed without parentheses", 1, 4},
	{`f"{)}"`, "f-string: unmatched ')'", 1, 4},
	{`f"{x]}"`, "f-string: unmatched ']'", 1, 5},
	{`f"{x!r:{y!z}}"`, "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", 1, 11},
	{`f"{yield}"`, "'yield' is not supported in expressions", 1, 4},
	{`f"{*a}"`, "cannot use starred expression here", 1, 4},
	{`fb"x"`, "invalid syntax", 1, 3},

	// Positions count runes, lines count from 1.
	{"'héllo' +", "unexpected EOF while parsing", 1, 10},
	{"(1,\n 2,\n 3 +)", "invalid syntax", 3, 5},
	{"[\n  'é',\n  x y]", "invalid syntax. Perhaps you forgot a comma?", 3, 3},
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.src, func(t *testing.T) {
			_, err := Parse(tc.src)
			require.Error(t, err)
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, KindSyntax, se.Kind)
			assert.Equal(t, tc.msg, se.Msg)
			assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{se.Line, se.Column}, "line, column")
			assert.True(t, se.Offset >= 0 && se.Offset <= len(tc.src), "offset %d inside source", se.Offset)
			line, col := LineCol(tc.src, se.Offset)
			assert.Equal(t, [2]int{se.Line, se.Column}, [2]int{line, col}, "offset agrees with line, column")
		})
	}
}

func TestSnippet(t *testing.T) {
	src := "[\n\tx +* 2]"
	_, err := Parse(src)
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "SyntaxError: cannot use starred expression here (line 2, column 5)", se.Error())
	assert.Equal(t, "\tx +* 2]\n\t   ^", se.Snippet(src))

	src = "'é' + )"
	_, err = Parse(src)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "'é' + )\n      ^", se.Snippet(src))

	// At the end of the source.
	src = "x +\r\n"
	_, err = Parse(src)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "x +\n   ^", se.Snippet(src))
}

func TestLineCol(t *testing.T) {
	src := "ab\nçd\n"
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {6, 2, 3}, {7, 3, 1}, {100, 3, 1}, {-1, 1, 1},
	} {
		line, col := LineCol(src, tc.off)
		assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{line, col}, "offset %d", tc.off)
	}
}

func TestLimits(t *testing.T) {
	deep := func(open, mid, close string, n int) string {
		return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
	}
	cases := []struct {
		name string
		src  string
		msg  string
	}{
		{"parens", deep("(", "x", ")", 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"unclosed parens", strings.Repeat("(", 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"lists", deep("[", "", "]", 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"dicts", deep("{'a':", "1", "}", 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"calls", deep("f(", "", ")", 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"unary minus", strings.Repeat("-", 100_000) + "x", "expression is nested too deeply (more than 100 levels)"},
		{"not", strings.Repeat("not ", 100_000) + "x", "expression is nested too deeply (more than 100 levels)"},
		{"power", strings.Repeat("2**", 100_000) + "2", "expression is nested too deeply (more than 100 levels)"},
		{"lambda", strings.Repeat("lambda:", 100_000) + "1", "expression is nested too deeply (more than 100 levels)"},
		{"conditional", strings.Repeat("a if b else ", 50_000) + "c", "expression is nested too deeply (more than 100 levels)"},
		{"f-strings", deep(`f"{`, "x", `}"`, 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"format specs", deep(`f"{x:{`, "x", `}}"`, 100_000), "expression is nested too deeply (more than 100 levels)"},
		{"nodes", strings.Repeat("x+", 60_000) + "x", "expression is too large (more than 100000 nodes)"},
		{"attributes", "x" + strings.Repeat(".a", 100_001), "expression is too large (more than 100000 nodes)"},
		{"source", "'" + strings.Repeat("a", 1<<20) + "'", "source is too long (1048578 bytes, limit 1048576)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse(tc.src)
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, KindLimit, se.Kind)
			assert.Equal(t, tc.msg, se.Msg)
			assert.True(t, strings.HasPrefix(se.Error(), "LimitError: "))
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}

	// Just below the default depth is fine.
	_, err := Parse(deep("(", "x", ")", 99))
	require.NoError(t, err)
	_, err = Parse(deep("[", "", "]", 100))
	require.NoError(t, err)

	// Custom limits.
	lim := Limits{MaxDepth: 3, MaxNodes: 5, MaxSource: 20}
	_, err = ParseWithLimits("((1))", lim)
	require.NoError(t, err)
	for _, src := range []string{"((((1))))", "[[[[1]]]]", "1+2+3+4", strings.Repeat(" ", 21)} {
		_, err = ParseWithLimits(src, lim)
		var se *Error
		require.ErrorAs(t, err, &se, src)
		assert.Equal(t, KindLimit, se.Kind, src)
	}
	_, err = ParseFStringBodyWithLimits("{x} {y} {z}", Limits{MaxNodes: 3})
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, KindLimit, se.Kind)

	// Huge decimal literals are refused like CPython's int_max_str_digits.
	_, err = Parse(strings.Repeat("9", 6000))
	require.ErrorAs(t, err, &se)
	assert.Equal(t, KindLimit, se.Kind)
}

// TestLinearTime checks inputs that a careless parser handles in quadratic
// time or worse.
func TestLinearTime(t *testing.T) {
	cases := map[string]string{
		"adjacent strings":   strings.Repeat("'ab' ", 200_000),
		"adjacent f-strings": strings.Repeat("f'a{x}' ", 20_000),
		"mixed literals":     strings.Repeat("'a' f'b' ", 50_000),
		"long string":        "'" + strings.Repeat(`\n`, 400_000) + "'",
		"long f-string":      "f'" + strings.Repeat(`{{}}\t`, 100_000) + "'",
		"long name":          strings.Repeat("x", 1_000_000),
		"error at the end":   strings.Repeat("x + ", 20_000) + "(",
		"many brackets":      strings.Repeat("[1, (2, {3: 4})], ", 20_000),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse(src)
			if err != nil {
				var se *Error
				require.ErrorAs(t, err, &se)
			}
			assert.Less(t, time.Since(start), time.Second)
		})
	}
}
