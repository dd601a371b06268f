package engine

import (
	"slices"

	"github.com/julepkit/julep/engine/internal/syntax"
)

// What a program reads and which constructs it uses, found at compile time
// from its syntax tree, with positions, so that a checker (package steps)
// never parses an expression again.

// ReadForm tells how a Read reaches its variable.
type ReadForm uint8

// The forms of Read.
const (
	// ReadName is the variable itself (steps, or secrets passed as a whole).
	ReadName ReadForm = iota
	// ReadAttr is an attribute of the variable: name.key (Key is set).
	ReadAttr
	// ReadItem is a subscript with a constant key or index: name["key"]
	// (Key is set) or name[N] (Index is set).
	ReadItem
	// ReadGet is a get call with a constant key: name.get("key"[, default])
	// (Key is set).
	ReadGet
)

// String returns "name", "attr", "item" or "get".
func (f ReadForm) String() string {
	switch f {
	case ReadName:
		return "name"
	case ReadAttr:
		return "attr"
	case ReadItem:
		return "item"
	case ReadGet:
		return "get"
	}
	return "ReadForm(?)"
}

// Read is one place where a program reads one of its free variables (see
// Program.FreeNames), in source order. Offsets are byte offsets in the
// program's Source (for a Field's reads: in the field string, Text).
type Read struct {
	// Name is the variable read.
	Name string
	// Offset is the position of the name.
	Offset int
	// Form tells what is read on the variable.
	Form ReadForm
	// Key is the constant key of a ReadAttr, a ReadGet or a ReadItem with a
	// str key.
	Key string
	// Index is the constant index of a ReadItem with an int key (HasIndex).
	Index    int64
	HasIndex bool
	// KeyOffset is the position of the key: of the attribute name (ReadAttr),
	// of the str or int literal (ReadItem, ReadGet); Offset for a ReadName.
	KeyOffset int
	// Attr is the attribute read on the result of the key (for
	// steps[0].output, "output"); "" when there is none.
	Attr string
}

// ConstructKind names a Python construct reported by Constructs.
type ConstructKind uint8

// The kinds of Construct.
const (
	// ConstructCall is a call by name: f(...). Name is f, Offset its
	// position.
	ConstructCall ConstructKind = iota
	// ConstructMethodCall is a method call: x.m(...). Name is m, Offset the
	// position of m.
	ConstructMethodCall
	// ConstructLambda is a lambda expression.
	ConstructLambda
	// ConstructSetComp is a set comprehension {x for x in y}.
	ConstructSetComp
	// ConstructWalrus is an assignment expression (x := y).
	ConstructWalrus
	// ConstructStarred is *iterable unpacking (in a call or a display).
	ConstructStarred
	// ConstructDoubleStar is **mapping unpacking (in a call or a dict
	// display); Offset is that of the "**".
	ConstructDoubleStar
)

// String returns the construct's name in messages: "call", "method call",
// "lambda", "set comprehension", "walrus", "starred", "double star".
func (k ConstructKind) String() string {
	switch k {
	case ConstructCall:
		return "call"
	case ConstructMethodCall:
		return "method call"
	case ConstructLambda:
		return "lambda"
	case ConstructSetComp:
		return "set comprehension"
	case ConstructWalrus:
		return "walrus"
	case ConstructStarred:
		return "starred"
	case ConstructDoubleStar:
		return "double star"
	}
	return "ConstructKind(?)"
}

// Construct is one use of a construct that a checker may want to flag (a
// dialect stricter than the engine's, say), in source order.
type Construct struct {
	Kind   ConstructKind
	Name   string // the function or method of a call
	Offset int    // see the kinds; in Source (for a Field: in Text)
}

// Replacement is one replacement field {…} of an f-string body (a field of
// kind FieldFString or FieldTemplate), format specs' nested fields not
// included.
type Replacement struct {
	// Offset and End delimit the field, braces included, in Source (for a
	// Field: in Text, so a template's {{x}} spans its doubled braces).
	Offset, End int
	// Code is the field as evaluated ({x} for a template's {{x}}).
	Code string
	// Constant is true when the field's expression is a literal (a str,
	// number, None, True or False): {"answer"} and {"answer": 1} (the str
	// "answer" with the format spec " 1", often meant as literal JSON) are,
	// {name} is not.
	Constant bool
}

// uses is what collectUses finds in a program's tree.
type uses struct {
	reads        []Read
	constructs   []Construct
	replacements []Replacement
}

