package syntax

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits bounds the work the parser accepts, so that hostile or accidental
// input (megabytes of text, "((((...))))" nested 100,000 deep) is refused
// quickly with a LimitError instead of exhausting the stack or memory.
// A zero field means its default.
type Limits struct {
	// MaxSource is the maximum length of the source in bytes.
	// Default DefaultMaxSource (1 MiB).
	MaxSource int
	// MaxDepth is the maximum nesting depth: brackets, f-string replacement
	// fields, and nested operands (unary operators, "not", "**" exponents,
	// lambda bodies, conditional expressions) each add a level; chains of
	// left-associative operators, calls, subscripts and attributes do not.
	// Default DefaultMaxDepth (100).
	MaxDepth int
	// MaxNodes is the maximum number of nodes of the tree (Keyword,
	// Comprehension and Param records included). Default DefaultMaxNodes
	// (100,000).
	MaxNodes int
}

// The default limits.
const (
	DefaultMaxSource = 1 << 20
	DefaultMaxDepth  = 100
	DefaultMaxNodes  = 100_000
)

// DefaultLimits are the limits Parse and ParseFStringBody use.
var DefaultLimits = Limits{MaxSource: DefaultMaxSource, MaxDepth: DefaultMaxDepth, MaxNodes: DefaultMaxNodes}

func (l Limits) withDefaults() Limits {
	if l.MaxSource <= 0 {
		l.MaxSource = DefaultMaxSource
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultMaxNodes
	}
	return l
}

// Parse parses src as one Python expression (the text after "$ " of a task
// string) with DefaultLimits. Leading and trailing whitespace, blank lines
// and comments are allowed; anything after the expression (a second line, an
// assignment, "; x") is an error. The error is always an *Error.
func Parse(src string) (Expr, error) {
	return ParseWithLimits(src, DefaultLimits)
}

// ParseWithLimits is Parse with explicit limits.
func ParseWithLimits(src string, lim Limits) (Expr, error) {
	p, err := newParser(src, lim)
	if err != nil {
		return nil, err
	}
	defer p.release()
	var e Expr
	if err := p.run(func() {
		e = p.parseTop()
	}); err != nil {
		return nil, err
	}
	return e, nil
}

// ParseFStringBody parses text as the body of an f-string, without prefix
// and quotes, as Julep wraps it:
//
//	ParseFStringBody("Hello {name}!") // the JoinedStr of f'''Hello {name}!'''
//
// This serves Julep's rule that plain task strings are f-strings. Quotes in
// the literal text are ordinary characters (there is no closing quote), and
// backslash escapes are decoded as in a non-raw literal. Offsets in the tree
// and in errors are relative to text. An empty text gives a JoinedStr with
// no values.
func ParseFStringBody(text string) (*JoinedStr, error) {
	return ParseFStringBodyWithLimits(text, DefaultLimits)
}

// ParseFStringBodyWithLimits is ParseFStringBody with explicit limits.
func ParseFStringBodyWithLimits(text string, lim Limits) (*JoinedStr, error) {
	p, err := newParser(text, lim)
	if err != nil {
		return nil, err
	}
	defer p.release()
	var js *JoinedStr
	if err := p.run(func() {
		p.lx.modes = append(p.lx.modes, fmode{body: true, triple: true})
		p.advance()
		js = p.fstringParts(0)
		if p.tok.kind != tEOF {
			p.failf(p.tok.pos, "invalid syntax")
		}
	}); err != nil {
		return nil, err
	}
	return js, nil
}

// bailout carries an error out of the recursive descent.
type bailout struct{ err *Error }

type parser struct {
	src      string
	lx       lexer
	tok      token    // current token
	ahead    []token  // lookahead tokens, already lexed
	aheadBuf [4]token // backing store for ahead
	depth    int
	maxDepth int
	nodes    int
	maxNodes int
	// specDepth counts the format specs of the current f-string that the
	// parser is inside ({x:{y:{z}}} is 2 at z).
	specDepth int
}

func newParser(src string, lim Limits) (*parser, error) {
	lim = lim.withDefaults()
	if len(src) > lim.MaxSource {
		return nil, newError(KindLimit, src, lim.MaxSource,
			fmt.Sprintf("source is too long (%d bytes, limit %d)", len(src), lim.MaxSource))
	}
	if !utf8.ValidString(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRuneInString(src[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		return nil, newError(KindSyntax, src, off, fmt.Sprintf("invalid UTF-8 byte 0x%02x in source", src[off]))
	}
	p := parserPool.Get().(*parser)
	p.src, p.maxDepth, p.maxNodes = src, lim.MaxDepth, lim.MaxNodes
	p.lx.src, p.lx.maxDepth = src, lim.MaxDepth+1
	p.lx.brackets = p.lx.bracketBuf[:0]
	p.lx.modes = p.lx.modeBuf[:0]
	p.ahead = p.aheadBuf[:0]
	return p, nil
}

// parserPool recycles parsers (with their lexer's scratch buffer): the
// trees they build never point into them.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// release resets p and returns it to the pool.
func (p *parser) release() {
	buf := p.lx.buf[:0]
	if cap(buf) > 64<<10 {
		buf = nil
	}
	*p = parser{}
	p.lx.buf = buf
	parserPool.Put(p)
}

// run calls f, turning a bailout panic into the returned error.
func (p *parser) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			err = b.err
		}
	}()
	f()
	return nil
}

func (p *parser) fail(err *Error) {
	panic(bailout{err})
}

func (p *parser) failf(off int, format string, args ...any) {
	p.fail(newError(KindSyntax, p.src, off, fmt.Sprintf(format, args...)))
}

// failGeneric reports a generic syntax error at off, unless the rest of the
// source holds a lexical error (an unmatched bracket, an unterminated
// string...), which is more useful and is what CPython reports then.
func (p *parser) failGeneric(off int, msg string) {
	// Errors found only because the source ends (unclosed brackets) do not
	// count: the generic error comes first.
	useful := func(e *Error) bool {
		return e.Kind == KindSyntax && e.Offset < len(p.src) && !strings.HasSuffix(e.Msg, "was never closed") &&
			e.Msg != "unexpected character after line continuation character"
	}
	for _, t := range p.ahead {
		if t.kind == tError && useful(t.err) {
			p.fail(t.err)
		}
	}
	if p.tok.kind != tEOF {
		for {
			t := p.lx.next()
			if t.kind == tEOF {
				break
			}
			if t.kind == tError {
				if useful(t.err) {
					p.fail(t.err)
				}
				break
			}
		}
	}
	p.fail(newError(KindSyntax, p.src, off, msg))
}

