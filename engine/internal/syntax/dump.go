package syntax

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Dump renders node as a compact S-expression, for tests and debugging:
//
//	Name                 x
//	Constant             None True 42 1.5 1e+100 inf "text" (floats as Python's repr,
//	                     strings Go-quoted)
//	UnaryOp              (- x) (+ x) (~ x) (not x)
//	BinOp                (+ a b) (** a b) (// a b) ...
//	BoolOp               (and a b c) (or a b)
//	Compare              (cmp a < b not-in c is-not d)
//	IfExp                (if TEST BODY ORELSE)
//	NamedExpr            (:= x v)
//	Lambda               (lambda (a b=1 / c * d **kw) BODY)   "/" ends positional-only
//	                     params, "*" alone marks a bare star, *args is "*args"
//	Call                 (call f a (* b) (kw name v) (** d))
//	Attribute            (. x name)
//	Subscript            (index x i)
//	Slice                (slice LOWER UPPER STEP), nil for an absent part
//	List, Tuple, Set     (list a b) (tuple a b) (set a b)
//	Dict                 (dict (a 1) (** d))
//	Starred              (* x)
//	ListComp ...         (listcomp ELT (for TARGET ITER (if C)...)...), setcomp, genexp
//	DictComp             (dictcomp KEY VALUE (for ...))
//	JoinedStr            (fstr "text" (fv x) ...)
//	FormattedValue       (fv VALUE [!r] [spec=(fstr ...)] [debug="x="])
//
// Keyword, Comprehension and Param records dump as in their parents. A nil
// node dumps as nil.
func Dump(node Node) string {
	var b strings.Builder
	dump(&b, node)
	return b.String()
}

