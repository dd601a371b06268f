// Package syntax is the lexer and parser of the Python 3.12 expression subset
// used by Julep tasks. Parse turns one expression (the text after "$ ") into a
// tree of the nodes defined here; ParseFStringBody parses the body of an
// f-string without its quotes (Julep's "plain strings are f-strings" rule).
//
// Every node records its span as byte offsets into the source given to the
// parser: Pos is the offset of its first byte and End the offset just after
// its last byte, so src[Pos:End] is the node's text (for nodes built from
// implicit string concatenation or from f-string parts the span covers the
// whole literal). As in CPython, the span of a parenthesized expression
// leaves out its parentheses, except for a Tuple or a generator expression
// written with them. Errors are *Error values with the offset, line and
// column of the problem, and Kind "SyntaxError" or "LimitError".
//
// The tree follows CPython's ast module (same node names and field meanings)
// restricted to expressions. Dump renders a node as a compact S-expression,
// used by the tests and handy when debugging the translator.
package syntax

// Node is any node of the tree: every Expr, and the helper records Keyword,
// Comprehension and Param.
type Node interface {
	// Span returns the byte offsets of the node's first byte and of the byte
	// just after its last one, in the source given to the parser.
	Span() (pos, end int)
}

// Expr is an expression node. The concrete types are the pointer types
// *Name, *Constant, *JoinedStr, *FormattedValue, *UnaryOp, *BinOp, *BoolOp,
// *Compare, *IfExp, *Lambda, *Call, *Attribute, *Subscript, *Slice, *List,
// *Tuple, *Set, *Dict, *Starred, *ListComp, *SetComp, *GeneratorExp,
// *DictComp and *NamedExpr.
type Expr interface {
	Node
	exprNode()
}

// Range is the span of a node, embedded in every node type.
type Range struct {
	Pos int // byte offset of the first byte of the node
	End int // byte offset just after the last byte of the node
}

// Span returns r.Pos and r.End.
func (r Range) Span() (pos, end int) { return r.Pos, r.End }

// Name is an identifier: a variable such as x, _ or steps.
type Name struct {
	Range
	Id string // the identifier, NFKC-normalized as Python does (ｘ is x)
}

// ConstKind tells which kind of value a Constant holds.
type ConstKind uint8

// The kinds of Constant.
const (
	ConstNone     ConstKind = iota // None; Value is nil
	ConstBool                      // True or False; Value is a bool
	ConstInt                       // integer literal; Value is an int64, or a *big.Int when it does not fit
	ConstFloat                     // float literal; Value is a float64
	ConstStr                       // string literal (after escapes and implicit concatenation); Value is a string
	ConstImag                      // imaginary literal (2j); Value is a complex128 with a zero real part
	ConstEllipsis                  // ...; Value is Ellipsis{}
)

// Ellipsis is the Value of the constant "...".
type Ellipsis struct{}

// String returns the kind's name: "None", "bool", "int", "float", "str",
// "complex" or "ellipsis".
func (k ConstKind) String() string {
	switch k {
	case ConstNone:
		return "None"
	case ConstBool:
		return "bool"
	case ConstInt:
		return "int"
	case ConstFloat:
		return "float"
	case ConstStr:
		return "str"
	case ConstImag:
		return "complex"
	case ConstEllipsis:
		return "ellipsis"
	}
	return "ConstKind(?)"
}

// Constant is a literal None, True, False, number or (non-f) string. Value
// uses the engine's value model: nil, bool, int64 or *big.Int (exact, the
// *big.Int form only when the value does not fit in an int64), float64, string.
// A literal part of a JoinedStr is also a Constant of kind ConstStr.
type Constant struct {
	Range
	Kind  ConstKind
	Value any
}

// JoinedStr is an f-string, or a concatenation of literals of which at least
// one is an f-string. Values holds, in order, *Constant (kind ConstStr, never
// empty, adjacent literal parts merged) and *FormattedValue parts.
type JoinedStr struct {
	Range
	Values []Expr
}