// advance moves to the next token; reaching a lexical error reports it.
func (p *parser) advance() {
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		copy(p.ahead, p.ahead[1:])
		p.ahead = p.ahead[:len(p.ahead)-1]
	} else {
		p.tok = p.lx.next()
	}
	if p.tok.kind == tError {
		p.fail(p.tok.err)
	}
}

// peek returns the token after the current one (a tError token is returned
// as is; it is reported only when the parser moves onto it).
func (p *parser) peek() token {
	if len(p.ahead) == 0 {
		p.ahead = append(p.ahead, p.lx.next())
	}
	return p.ahead[0]
}

func (p *parser) enter() {
	p.depth++
	if p.depth > p.maxDepth {
		p.fail(newError(KindLimit, p.src, p.tok.pos,
			fmt.Sprintf("expression is nested too deeply (more than %d levels)", p.maxDepth)))
	}
}

func (p *parser) leave() { p.depth-- }

// count accounts for n new nodes.
func (p *parser) count(n int) {
	p.nodes += n
	if p.nodes > p.maxNodes {
		p.fail(newError(KindLimit, p.src, p.tok.pos,
			fmt.Sprintf("expression is too large (more than %d nodes)", p.maxNodes)))
	}
}

func (p *parser) isOp(s string) bool {
	return p.tok.kind == tOp && p.tok.text == s && !p.tok.field
}

func (p *parser) isKw(s string) bool {
	return p.tok.kind == tName && p.tok.text == s
}

func (p *parser) isFieldClose() bool {
	return p.tok.kind == tOp && p.tok.field && p.tok.text == "}"
}

// isKeyword reports whether s is one of Python's hard keywords.
func isKeyword(s string) bool {
	switch s {
	case "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
		"def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
		"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield":
		return true
	}
	return false
}

// statementKeywords start statements, which expressions cannot contain.
var statementKeywords = map[string]bool{
	"assert": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "nonlocal": true, "pass": true, "raise": true, "return": true, "try": true, "while": true,
	"with": true,
}

// isName reports whether the current token is an identifier (not a keyword).
func (p *parser) isName() bool {
	return p.tok.kind == tName && !isKeyword(p.tok.text)
}

// syntaxError reports the current token as unexpected.
func (p *parser) syntaxError() {
	t := p.tok
	switch t.kind {
	case tEOF:
		p.failf(t.pos, "unexpected EOF while parsing")
	case tNewline:
		if p.peek().kind == tEOF {
			p.failf(t.pos, "unexpected EOF while parsing")
		}
		p.failGeneric(t.pos, "invalid syntax")
	case tName:
		switch t.text {
		case "yield":
			p.failf(t.pos, "'yield' is not supported in expressions")
		case "await":
			p.failf(t.pos, "'await' is not supported in expressions")
		case "async":
			p.failf(t.pos, "'async' is not supported in expressions")
		}
		if statementKeywords[t.text] && t.pos == p.firstTokenPos() {
			p.failGeneric(t.pos, fmt.Sprintf("statements are not supported: '%s' starts a statement, not an expression", t.text))
		}
	case tOp:
		switch t.text {
		case "{", "}", ":":
			if t.field {
				p.failf(t.pos, "f-string: expecting '=', or '!', or ':', or '}'")
			}
		}
	case tFEnd:
		p.failf(t.pos, "f-string: expecting '}'")
	}
	p.failGeneric(t.pos, "invalid syntax")
}

// firstTokenPos returns the offset of the first non-blank byte of the source.
func (p *parser) firstTokenPos() int {
	for i := 0; i < len(p.src); i++ {
		switch p.src[i] {
		case ' ', '\t', '\f', '\n', '\r':
			continue
		}
		return i
	}
	return len(p.src)
}

// parseTop parses a whole source: expressions, then the end.
func (p *parser) parseTop() Expr {
	p.advance()
	for p.tok.kind == tNewline {
		p.advance()
	}
	if p.tok.kind == tEOF {
		p.failf(0, "invalid syntax: empty expression")
	}
	start := p.tok.pos
	e := p.expressions(start)
	p.expectEnd(e)
	return e
}

// expressions parses expression (',' expression)* [','] as at the top level
// of eval input.
func (p *parser) expressions(start int) Expr {
	first := p.expression()
	if !p.isOp(",") {
		return first
	}
	elts := []Expr{first}
	end := exprEnd(first)
	for p.isOp(",") {
		end = p.tok.end
		p.advance()
		if !p.startsExpression() {
			break
		}
		e := p.expression()
		elts = append(elts, e)
		end = exprEnd(e)
	}
	p.count(1)
	return &Tuple{Range: Range{start, end}, Elts: elts}
}

// startsExpression reports whether the current token can begin an expression.
func (p *parser) startsExpression() bool {
	switch p.tok.kind {
	case tNumber, tString, tFStart:
		return true
	case tName:
		return !isKeyword(p.tok.text) || p.tok.text == "None" || p.tok.text == "True" || p.tok.text == "False" ||
			p.tok.text == "not" || p.tok.text == "lambda" || p.tok.text == "await" || p.tok.text == "yield"
	case tOp:
		if p.tok.field {
			return false
		}
		switch p.tok.text {
		case "(", "[", "{", "-", "+", "~", "*", "**", "...":
			return true
		}
	}
	return false
}

// expectEnd checks that nothing but blank space follows the expression e.
func (p *parser) expectEnd(e Expr) {
	if p.tok.kind == tNewline {
		nl := p.tok
		p.advance()
		if p.tok.kind == tEOF {
			return
		}
		line, _ := LineCol(p.src, nl.pos)
		p.failf(p.tok.pos, "statements are not supported: only one expression is allowed, but more text follows line %d", line)
	}
	t := p.tok
	if t.kind == tEOF {
		return
	}
	if t.kind == tOp {
		switch t.text {
		case "=":
			if what := assignTargetProblem(e); what != "" {
				p.failf(exprPos(e), "cannot assign to %s here. Maybe you meant '==' instead of '='?", what)
			}
			p.failf(t.pos, "statements are not supported: assignment (did you mean '=='?)")
		case "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**=":
			p.failf(t.pos, "statements are not supported: augmented assignment '%s'", t.text)
		case ";":
			p.failf(t.pos, "statements are not supported: ';' separates statements, only one expression is allowed")
		case ":=":
			p.failf(t.pos, "invalid syntax: an assignment expression (:=) must be parenthesized here")
		}
	}
	p.syntaxError()
}