// collectUses walks tree (of source src) for the reads of the names in
// free, the constructs and (for an f-string body) the replacement fields.
func collectUses(tree syntax.Expr, src string, free []string, fstring bool) *uses {
	u := &uses{}
	if tree == nil {
		return u
	}
	isFree := func(e syntax.Expr) (*syntax.Name, bool) {
		nm, ok := e.(*syntax.Name)
		if !ok {
			return nil, false
		}
		_, found := slices.BinarySearch(free, nm.Id)
		return nm, found
	}
	// The node holding each Name, for what is read on it.
	parent := map[syntax.Node]syntax.Node{}
	syntax.Inspect(tree, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Attribute:
			parent[n.Value] = n
		case *syntax.Subscript:
			parent[n.Value] = n
		case *syntax.Call:
			parent[n.Func] = n
		}
		return true
	})
	attrOn := func(n syntax.Node) string {
		if a, ok := parent[n].(*syntax.Attribute); ok {
			return a.Attr
		}
		return ""
	}
	syntax.Inspect(tree, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Name:
			if _, ok := isFree(n); ok {
				u.reads = append(u.reads, readOf(n, parent, attrOn))
			}
		case *syntax.Call:
			switch f := n.Func.(type) {
			case *syntax.Name:
				u.constructs = append(u.constructs, Construct{Kind: ConstructCall, Name: f.Id, Offset: f.Pos})
			case *syntax.Attribute:
				u.constructs = append(u.constructs, Construct{Kind: ConstructMethodCall, Name: f.Attr, Offset: f.AttrPos})
			}
			for _, k := range n.Keywords {
				if k.Name == "" {
					u.constructs = append(u.constructs, Construct{Kind: ConstructDoubleStar, Offset: k.NamePos})
				}
			}
		case *syntax.Lambda:
			u.constructs = append(u.constructs, Construct{Kind: ConstructLambda, Offset: n.Pos})
		case *syntax.SetComp:
			u.constructs = append(u.constructs, Construct{Kind: ConstructSetComp, Offset: n.Pos})
		case *syntax.NamedExpr:
			u.constructs = append(u.constructs, Construct{Kind: ConstructWalrus, Offset: n.Pos})
		case *syntax.Starred:
			u.constructs = append(u.constructs, Construct{Kind: ConstructStarred, Offset: n.Pos})
		case *syntax.Dict:
			for i, k := range n.Keys {
				if k == nil {
					p, _ := n.Values[i].Span()
					u.constructs = append(u.constructs, Construct{Kind: ConstructDoubleStar, Offset: max(p-2, 0)})
				}
			}
		}
		return true
	})
	if js, ok := tree.(*syntax.JoinedStr); ok && fstring {
		for _, part := range js.Values {
			fv, ok := part.(*syntax.FormattedValue)
			if !ok {
				continue
			}
			_, isConst := fv.Value.(*syntax.Constant)
			pos, end := fv.Span()
			u.replacements = append(u.replacements, Replacement{Offset: pos, End: end, Code: src[pos:end], Constant: isConst})
		}
	}
	return u
}

// readOf describes the read of the free name nm.
func readOf(nm *syntax.Name, parent map[syntax.Node]syntax.Node, attrOn func(syntax.Node) string) Read {
	r := Read{Name: nm.Id, Offset: nm.Pos, KeyOffset: nm.Pos}
	switch p := parent[nm].(type) {
	case *syntax.Attribute:
		if c, ok := parent[p].(*syntax.Call); ok && p.Attr == "get" && len(c.Args) > 0 {
			if k, ok := c.Args[0].(*syntax.Constant); ok && k.Kind == syntax.ConstStr {
				r.Form, r.Key, r.KeyOffset = ReadGet, k.Value.(string), k.Pos
				r.Attr = attrOn(c)
				return r
			}
		}
		r.Form, r.Key, r.KeyOffset = ReadAttr, p.Attr, p.AttrPos
		r.Attr = attrOn(p)
	case *syntax.Subscript:
		c, ok := p.Index.(*syntax.Constant)
		if !ok {
			return r
		}
		switch c.Kind {
		case syntax.ConstStr:
			r.Form, r.Key, r.KeyOffset = ReadItem, c.Value.(string), c.Pos
		case syntax.ConstInt:
			i, ok := c.Value.(int64)
			if !ok {
				return r
			}
			r.Form, r.Index, r.HasIndex, r.KeyOffset = ReadItem, i, true, c.Pos
		default:
			return r
		}
		r.Attr = attrOn(p)
	}
	return r
}

// Reads returns where the program reads its free variables, in source
// order (see Read).
func (p *Program) Reads() []Read {
	if p.uses == nil {
		return nil
	}
	return slices.Clone(p.uses.reads)
}

// Constructs returns the calls and the constructs a stricter dialect may
// refuse (lambda, set comprehension, walrus, * and ** unpacking), in source
// order.
func (p *Program) Constructs() []Construct {
	if p.uses == nil {
		return nil
	}
	return slices.Clone(p.uses.constructs)
}

// Replacements returns the replacement fields of a program compiled with
// CompileFString, in source order (nil for an expression).
func (p *Program) Replacements() []Replacement {
	if p.uses == nil {
		return nil
	}
	return slices.Clone(p.uses.replacements)
}