func dump(b *strings.Builder, node Node) {
	if node == nil || isNilNode(node) {
		b.WriteString("nil")
		return
	}
	switch n := node.(type) {
	case *Name:
		b.WriteString(n.Id)
	case *Constant:
		b.WriteString(dumpConstant(n))
	case *JoinedStr:
		list(b, "fstr", n.Values)
	case *FormattedValue:
		b.WriteString("(fv ")
		dump(b, n.Value)
		if n.Conversion != 0 {
			b.WriteString(" !")
			b.WriteRune(n.Conversion)
		}
		if n.FormatSpec != nil {
			b.WriteString(" spec=")
			dump(b, n.FormatSpec)
		}
		if n.DebugText != "" {
			b.WriteString(" debug=")
			b.WriteString(strconv.Quote(n.DebugText))
		}
		b.WriteByte(')')
	case *UnaryOp:
		b.WriteByte('(')
		b.WriteString(n.Op)
		b.WriteByte(' ')
		dump(b, n.Operand)
		b.WriteByte(')')
	case *BinOp:
		b.WriteByte('(')
		b.WriteString(n.Op)
		b.WriteByte(' ')
		dump(b, n.Left)
		b.WriteByte(' ')
		dump(b, n.Right)
		b.WriteByte(')')
	case *BoolOp:
		list(b, n.Op, n.Values)
	case *Compare:
		b.WriteString("(cmp ")
		dump(b, n.Left)
		for i, op := range n.Ops {
			b.WriteByte(' ')
			b.WriteString(strings.ReplaceAll(op, " ", "-"))
			b.WriteByte(' ')
			dump(b, n.Comparators[i])
		}
		b.WriteByte(')')
	case *IfExp:
		b.WriteString("(if ")
		dump(b, n.Test)
		b.WriteByte(' ')
		dump(b, n.Body)
		b.WriteByte(' ')
		dump(b, n.OrElse)
		b.WriteByte(')')
	case *NamedExpr:
		b.WriteString("(:= ")
		dump(b, n.Target)
		b.WriteByte(' ')
		dump(b, n.Value)
		b.WriteByte(')')
	case *Lambda:
		b.WriteString("(lambda (")
		for i := range n.Params {
			pr := &n.Params[i]
			if i > 0 {
				b.WriteByte(' ')
			}
			if pr.Kind == ParamKwOnly && (i == 0 || n.Params[i-1].Kind != ParamKwOnly && n.Params[i-1].Kind != ParamVarArgs) {
				b.WriteString("* ")
			}
			dump(b, pr)
			if pr.Kind == ParamPosOnly && (i+1 == len(n.Params) || n.Params[i+1].Kind != ParamPosOnly) {
				b.WriteString(" /")
			}
		}
		b.WriteString(") ")
		dump(b, n.Body)
		b.WriteByte(')')
	case *Param:
		switch n.Kind {
		case ParamVarArgs:
			b.WriteByte('*')
		case ParamVarKw:
			b.WriteString("**")
		}
		b.WriteString(n.Name)
		if n.Default != nil {
			b.WriteByte('=')
			dump(b, n.Default)
		}
	case *Call:
		b.WriteString("(call ")
		dump(b, n.Func)
		for _, a := range n.Args {
			b.WriteByte(' ')
			dump(b, a)
		}
		for i := range n.Keywords {
			b.WriteByte(' ')
			dump(b, &n.Keywords[i])
		}
		b.WriteByte(')')
	case *Keyword:
		if n.Name == "" {
			b.WriteString("(** ")
		} else {
			b.WriteString("(kw ")
			b.WriteString(n.Name)
			b.WriteByte(' ')
		}
		dump(b, n.Value)
		b.WriteByte(')')
	case *Attribute:
		b.WriteString("(. ")
		dump(b, n.Value)
		b.WriteByte(' ')
		b.WriteString(n.Attr)
		b.WriteByte(')')
	case *Subscript:
		b.WriteString("(index ")
		dump(b, n.Value)
		b.WriteByte(' ')
		dump(b, n.Index)
		b.WriteByte(')')
	case *Slice:
		b.WriteString("(slice ")
		dump(b, n.Lower)
		b.WriteByte(' ')
		dump(b, n.Upper)
		b.WriteByte(' ')
		dump(b, n.Step)
		b.WriteByte(')')
	case *List:
		list(b, "list", n.Elts)
	case *Tuple:
		list(b, "tuple", n.Elts)
	case *Set:
		list(b, "set", n.Elts)
	case *Dict:
		b.WriteString("(dict")
		for i := range n.Values {
			if n.Keys[i] == nil {
				b.WriteString(" (** ")
			} else {
				b.WriteString(" (")
				dump(b, n.Keys[i])
				b.WriteByte(' ')
			}
			dump(b, n.Values[i])
			b.WriteByte(')')
		}
		b.WriteByte(')')
	case *Starred:
		b.WriteString("(* ")
		dump(b, n.Value)
		b.WriteByte(')')
	case *ListComp:
		comp(b, "listcomp", n.Generators, n.Elt)
	case *SetComp:
		comp(b, "setcomp", n.Generators, n.Elt)
	case *GeneratorExp:
		comp(b, "genexp", n.Generators, n.Elt)
	case *DictComp:
		comp(b, "dictcomp", n.Generators, n.Key, n.Value)
	case *Comprehension:
		b.WriteString("(for ")
		dump(b, n.Target)
		b.WriteByte(' ')
		dump(b, n.Iter)
		for _, c := range n.Ifs {
			b.WriteString(" (if ")
			dump(b, c)
			b.WriteByte(')')
		}
		b.WriteByte(')')
	default:
		b.WriteString("(?)")
	}
}

func list(b *strings.Builder, head string, elts []Expr) {
	b.WriteByte('(')
	b.WriteString(head)
	for _, e := range elts {
		b.WriteByte(' ')
		dump(b, e)
	}
	b.WriteByte(')')
}

func comp(b *strings.Builder, head string, gens []Comprehension, elts ...Expr) {
	b.WriteByte('(')
	b.WriteString(head)
	for _, e := range elts {
		b.WriteByte(' ')
		dump(b, e)
	}
	for i := range gens {
		b.WriteByte(' ')
		dump(b, &gens[i])
	}
	b.WriteByte(')')
}

func dumpConstant(c *Constant) string {
	switch v := c.Value.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case *big.Int:
		return v.String()
	case float64:
		switch {
		case math.IsInf(v, 1):
			return "inf"
		case math.IsInf(v, -1):
			return "-inf"
		case math.IsNaN(v):
			return "nan"
		}
		return floatRepr(v)
	case string:
		return strconv.Quote(v)
	}
	return "(?)"
}

// floatRepr formats a finite float as Python's repr does: the shortest
// digits that round-trip, positional for exponents -4..15 ("100000.0",
// "0.0001"), scientific otherwise ("1e+16", "1e-05").
func floatRepr(v float64) string {
	e := strconv.FormatFloat(v, 'e', -1, 64)
	i := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}