// assignTargetProblem describes e when it cannot be an assignment target
// ("function call", "literal"...), or returns "" when it can.
func assignTargetProblem(e Expr) string {
	switch n := e.(type) {
	case *Name, *Attribute, *Subscript:
		return ""
	case *Starred:
		return assignTargetProblem(n.Value)
	case *Tuple:
		for _, x := range n.Elts {
			if w := assignTargetProblem(x); w != "" {
				return w
			}
		}
		return ""
	case *List:
		for _, x := range n.Elts {
			if w := assignTargetProblem(x); w != "" {
				return w
			}
		}
		return ""
	}
	return describe(e)
}

// describe names the kind of expression e, as CPython's error messages do.
func describe(e Expr) string {
	switch n := e.(type) {
	case *Name:
		return "name"
	case *Constant:
		switch n.Kind {
		case ConstNone:
			return "None"
		case ConstBool:
			if n.Value == true {
				return "True"
			}
			return "False"
		}
		return "literal"
	case *JoinedStr:
		return "f-string expression"
	case *Call:
		return "function call"
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	case *Starred:
		return "starred"
	case *Tuple:
		return "tuple"
	case *List:
		return "list"
	case *Set:
		return "set display"
	case *Dict:
		return "dict literal"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *GeneratorExp:
		return "generator expression"
	case *Lambda:
		return "lambda"
	case *IfExp:
		return "conditional expression"
	case *NamedExpr:
		return "named expression"
	case *Compare:
		return "comparison"
	case *UnaryOp, *BinOp, *BoolOp:
		return "expression"
	}
	return "expression"
}

func exprPos(e Expr) int {
	pos, _ := e.Span()
	return pos
}

func exprEnd(e Expr) int {
	_, end := e.Span()
	return end
}

// expression: lambda | disjunction ['if' disjunction 'else' expression]
func (p *parser) expression() Expr {
	p.enter()
	defer p.leave()
	if p.isKw("lambda") {
		return p.lambda()
	}
	x := p.disjunction()
	if !p.isKw("if") {
		return x
	}
	p.advance()
	test := p.disjunction()
	if !p.isKw("else") {
		if p.isOp(":") {
			p.syntaxError()
		}
		p.failGeneric(exprPos(x), "expected 'else' after 'if' expression")
	}
	p.advance()
	orelse := p.expression()
	p.count(1)
	return &IfExp{Range: Range{exprPos(x), exprEnd(orelse)}, Test: test, Body: x, OrElse: orelse}
}

// namedExpression: NAME ':=' expression | expression
func (p *parser) namedExpression() Expr {
	if p.isName() && p.peek().kind == tOp && p.peek().text == ":=" {
		p.count(2)
		target := &Name{Range: Range{p.tok.pos, p.tok.end}, Id: p.tok.text}
		p.advance()
		p.advance()
		value := p.expression()
		return &NamedExpr{Range: Range{target.Pos, exprEnd(value)}, Target: target, Value: value}
	}
	e := p.expression()
	if p.isOp(":=") {
		p.failf(exprPos(e), "cannot use assignment expressions with %s", describe(e))
	}
	return e
}

// starNamedExpression: '*' bitwise_or | namedExpression
func (p *parser) starNamedExpression() Expr {
	if p.isOp("*") {
		return p.starred()
	}
	return p.namedExpression()
}

func (p *parser) starred() Expr {
	star := p.tok
	p.advance()
	p.enter()
	v := p.binary(1)
	p.leave()
	p.count(1)
	return &Starred{Range: Range{star.pos, exprEnd(v)}, Value: v}
}

func (p *parser) disjunction() Expr {
	x := p.conjunction()
	if !p.isKw("or") {
		return x
	}
	values := []Expr{x}
	for p.isKw("or") {
		p.advance()
		values = append(values, p.conjunction())
	}
	p.count(1)
	return &BoolOp{Range: Range{exprPos(x), exprEnd(values[len(values)-1])}, Op: "or", Values: values}
}

func (p *parser) conjunction() Expr {
	x := p.inversion()
	if !p.isKw("and") {
		return x
	}
	values := []Expr{x}
	for p.isKw("and") {
		p.advance()
		values = append(values, p.inversion())
	}
	p.count(1)
	return &BoolOp{Range: Range{exprPos(x), exprEnd(values[len(values)-1])}, Op: "and", Values: values}
}

func (p *parser) inversion() Expr {
	if !p.isKw("not") {
		return p.comparison()
	}
	not := p.tok
	p.advance()
	p.enter()
	x := p.inversion()
	p.leave()
	p.count(1)
	return &UnaryOp{Range: Range{not.pos, exprEnd(x)}, Op: "not", Operand: x}
}

// compareOp returns the comparison operator at the current token, or "".
func (p *parser) compareOp() string {
	t := p.tok
	switch t.kind {
	case tOp:
		if t.field {
			return ""
		}
		switch t.text {
		case "<", ">", "==", ">=", "<=", "!=":
			return t.text
		}
	case tName:
		switch t.text {
		case "in", "is":
			return t.text
		case "not":
			if n := p.peek(); n.kind == tName && n.text == "in" {
				return "not in"
			}
		}
	}
	return ""
}

func (p *parser) comparison() Expr {
	x := p.binary(1)
	op := p.compareOp()
	if op == "" {
		if p.isOp("<>") {
			p.failf(p.tok.pos, "invalid syntax")
		}
		return x
	}
	c := &Compare{Left: x}
	for op != "" {
		c.OpPos = append(c.OpPos, p.tok.pos)
		p.advance()
		if op == "not in" {
			p.advance()
		} else if op == "is" && p.isKw("not") {
			op = "is not"
			p.advance()
		}
		c.Ops = append(c.Ops, op)
		c.Comparators = append(c.Comparators, p.binary(1))
		op = p.compareOp()
	}
	c.Range = Range{exprPos(x), exprEnd(c.Comparators[len(c.Comparators)-1])}
	p.count(1)
	return c
}

// binaryPrec returns the precedence of the binary operator at the current
// token (1 lowest: '|'), or 0.
func (p *parser) binaryPrec() int {
	if p.tok.kind != tOp || p.tok.field {
		return 0
	}
	switch p.tok.text {
	case "|":
		return 1
	case "^":
		return 2
	case "&":
		return 3
	case "<<", ">>":
		return 4
	case "+", "-":
		return 5
	case "*", "/", "//", "%", "@":
		return 6
	}
	return 0
}