// FormattedValue is one replacement field {value!conv:spec} of an f-string.
type FormattedValue struct {
	Range           // the whole field, braces included
	Value      Expr // the expression
	Conversion rune // 'r', 's', 'a', or 0 when absent
	// FormatSpec is the part after ':' (itself an f-string body that may hold
	// nested fields), or nil when there is no ':'.
	FormatSpec *JoinedStr
	// DebugText is, for the self-documenting form {x=}, the source text from
	// just after '{' through the '=' and the whitespace after it (for
	// "{ x = !r}" it is " x = "), which is printed before the value;
	// empty otherwise. As in CPython, the debug form defaults to !r when it
	// has neither a conversion nor a format spec: the parser then sets
	// Conversion to 'r'.
	DebugText string
}

// UnaryOp is a prefix operator applied to Operand.
type UnaryOp struct {
	Range
	Op      string // "-", "+", "~" or "not"
	Operand Expr
}

// BinOp is a binary arithmetic or bitwise operation.
type BinOp struct {
	Range
	Left  Expr
	Op    string // "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^" or "@"
	OpPos int    // byte offset of the operator token
	Right Expr
}

// BoolOp is a chain of "and" or of "or" (a and b and c is one BoolOp with
// three values; mixed chains nest, "or" outermost).
type BoolOp struct {
	Range
	Op     string // "and" or "or"
	Values []Expr // at least two
}

// Compare is a comparison chain: Left Ops[0] Comparators[0] Ops[1] ...
// (a < b < c means a < b and b < c, b evaluated once).
type Compare struct {
	Range
	Left        Expr
	Ops         []string // "<", ">", "==", "!=", "<=", ">=", "in", "not in", "is", "is not"
	OpPos       []int    // byte offset of each operator's first token
	Comparators []Expr   // len(Comparators) == len(Ops)
}

// IfExp is the conditional expression Body if Test else OrElse.
type IfExp struct {
	Range
	Test   Expr
	Body   Expr
	OrElse Expr
}

// ParamKind is the kind of a lambda parameter.
type ParamKind uint8

// The kinds of Param, in the order Python requires them.
const (
	ParamPosOnly ParamKind = iota // before a "/" marker
	ParamNormal                   // positional or keyword
	ParamVarArgs                  // *args
	ParamKwOnly                   // after *args or a bare "*"
	ParamVarKw                    // **kwargs
)

// Param is one lambda parameter.
type Param struct {
	Range          // the name, with the default when there is one (and the * or **)
	Name    string // the parameter's name
	Kind    ParamKind
	Default Expr // nil when absent (always nil for ParamVarArgs and ParamVarKw)
}

// Lambda is lambda params: body. The "/" and bare "*" markers are not
// recorded as Params; their effect is in each Param's Kind.
type Lambda struct {
	Range
	Params []Param
	Body   Expr
}

// Keyword is a keyword argument name=value of a call, or **value when Name
// is empty.
type Keyword struct {
	Range
	Name    string // empty for **mapping
	NamePos int    // byte offset of the name (or of "**")
	Value   Expr
}

// Call is a function or method call. Args holds the positional arguments,
// *iterable ones as *Starred, in source order; Keywords the name=value and
// **mapping arguments in source order. The parser enforces CPython's rules
// (no positional argument after a keyword or ** argument, no *iterable after
// **), and CPython evaluates all of Args before Keywords even when a
// *iterable is written after a keyword argument, so evaluating Args then
// Keywords matches CPython.
type Call struct {
	Range
	Func     Expr
	Args     []Expr
	Keywords []Keyword
}

// Attribute is Value.Attr.
type Attribute struct {
	Range
	Value   Expr
	Attr    string
	AttrPos int // byte offset of the attribute name
}