// binary parses a chain of binary operators of precedence >= minPrec
// (precedence climbing, left associative).
func (p *parser) binary(minPrec int) Expr {
	x := p.factor()
	for {
		prec := p.binaryPrec()
		if prec < minPrec || prec == 0 {
			return x
		}
		op := p.tok
		p.advance()
		y := p.binary(prec + 1)
		p.count(1)
		x = &BinOp{Range: Range{exprPos(x), exprEnd(y)}, Left: x, Op: op.text, OpPos: op.pos, Right: y}
	}
}

// factor: ('+' | '-' | '~') factor | power
func (p *parser) factor() Expr {
	if p.tok.kind == tOp && !p.tok.field && (p.tok.text == "-" || p.tok.text == "+" || p.tok.text == "~") {
		op := p.tok
		p.advance()
		p.enter()
		x := p.factor()
		p.leave()
		p.count(1)
		return &UnaryOp{Range: Range{op.pos, exprEnd(x)}, Op: op.text, Operand: x}
	}
	return p.power()
}

// power: primary ['**' factor]
func (p *parser) power() Expr {
	if p.isKw("await") {
		p.failf(p.tok.pos, "'await' is not supported in expressions")
	}
	x := p.primary()
	if !p.isOp("**") {
		return x
	}
	op := p.tok
	p.advance()
	p.enter()
	y := p.factor()
	p.leave()
	p.count(1)
	return &BinOp{Range: Range{exprPos(x), exprEnd(y)}, Left: x, Op: "**", OpPos: op.pos, Right: y}
}

// primary: atom ('.' NAME | '(' args ')' | '[' slices ']')*
func (p *parser) primary() Expr {
	x := p.atom()
	for {
		if p.tok.kind != tOp || p.tok.field {
			return x
		}
		switch p.tok.text {
		case ".":
			p.advance()
			if p.tok.kind == tName && isKeyword(p.tok.text) {
				p.failGeneric(p.tok.pos, fmt.Sprintf("invalid syntax: '%s' is a keyword and cannot follow '.' (write [%q] to read that key)", p.tok.text, p.tok.text))
			}
			if p.tok.kind != tName {
				p.syntaxError()
			}
			p.count(1)
			x = &Attribute{Range: Range{exprPos(x), p.tok.end}, Value: x, Attr: p.tok.text, AttrPos: p.tok.pos}
			p.advance()
		case "(":
			x = p.call(x)
		case "[":
			x = p.subscript(x)
		default:
			return x
		}
	}
}

func (p *parser) atom() Expr {
	t := p.tok
	switch t.kind {
	case tName:
		switch t.text {
		case "None":
			p.advance()
			p.count(1)
			return &Constant{Range: Range{t.pos, t.end}, Kind: ConstNone}
		case "True", "False":
			p.advance()
			p.count(1)
			return &Constant{Range: Range{t.pos, t.end}, Kind: ConstBool, Value: t.text == "True"}
		}
		if isKeyword(t.text) {
			p.syntaxError()
		}
		p.advance()
		p.count(1)
		return &Name{Range: Range{t.pos, t.end}, Id: t.text}
	case tNumber:
		p.advance()
		p.count(1)
		return p.number(t)
	case tString, tFStart:
		return p.strings()
	case tOp:
		if t.field {
			break
		}
		switch t.text {
		case "...":
			p.advance()
			p.count(1)
			return &Constant{Range: Range{t.pos, t.end}, Kind: ConstEllipsis, Value: Ellipsis{}}
		case "(":
			return p.parenthesized()
		case "[":
			return p.listDisplay()
		case "{":
			return p.braceDisplay()
		case "*":
			p.failGeneric(t.pos, "cannot use starred expression here")
		}
	}
	p.syntaxError()
	return nil
}

// number converts a number token to a Constant.
func (p *parser) number(t token) *Constant {
	text := t.text
	if strings.IndexByte(text, '_') >= 0 {
		text = strings.ReplaceAll(text, "_", "")
	}
	c := &Constant{Range: Range{t.pos, t.end}, Kind: ConstInt}
	if last := text[len(text)-1]; last == 'j' || last == 'J' {
		f, err := strconv.ParseFloat(text[:len(text)-1], 64)
		if err != nil && !isRangeErr(err) {
			p.failf(t.pos, "invalid imaginary literal")
		}
		c.Kind, c.Value = ConstImag, complex(0, f)
		return c
	}
	base := 10
	digits := text
	if len(text) > 1 && text[0] == '0' {
		switch text[1] {
		case 'x', 'X':
			base, digits = 16, text[2:]
		case 'o', 'O':
			base, digits = 8, text[2:]
		case 'b', 'B':
			base, digits = 2, text[2:]
		}
	}
	if base == 10 && strings.ContainsAny(text, ".eE") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !isRangeErr(err) {
			p.failf(t.pos, "invalid decimal literal")
		}
		c.Kind, c.Value = ConstFloat, f
		return c
	}
	if v, err := strconv.ParseInt(digits, base, 64); err == nil {
		c.Value = v
		return c
	}
	if len(digits) > 5000 && base == 10 {
		// CPython refuses to convert huge decimal literals (int_max_str_digits).
		p.fail(newError(KindLimit, p.src, t.pos, fmt.Sprintf("integer literal is too long (%d digits, limit 4300)", len(digits))))
	}
	b, ok := new(big.Int).SetString(digits, base)
	if !ok {
		p.failf(t.pos, "invalid decimal literal")
	}
	c.Value = b
	return c
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parenthesized parses a group, a tuple or a generator expression.
func (p *parser) parenthesized() Expr {
	open := p.tok
	p.advance()
	if p.isOp(")") {
		end := p.tok.end
		p.advance()
		p.count(1)
		return &Tuple{Range: Range{open.pos, end}, Parenthesized: true}
	}
	if p.isKw("yield") {
		p.syntaxError()
	}
	first := p.starNamedExpression()
	if p.isKw("for") || p.isKw("async") {
		if _, ok := first.(*Starred); ok {
			p.failf(exprPos(first), "iterable unpacking cannot be used in comprehension")
		}
		gens := p.comprehensions()
		end := p.closeBracket(")", first)
		p.count(1)
		return &GeneratorExp{Range: Range{open.pos, end}, Elt: first, Generators: gens}
	}
	if p.isOp(",") {
		elts := []Expr{first}
		for p.isOp(",") {
			p.advance()
			if p.isOp(")") {
				break
			}
			elts = append(elts, p.starNamedExpression())
		}
		end := p.closeBracket(")", elts[len(elts)-1])
		p.count(1)
		return &Tuple{Range: Range{open.pos, end}, Elts: elts, Parenthesized: true}
	}
	p.closeBracket(")", first)
	if _, ok := first.(*Starred); ok {
		p.failf(exprPos(first), "cannot use starred expression here")
	}
	return first
}

// closeBracket expects the closing bracket c after the element last, and
// returns the offset after it.
func (p *parser) closeBracket(c string, last Expr) int {
	if !p.isOp(c) {
		if p.startsExpression() && last != nil {
			p.failGeneric(exprPos(last), "invalid syntax. Perhaps you forgot a comma?")
		}
		if p.isOp("=") && last != nil {
			if _, ok := last.(*Name); !ok {
				p.failf(exprPos(last), "expression cannot contain assignment, perhaps you meant \"==\"?")
			}
			p.failf(p.tok.pos, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?")
		}
		p.syntaxError()
	}
	end := p.tok.end
	p.advance()
	return end
}

func (p *parser) listDisplay() Expr {
	open := p.tok
	p.advance()
	if p.isOp("]") {
		end := p.tok.end
		p.advance()
		p.count(1)
		return &List{Range: Range{open.pos, end}}
	}
	first := p.starNamedExpression()
	elts, gens, end := p.displayRest(first, "]")
	if elts == nil {
		return &ListComp{Range: Range{open.pos, end}, Elt: first, Generators: gens}
	}
	return &List{Range: Range{open.pos, end}, Elts: elts}
}

// displayRest parses what follows the first element of a list or set
// display up to and including the closing bracket: either comprehension
// clauses (gens, with elts nil) or more elements (elts, starting with first).
// end is the offset after the closing bracket.
func (p *parser) displayRest(first Expr, closer string) (elts []Expr, gens []Comprehension, end int) {
	if p.isKw("for") || p.isKw("async") {
		if _, ok := first.(*Starred); ok {
			p.failf(exprPos(first), "iterable unpacking cannot be used in comprehension")
		}
		gens = p.comprehensions()
		end = p.closeBracket(closer, first)
		p.count(1)
		return nil, gens, end
	}
	elts = []Expr{first}
	for p.isOp(",") {
		p.advance()
		if p.isOp(closer) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	end = p.closeBracket(closer, elts[len(elts)-1])
	p.count(1)
	return elts, nil, end
}

// braceDisplay parses a dict or set display or comprehension.
func (p *parser) braceDisplay() Expr {
	open := p.tok
	p.advance()
	if p.isOp("}") {
		end := p.tok.end
		p.advance()
		p.count(1)
		return &Dict{Range: Range{open.pos, end}}
	}
	if p.isOp("**") {
		return p.dictRest(open, nil, nil)
	}
	if p.isOp("*") {
		return p.setRest(open, p.starred())
	}
	var first Expr
	if p.isName() && p.peek().kind == tOp && p.peek().text == ":=" {
		first = p.namedExpression()
		return p.setRest(open, first)
	}
	first = p.expression()
	if p.isOp(":=") {
		p.failf(exprPos(first), "cannot use assignment expressions with %s", describe(first))
	}
	if !p.isOp(":") {
		return p.setRest(open, first)
	}
	p.advance()
	value := p.expression()
	if p.isKw("for") || p.isKw("async") {
		gens := p.comprehensions()
		end := p.closeBracket("}", value)
		p.count(1)
		return &DictComp{Range: Range{open.pos, end}, Key: first, Value: value, Generators: gens}
	}
	return p.dictRest(open, first, value)
}

// dictRest parses the rest of a dict display after the first entry (key,
// value), or from the first "**" when key and value are nil.
func (p *parser) dictRest(open token, key, value Expr) Expr {
	d := &Dict{}
	var last Expr
	if value != nil {
		d.Keys = append(d.Keys, key)
		d.Values = append(d.Values, value)
		last = value
		if !p.isOp(",") {
			end := p.closeBracket("}", last)
			d.Range = Range{open.pos, end}
			p.count(1)
			return d
		}
		p.advance()
	}
	for !p.isOp("}") {
		if p.isOp("**") {
			star := p.tok
			p.advance()
			p.enter()
			v := p.binary(1)
			p.leave()
			if p.isKw("for") || p.isKw("async") {
				p.failf(star.pos, "dict unpacking cannot be used in dict comprehension")
			}
			d.Keys = append(d.Keys, nil)
			d.Values = append(d.Values, v)
			last = v
		} else {
			k := p.expression()
			if !p.isOp(":") {
				if p.isOp("}") || p.isOp(",") {
					p.failf(p.tok.pos, "':' expected after dictionary key")
				}
				p.syntaxError()
			}
			p.advance()
			v := p.expression()
			d.Keys = append(d.Keys, k)
			d.Values = append(d.Values, v)
			last = v
		}
		if !p.isOp(",") {
			break
		}
		p.advance()
	}
	end := p.closeBracket("}", last)
	d.Range = Range{open.pos, end}
	p.count(1)
	return d
}

// setRest parses the rest of a set display or comprehension after its first
// element.
func (p *parser) setRest(open token, first Expr) Expr {
	elts, gens, end := p.displayRest(first, "}")
	if elts == nil {
		return &SetComp{Range: Range{open.pos, end}, Elt: first, Generators: gens}
	}
	return &Set{Range: Range{open.pos, end}, Elts: elts}
}

// comprehensions parses one or more "for target in iter (if cond)*" clauses.
func (p *parser) comprehensions() []Comprehension {
	var gens []Comprehension
	for p.isKw("for") || p.isKw("async") {
		if p.isKw("async") {
			p.failf(p.tok.pos, "'async' is not supported in expressions")
		}
		forTok := p.tok
		p.advance()
		target := p.targetList()
		if !p.isKw("in") {
			p.syntaxError()
		}
		p.advance()
		p.enter()
		iter := p.disjunction()
		p.leave()
		c := Comprehension{Target: target, Iter: iter}
		end := exprEnd(iter)
		for p.isKw("if") {
			p.advance()
			p.enter()
			cond := p.disjunction()
			p.leave()
			c.Ifs = append(c.Ifs, cond)
			end = exprEnd(cond)
		}
		c.Range = Range{forTok.pos, end}
		p.count(1)
		gens = append(gens, c)
	}
	return gens
}

// targetList parses the target of a comprehension: target (',' target)* [','].
func (p *parser) targetList() Expr {
	first := p.target()
	if !p.isOp(",") {
		return first
	}
	elts := []Expr{first}
	end := exprEnd(first)
	for p.isOp(",") {
		end = p.tok.end
		p.advance()
		if p.isKw("in") || p.isOp(")") || p.isOp("]") {
			break
		}
		e := p.target()
		elts = append(elts, e)
		end = exprEnd(e)
	}
	p.count(1)
	return &Tuple{Range: Range{exprPos(first), end}, Elts: elts}
}

// target parses one assignment target: a name, a starred target or a
// parenthesized or bracketed target list.
func (p *parser) target() Expr {
	p.enter()
	defer p.leave()
	t := p.tok
	switch {
	case p.isOp("*"):
		p.advance()
		v := p.target()
		if _, ok := v.(*Starred); ok {
			p.failf(exprPos(v), "multiple starred expressions in assignment")
		}
		p.count(1)
		return &Starred{Range: Range{t.pos, exprEnd(v)}, Value: v}
	case p.isOp("(") || p.isOp("["):
		closer := ")"
		if t.text == "[" {
			closer = "]"
		}
		p.advance()
		var elts []Expr
		for !p.isOp(closer) {
			elts = append(elts, p.target())
			if !p.isOp(",") {
				break
			}
			p.advance()
		}
		if !p.isOp(closer) {
			p.syntaxError()
		}
		end := p.tok.end
		p.advance()
		if closer == ")" && len(elts) == 1 && p.src[end-2] != ',' && !strings.HasSuffix(strings.TrimRight(p.src[exprEnd(elts[0]):end-1], " \t\r\n\f"), ",") {
			return elts[0] // (x) is x
		}
		p.count(1)
		if closer == "]" {
			return &List{Range: Range{t.pos, end}, Elts: elts}
		}
		return &Tuple{Range: Range{t.pos, end}, Elts: elts, Parenthesized: true}
	case p.isName():
		// A name followed by a trailer is an attribute, subscript or call.
		if n := p.peek(); n.kind == tOp && !n.field && (n.text == "." || n.text == "[" || n.text == "(") {
			p.targetError(p.primary())
		}
		p.advance()
		p.count(1)
		return &Name{Range: Range{t.pos, t.end}, Id: t.text}
	}
	if !p.startsExpression() {
		p.syntaxError()
	}
	e := p.binary(1)
	p.targetError(e)
	return nil
}

func (p *parser) targetError(e Expr) {
	switch e.(type) {
	case *Attribute, *Subscript:
		p.failf(exprPos(e), "comprehension target must be a name or a tuple of names (%s targets are not supported)", describe(e))
	}
	p.failf(exprPos(e), "cannot assign to %s", describe(e))
}

// call parses the argument list of a call of fn; the current token is '('.
func (p *parser) call(fn Expr) Expr {
	p.advance()
	c := &Call{Func: fn}
	var sawKeyword, sawDoubleStar bool
	var last Expr
	nargs := 0
	for !p.isOp(")") {
		argStart := p.tok.pos
		nargs++
		switch {
		case p.isOp("*"):
			if sawDoubleStar {
				p.failf(p.tok.pos, "iterable argument unpacking follows keyword argument unpacking")
			}
			p.enter()
			s := p.starred()
			p.leave()
			c.Args = append(c.Args, s)
			last = s
		case p.isOp("**"):
			p.advance()
			p.enter()
			v := p.expression()
			p.leave()
			p.count(1)
			c.Keywords = append(c.Keywords, Keyword{Range: Range{argStart, exprEnd(v)}, NamePos: argStart, Value: v})
			sawDoubleStar = true
			last = v
		case p.tok.kind == tName && p.peek().kind == tOp && p.peek().text == "=" && !p.peek().field:
			name := p.tok
			if isKeyword(name.text) {
				if name.text == "True" || name.text == "False" || name.text == "None" {
					p.failf(name.pos, "cannot assign to %s", name.text)
				}
				p.syntaxError()
			}
			p.advance()
			p.advance()
			p.enter()
			v := p.expression()
			p.leave()
			p.count(1)
			c.Keywords = append(c.Keywords, Keyword{Range: Range{name.pos, exprEnd(v)}, Name: name.text, NamePos: name.pos, Value: v})
			sawKeyword = true
			last = v
		default:
			p.enter()
			e := p.namedExpression()
			p.leave()
			if p.isKw("for") || p.isKw("async") {
				gens := p.comprehensions()
				p.count(1)
				g := &GeneratorExp{Range: Range{exprPos(e), gens[len(gens)-1].End}, Elt: e, Generators: gens}
				if nargs != 1 || !p.isOp(")") {
					p.failf(g.Pos, "Generator expression must be parenthesized")
				}
				e = g
			} else if p.isOp("=") {
				p.failf(exprPos(e), "expression cannot contain assignment, perhaps you meant \"==\"?")
			}
			if sawDoubleStar {
				p.failf(exprPos(e), "positional argument follows keyword argument unpacking")
			}
			if sawKeyword {
				p.failf(exprPos(e), "positional argument follows keyword argument")
			}
			c.Args = append(c.Args, e)
			last = e
		}
		if !p.isOp(",") {
			break
		}
		p.advance()
	}
	end := p.closeBracket(")", last)
	c.Range = Range{exprPos(fn), end}
	p.count(1)
	return c
}

// subscript parses [slices] after value; the current token is '['.
func (p *parser) subscript(value Expr) Expr {
	open := p.tok
	p.advance()
	p.enter()
	defer p.leave()
	first := p.slice()
	index := first
	if p.isOp(",") {
		elts := []Expr{first}
		end := exprEnd(first)
		for p.isOp(",") {
			end = p.tok.end
			p.advance()
			if p.isOp("]") {
				break
			}
			e := p.slice()
			elts = append(elts, e)
			end = exprEnd(e)
		}
		p.count(1)
		index = &Tuple{Range: Range{exprPos(first), end}, Elts: elts}
	} else if _, ok := first.(*Starred); ok {
		// a[*b] is a[(*b,)].
		p.count(1)
		index = &Tuple{Range: first.(*Starred).Range, Elts: []Expr{first}}
	}
	end := p.closeBracket("]", first)
	_ = open
	p.count(1)
	return &Subscript{Range: Range{exprPos(value), end}, Value: value, Index: index}
}

// slice: [expression] ':' [expression] [':' [expression]] | namedExpression | starred
func (p *parser) slice() Expr {
	start := p.tok.pos
	if p.isOp("*") {
		return p.starred()
	}
	var lower Expr
	if !p.isOp(":") {
		if p.isOp("]") {
			p.syntaxError()
		}
		parenthesized := p.isOp("(")
		lower = p.namedExpression()
		if !p.isOp(":") {
			return lower
		}
		if _, ok := lower.(*NamedExpr); ok && !parenthesized {
			p.syntaxError()
		}
	}
	s := &Slice{Lower: lower}
	end := p.tok.end // the first ':'
	p.advance()
	if !p.isOp(":") && !p.isOp(",") && !p.isOp("]") {
		s.Upper = p.expression()
		end = exprEnd(s.Upper)
	}
	if p.isOp(":") {
		end = p.tok.end
		p.advance()
		if !p.isOp(",") && !p.isOp("]") {
			s.Step = p.expression()
			end = exprEnd(s.Step)
		}
	}
	s.Range = Range{start, end}
	p.count(1)
	return s
}

// lambda: 'lambda' [params] ':' expression
func (p *parser) lambda() Expr {
	kw := p.tok
	p.advance()
	l := &Lambda{}
	var sawDefault, sawStar, sawSlash, sawVarKw bool
	bareStar := -1
	seen := map[string]bool{}
	for !p.isOp(":") {
		t := p.tok
		if sawVarKw {
			p.failf(t.pos, "arguments cannot follow var-keyword argument")
		}
		switch {
		case p.isOp("/"):
			if sawSlash {
				p.failf(t.pos, "/ may appear only once")
			}
			if sawStar {
				p.failf(t.pos, "/ must be ahead of *")
			}
			if len(l.Params) == 0 {
				p.failf(t.pos, "at least one argument must precede /")
			}
			sawSlash = true
			for i := range l.Params {
				l.Params[i].Kind = ParamPosOnly
			}
			p.advance()
		case p.isOp("*"):
			if sawStar {
				p.failf(t.pos, "* argument may appear only once")
			}
			sawStar = true
			p.advance()
			if p.isName() {
				name := p.tok
				p.advance()
				if p.isOp("=") {
					p.failf(p.tok.pos, "var-positional argument cannot have default value")
				}
				l.Params = append(l.Params, p.param(seen, name, t.pos, ParamVarArgs, nil))
			} else {
				bareStar = t.pos
				if !p.isOp(",") {
					p.failf(t.pos, "named arguments must follow bare *")
				}
			}
		case p.isOp("**"):
			p.advance()
			if !p.isName() {
				p.syntaxError()
			}
			name := p.tok
			p.advance()
			if p.isOp("=") {
				p.failf(p.tok.pos, "var-keyword argument cannot have default value")
			}
			l.Params = append(l.Params, p.param(seen, name, t.pos, ParamVarKw, nil))
			sawVarKw = true
		case p.isName():
			p.advance()
			kind := ParamNormal
			if sawStar {
				kind = ParamKwOnly
			}
			var def Expr
			if p.isOp("=") {
				p.advance()
				def = p.expression()
				if kind == ParamNormal {
					sawDefault = true
				}
			} else if sawDefault && kind == ParamNormal {
				p.failf(t.pos, "parameter without a default follows parameter with a default")
			}
			l.Params = append(l.Params, p.param(seen, t, t.pos, kind, def))
		default:
			p.syntaxError()
		}
		if !p.isOp(",") {
			break
		}
		p.advance()
	}
	if bareStar >= 0 && (len(l.Params) == 0 || l.Params[len(l.Params)-1].Kind != ParamKwOnly && l.Params[len(l.Params)-1].Kind != ParamVarKw) {
		p.failf(bareStar, "named arguments must follow bare *")
	}
	if !p.isOp(":") {
		p.syntaxError()
	}
	p.advance()
	l.Body = p.expression()
	l.Range = Range{kw.pos, exprEnd(l.Body)}
	p.count(1)
	return l
}

func (p *parser) param(seen map[string]bool, name token, start int, kind ParamKind, def Expr) Param {
	if seen[name.text] {
		p.failf(name.pos, "duplicate argument '%s' in function definition", name.text)
	}
	seen[name.text] = true
	end := name.end
	if def != nil {
		end = exprEnd(def)
	}
	p.count(1)
	return Param{Range: Range{start, end}, Name: name.text, Kind: kind, Default: def}
}

// strings parses one or more adjacent string literals (implicit
// concatenation) into a Constant or, when one is an f-string, a JoinedStr.
func (p *parser) strings() Expr {
	first := p.tok
	if first.kind == tString {
		p.advance()
		if p.tok.kind != tString && p.tok.kind != tFStart {
			p.count(1)
			return &Constant{Range: Range{first.pos, first.end}, Kind: ConstStr, Value: first.text}
		}
	}
	if first.kind == tFStart {
		js := p.fstring()
		if p.tok.kind != tString && p.tok.kind != tFStart {
			p.count(1 + len(js.Values))
			return js
		}
		return p.concatStrings(first, js)
	}
	return p.concatStrings(first, nil)
}

// concatStrings concatenates the adjacent literals starting with first;
// when first is an f-string, js is its already parsed tree.
func (p *parser) concatStrings(first token, js *JoinedStr) Expr {
	// Literal text accumulates in lit (spanning litPos..litEnd) and becomes
	// one Constant when a replacement field or the end comes, so that long
	// runs of literals cost linear time.
	var parts []Expr
	var lit strings.Builder
	litPos, litEnd := -1, -1
	addLit := func(s string, pos, end int) {
		if s == "" {
			return
		}
		if litPos < 0 {
			litPos = pos
		}
		lit.WriteString(s)
		litEnd = end
	}
	flush := func() {
		if litPos >= 0 {
			parts = append(parts, &Constant{Range: Range{litPos, litEnd}, Kind: ConstStr, Value: lit.String()})
			lit.Reset()
			litPos = -1
		}
	}
	addParts := func(js *JoinedStr) {
		for _, v := range js.Values {
			if c, ok := v.(*Constant); ok {
				addLit(c.Value.(string), c.Pos, c.End)
			} else {
				flush()
				parts = append(parts, v)
			}
		}
	}
	hasF := false
	end := first.end
	if first.kind == tString {
		addLit(first.text, first.pos, first.end)
	} else {
		hasF = true
		addParts(js)
		end = js.End
	}
	for p.tok.kind == tString || p.tok.kind == tFStart {
		t := p.tok
		if t.kind == tString {
			addLit(t.text, t.pos, t.end)
			end = t.end
			p.advance()
			continue
		}
		hasF = true
		js := p.fstring()
		addParts(js)
		end = js.End
	}
	if !hasF {
		p.count(1)
		return &Constant{Range: Range{first.pos, end}, Kind: ConstStr, Value: lit.String()}
	}
	flush()
	p.count(1 + len(parts))
	return &JoinedStr{Range: Range{first.pos, end}, Values: parts}
}

// appendLiteral appends a literal string part, merging it with a preceding
// literal and dropping empty ones.
func appendLiteral(parts []Expr, s string, pos, end int) []Expr {
	if s == "" {
		return parts
	}
	if n := len(parts); n > 0 {
		if c, ok := parts[n-1].(*Constant); ok {
			c.Value = c.Value.(string) + s
			c.End = end
			return parts
		}
	}
	return append(parts, &Constant{Range: Range{pos, end}, Kind: ConstStr, Value: s})
}

// fstring parses one f-string; the current token is its tFStart.
func (p *parser) fstring() *JoinedStr {
	start := p.tok
	p.advance()
	outer := p.specDepth // a nested f-string counts its own specs
	p.specDepth = 0
	defer func() { p.specDepth = outer }()
	js := p.fstringParts(start.pos)
	if p.tok.kind != tFEnd {
		p.syntaxError()
	}
	js.End = p.tok.end
	p.advance()
	return js
}

// fstringParts parses literal parts and replacement fields up to (not
// including) the tFEnd token (or tEOF for ParseFStringBody).
func (p *parser) fstringParts(pos int) *JoinedStr {
	js := &JoinedStr{Range: Range{pos, pos}}
	for {
		switch {
		case p.tok.kind == tFMiddle:
			js.Values = appendLiteral(js.Values, p.tok.text, p.tok.pos, p.tok.end)
			p.advance()
		case p.tok.kind == tOp && p.tok.field && p.tok.text == "{":
			if p.specDepth > 2 {
				// As CPython 3.12: f'{1:{2:{3:{4}}}}'.
				p.failf(p.tok.pos, "f-string: expressions nested too deeply")
			}
			js.Values = append(js.Values, p.field())
		default:
			js.End = p.tok.pos
			return js
		}
	}
}

// field parses a replacement field; the current token is its '{'.
func (p *parser) field() *FormattedValue {
	open := p.tok
	p.advance()
	p.enter()
	defer p.leave()
	fv := &FormattedValue{}
	switch {
	case p.isFieldClose(), p.tok.kind == tOp && p.tok.field && p.tok.text == ":", p.isOp("!"), p.isOp("="):
		p.failf(p.tok.pos, "f-string: valid expression required before '%s'", p.tok.text)
	case p.isKw("lambda"):
		p.failf(p.tok.pos, "f-string: lambda expressions are not allowed without parentheses")
	case p.tok.kind == tFEnd || p.tok.kind == tEOF:
		p.failf(p.tok.pos, "f-string: expecting '}'")
	case !p.startsExpression():
		p.failGeneric(p.tok.pos, "f-string: expecting a valid expression after '{'")
	}
	// (yield_expr | star_expressions)
	var first Expr
	if p.isOp("*") {
		first = p.starred()
	} else {
		first = p.expression()
	}
	fv.Value = first
	if p.isOp(",") {
		elts := []Expr{first}
		end := exprEnd(first)
		for p.isOp(",") {
			end = p.tok.end
			p.advance()
			if !p.startsExpression() {
				break
			}
			var e Expr
			if p.isOp("*") {
				e = p.starred()
			} else {
				e = p.expression()
			}
			elts = append(elts, e)
			end = exprEnd(e)
		}
		p.count(1)
		fv.Value = &Tuple{Range: Range{exprPos(first), end}, Elts: elts}
	} else if _, ok := first.(*Starred); ok {
		p.failf(exprPos(first), "cannot use starred expression here")
	}
	if p.isOp("=") {
		// As CPython: the text from after '{' through '=' and the
		// whitespace that follows it.
		p.advance()
		fv.DebugText = DropComments(p.src[open.end:p.tok.pos])
	}
	if p.isOp("!") {
		bang := p.tok
		p.advance()
		if p.tok.kind != tName {
			p.failf(p.tok.pos, "f-string: missing conversion character")
		}
		if p.tok.pos != bang.end {
			p.failf(bang.pos, "f-string: conversion type must come right after the exclamanation mark")
		}
		switch p.tok.text {
		case "r", "s", "a":
			fv.Conversion = rune(p.tok.text[0])
		default:
			p.failf(p.tok.pos, "f-string: invalid conversion character '%s': expected 's', 'r', or 'a'", p.tok.text)
		}
		p.advance()
	}
	if p.tok.kind == tOp && p.tok.field && p.tok.text == ":" {
		colon := p.tok
		p.advance()
		p.count(1)
		p.specDepth++
		fv.FormatSpec = p.fstringParts(colon.end)
		p.specDepth--
	}
	if !p.isFieldClose() {
		switch {
		case p.tok.kind == tFEnd || p.tok.kind == tEOF:
			p.failf(p.tok.pos, "f-string: expecting '}'")
		case fv.Conversion != 0 || fv.DebugText != "":
			p.failf(p.tok.pos, "f-string: expecting ':' or '}'")
		}
		p.failf(p.tok.pos, "f-string: expecting '=', or '!', or ':', or '}'")
	}
	fv.Range = Range{open.pos, p.tok.end}
	p.advance()
	if fv.DebugText != "" && fv.Conversion == 0 && fv.FormatSpec == nil {
		fv.Conversion = 'r'
	}
	p.count(1)
	return fv
}

// DropComments removes the comments ('#' to the end of the line, outside
// string literals) from the source text of a self-documenting f-string field,
// keeping the newlines, as CPython does: f"""{a # note\n=}""" shows "a \n=".
func DropComments(text string) string {
	if !strings.Contains(text, "#") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		switch c := text[i]; c {
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case '\'', '"':
			quote := text[i : i+1]
			if strings.HasPrefix(text[i:], strings.Repeat(quote, 3)) {
				quote = strings.Repeat(quote, 3)
			}
			j := i + len(quote)
			for j < len(text) && !strings.HasPrefix(text[j:], quote) {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+len(quote), len(text))
			b.WriteString(text[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