// Subscript is Value[Index]. Index is an expression, a *Slice, or a *Tuple
// whose elements may be *Slice (d[1, 2], a[1:2, ::3]).
type Subscript struct {
	Range
	Value Expr
	Index Expr
}

// Slice is lower:upper:step inside a subscript; absent parts are nil.
type Slice struct {
	Range
	Lower Expr
	Upper Expr
	Step  Expr
}

// List is a list display [a, b, *c].
type List struct {
	Range
	Elts []Expr
}

// Tuple is a tuple display: (a, b), a, b at top level or in a subscript, or ().
type Tuple struct {
	Range
	Elts []Expr
	// Parenthesized is true when the tuple was written with its own
	// parentheses; then the span includes them.
	Parenthesized bool
}

// Set is a set display {a, b, *c} (never empty: {} is a Dict).
type Set struct {
	Range
	Elts []Expr
}

// Dict is a dict display {k: v, **d}. Keys[i] is nil when Values[i] is a
// mapping unpacked with **.
type Dict struct {
	Range
	Keys   []Expr
	Values []Expr
}

// Starred is *Value, in a call argument list, a display or a tuple.
type Starred struct {
	Range
	Value Expr
}

// Comprehension is one "for Target in Iter if Ifs..." clause.
type Comprehension struct {
	Range       // from "for" to the end of the last condition
	Target Expr // *Name, or *Tuple / *List of targets (nested allowed, may contain *Starred)
	Iter   Expr
	Ifs    []Expr
}

// ListComp is [Elt for ...].
type ListComp struct {
	Range
	Elt        Expr
	Generators []Comprehension
}

// SetComp is {Elt for ...}.
type SetComp struct {
	Range
	Elt        Expr
	Generators []Comprehension
}

// GeneratorExp is (Elt for ...), also the bare form as the only argument of
// a call: sum(x for x in y) (then the span is that of the argument).
type GeneratorExp struct {
	Range
	Elt        Expr
	Generators []Comprehension
}

// DictComp is {Key: Value for ...}.
type DictComp struct {
	Range
	Key        Expr
	Value      Expr
	Generators []Comprehension
}

// NamedExpr is the assignment expression Target := Value (walrus).
type NamedExpr struct {
	Range
	Target *Name
	Value  Expr
}

func (*Name) exprNode()           {}
func (*Constant) exprNode()       {}
func (*JoinedStr) exprNode()      {}
func (*FormattedValue) exprNode() {}
func (*UnaryOp) exprNode()        {}
func (*BinOp) exprNode()          {}
func (*BoolOp) exprNode()         {}
func (*Compare) exprNode()        {}
func (*IfExp) exprNode()          {}
func (*Lambda) exprNode()         {}
func (*Call) exprNode()           {}
func (*Attribute) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Slice) exprNode()          {}
func (*List) exprNode()           {}
func (*Tuple) exprNode()          {}
func (*Set) exprNode()            {}
func (*Dict) exprNode()           {}
func (*Starred) exprNode()        {}
func (*ListComp) exprNode()       {}
func (*SetComp) exprNode()        {}
func (*GeneratorExp) exprNode()   {}
func (*DictComp) exprNode()       {}
func (*NamedExpr) exprNode()      {}

// Inspect traverses the tree rooted at node in depth-first order, in source
// order of the children. It calls f(node); if f returns true it then inspects
// each non-nil child, and finally calls f(nil), as go/ast.Inspect does.
// Keyword, Comprehension and Param records are visited as *Keyword,
// *Comprehension and *Param (pointers into the parent's slice).
func Inspect(node Node, f func(Node) bool) {
	if node == nil || isNilNode(node) {
		return
	}
	if !f(node) {
		return
	}
	switch n := node.(type) {
	case *Name, *Constant:
	case *JoinedStr:
		for _, v := range n.Values {
			Inspect(v, f)
		}
	case *FormattedValue:
		Inspect(n.Value, f)
		if n.FormatSpec != nil {
			Inspect(n.FormatSpec, f)
		}
	case *UnaryOp:
		Inspect(n.Operand, f)
	case *BinOp:
		Inspect(n.Left, f)
		Inspect(n.Right, f)
	case *BoolOp:
		for _, v := range n.Values {
			Inspect(v, f)
		}
	case *Compare:
		Inspect(n.Left, f)
		for _, v := range n.Comparators {
			Inspect(v, f)
		}
	case *IfExp:
		// Source order: body if test else orelse.
		Inspect(n.Body, f)
		Inspect(n.Test, f)
		Inspect(n.OrElse, f)
	case *Lambda:
		for i := range n.Params {
			Inspect(&n.Params[i], f)
		}
		Inspect(n.Body, f)
	case *Param:
		Inspect(n.Default, f)
	case *Call:
		Inspect(n.Func, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
		for i := range n.Keywords {
			Inspect(&n.Keywords[i], f)
		}
	case *Keyword:
		Inspect(n.Value, f)
	case *Attribute:
		Inspect(n.Value, f)
	case *Subscript:
		Inspect(n.Value, f)
		Inspect(n.Index, f)
	case *Slice:
		Inspect(n.Lower, f)
		Inspect(n.Upper, f)
		Inspect(n.Step, f)
	case *List:
		for _, e := range n.Elts {
			Inspect(e, f)
		}
	case *Tuple:
		for _, e := range n.Elts {
			Inspect(e, f)
		}
	case *Set:
		for _, e := range n.Elts {
			Inspect(e, f)
		}
	case *Dict:
		for i := range n.Values {
			if n.Keys[i] != nil {
				Inspect(n.Keys[i], f)
			}
			Inspect(n.Values[i], f)
		}
	case *Starred:
		Inspect(n.Value, f)
	case *Comprehension:
		Inspect(n.Target, f)
		Inspect(n.Iter, f)
		for _, c := range n.Ifs {
			Inspect(c, f)
		}
	case *ListComp:
		Inspect(n.Elt, f)
		inspectGens(n.Generators, f)
	case *SetComp:
		Inspect(n.Elt, f)
		inspectGens(n.Generators, f)
	case *GeneratorExp:
		Inspect(n.Elt, f)
		inspectGens(n.Generators, f)
	case *DictComp:
		Inspect(n.Key, f)
		Inspect(n.Value, f)
		inspectGens(n.Generators, f)
	case *NamedExpr:
		Inspect(n.Target, f)
		Inspect(n.Value, f)
	}
	f(nil)
}

func inspectGens(gens []Comprehension, f func(Node) bool) {
	for i := range gens {
		Inspect(&gens[i], f)
	}
}

// isNilNode reports whether node is a typed nil pointer (an absent child
// stored in an interface).
func isNilNode(node Node) bool {
	switch n := node.(type) {
	case *Name:
		return n == nil
	case *Constant:
		return n == nil
	case *JoinedStr:
		return n == nil
	case *FormattedValue:
		return n == nil
	case *UnaryOp:
		return n == nil
	case *BinOp:
		return n == nil
	case *BoolOp:
		return n == nil
	case *Compare:
		return n == nil
	case *IfExp:
		return n == nil
	case *Lambda:
		return n == nil
	case *Call:
		return n == nil
	case *Attribute:
		return n == nil
	case *Subscript:
		return n == nil
	case *Slice:
		return n == nil
	case *List:
		return n == nil
	case *Tuple:
		return n == nil
	case *Set:
		return n == nil
	case *Dict:
		return n == nil
	case *Starred:
		return n == nil
	case *ListComp:
		return n == nil
	case *SetComp:
		return n == nil
	case *GeneratorExp:
		return n == nil
	case *DictComp:
		return n == nil
	case *NamedExpr:
		return n == nil
	case *Keyword:
		return n == nil
	case *Comprehension:
		return n == nil
	case *Param:
		return n == nil
	}
	return false
}
