package engine

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// The translator turns our syntax tree into an expr AST:
//
//   - every Python operation is a call of a helper (helpers.go) whose first
//     argument is $env, the *frame of the run (py.State and frame slots);
//   - conditions (if, and/or, not, comprehension filters) are expr booleans
//     computed by bool-typed helpers ($truth, comparisons), so expr's
//     ConditionalNode and and/or do the control flow with Python's truthiness
//     and short-circuit;
//   - free variables, walrus targets, lambda parameters and captured
//     variables live in frame slots ($v reads one, raising NameError when the
//     slot is unbound); comprehension variables are expr `let` variables;
//   - comprehensions are expr's map loop (BuiltinNode "map" over the []any
//     returned by $iter, which charges one work unit per item) with the
//     target bound by `let` to the loop's current item; several for clauses
//     nest, filters yield a skip marker and $collect flattens the result.
//     any()/all() over a generator become expr's any/all loops (short-circuit
//     like CPython);
//   - a lambda is compiled as a separate program and becomes a *py.Func
//     value ($lambda), callable by any library function.

type bindKind uint8

const (
	bindLet  bindKind = iota // an expr let variable (comprehension target)
	bindSlot                 // a frame slot
)

type binding struct {
	kind bindKind
	let  string // expr variable name (bindLet)
	slot int    // frame slot (bindSlot)
	comp bool   // a comprehension iteration variable
	// ptr, for the simple name target of a loop: uses at the loop's own
	// depth read the loop's current item (OpPointer); a use from a nested
	// loop sets ptr.needLet and reads the let variable.
	ptr *loopVar
}

type loopVar struct {
	depth   int
	unit    *unit
	needLet bool
}

// unit is a program being built: the root expression or a lambda body.
type unit struct {
	parent   *unit
	scopes   []map[string]binding
	slots    []string
	slotOf   map[string]int // unit-level slots: free variables (root), walrus targets, captures
	walrus   map[string]bool
	captures []string // lambda: names captured from the parent, in slot order
	capSlot  []int
	free     map[string]bool // root: slots holding free variables (FreeNames)
	// shadow (root): free variables read only as a bare builtin or module
	// name, which fall back to the builtin when not given (not in FreeNames).
	shadow map[string]bool
}

func newUnit(parent *unit, body syntax.Node) *unit {
	u := &unit{parent: parent, slotOf: map[string]int{}, walrus: map[string]bool{}, free: map[string]bool{}, shadow: map[string]bool{}}
	syntax.Inspect(body, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Lambda:
			return n == body
		case *syntax.NamedExpr:
			u.walrus[n.Target.Id] = true
		}
		return true
	})
	return u
}

func (u *unit) addSlot(name string) int {
	u.slots = append(u.slots, name)
	return len(u.slots) - 1
}

type translator struct {
	depth int // number of enclosing expr loops (map/any/all predicates)
	eng   *Engine
	src   string
	u     *unit
	nlet  int
	refs  map[string]*refInfo
}

// fail aborts the translation with an error at offset off.
func (t *translator) fail(kind string, off int, format string, args ...any) {
	panic(compileError(kind, t.src, off, format, args...))
}

var envNode = func() ast.Node { return &ast.IdentifierNode{Value: "$env"} }

// at sets the location of n to byte offset off.
func at[N ast.Node](n N, off int) N {
	n.SetLocation(file.Location{From: off, To: off})
	return n
}

func (t *translator) call(off int, name string, args ...ast.Node) ast.Node {
	return at(&ast.CallNode{Callee: at(&ast.IdentifierNode{Value: name}, off), Arguments: args}, off)
}

// typed calls a typed helper (a Go func value, see typed.go), compiled to
// OpCallTyped.
func (t *translator) typed(off int, fn any, args ...ast.Node) ast.Node {
	return at(&ast.CallNode{Callee: at(&ast.ConstantNode{Value: fn}, off), Arguments: args}, off)
}

// callEnv is call with $env as the first argument.
func (t *translator) callEnv(off int, name string, args ...ast.Node) ast.Node {
	return t.call(off, name, append([]ast.Node{at(envNode(), off)}, args...)...)
}

func constNode(v any, off int) ast.Node {
	switch v := v.(type) {
	case nil:
		return at(&ast.NilNode{}, off)
	case bool:
		return at(&ast.BoolNode{Value: v}, off)
	case string:
		return at(&ast.StringNode{Value: v}, off)
	case int:
		return at(&ast.IntegerNode{Value: v}, off)
	case float64:
		if v == 0 && math.Signbit(v) {
			// expr's compiler shares constants by value, and -0.0 == 0.0 as a
			// map key: the first of the two would stand for both. Negate 0.0
			// at run time instead.
			zero := at(&ast.ConstantNode{Value: 0.0}, off)
			return at(&ast.CallNode{Callee: at(&ast.ConstantNode{Value: tNeg}, off), Arguments: []ast.Node{zero}}, off)
		}
	}
	return at(&ast.ConstantNode{Value: v}, off)
}

// ---- names

// forbidden names: refused at compile time (SecurityError), whether called
// or used as values.
var forbidden = map[string]bool{
	"eval": true, "exec": true, "compile": true, "open": true, "getattr": true, "setattr": true,
	"delattr": true, "hasattr": true, "globals": true, "locals": true, "vars": true, "breakpoint": true,
	"help": true, "memoryview": true, "type": true, "object": true, "super": true, "classmethod": true,
	"staticmethod": true, "property": true, "exit": true, "quit": true, "copyright": true, "credits": true,
	"license": true, "bytearray": true, "__import__": true, "dir": true, "id": true, "issubclass": true,
	"isinstance": false, // allowed if the library provides it
}

// forbiddenCalls are refused only when called (they are also ordinary
// variable names in Julep's scopes, e.g. input in the kind: form).
var forbiddenCalls = map[string]bool{"input": true, "print": true}

func (t *translator) checkName(name string, off int) {
	if strings.HasPrefix(name, "_") && name != "_" {
		t.fail(py.SecurityError, off, "access to name '%s' is not allowed (names starting with '_' are refused)", name)
	}
	if forbidden[name] {
		t.fail(py.SecurityError, off, "'%s' is not allowed in expressions", name)
	}
}

func (t *translator) checkAttr(name string, off int) {
	if strings.HasPrefix(name, "_") {
		t.fail(py.SecurityError, off, "access to attribute '%s' is not allowed (attributes starting with '_' are refused)", name)
	}
}

// lookupLocal finds name bound in unit u: comprehension or lambda scopes,
// walrus targets, captures; or, through the enclosing units, a binding that
// u then captures. It does not look at globals or free variables.
func (t *translator) lookupLocal(u *unit, name string) (binding, bool) {
	for i := len(u.scopes) - 1; i >= 0; i-- {
		if b, ok := u.scopes[i][name]; ok {
			return b, true
		}
	}
	if s, ok := u.slotOf[name]; ok && !u.free[name] {
		return binding{kind: bindSlot, slot: s}, true
	}
	if u.walrus[name] {
		s := u.addSlot(name)
		u.slotOf[name] = s
		return binding{kind: bindSlot, slot: s}, true
	}
	if u.parent != nil {
		if _, ok := t.lookupLocal(u.parent, name); ok {
			return binding{kind: bindSlot, slot: t.capture(u, name)}, true
		}
	}
	return binding{}, false
}

// capture returns the slot of u holding name captured from u's parent.
func (t *translator) capture(u *unit, name string) int {
	if i := slices.Index(u.captures, name); i >= 0 {
		return u.capSlot[i]
	}
	s := u.addSlot(name)
	u.captures = append(u.captures, name)
	u.capSlot = append(u.capSlot, s)
	return s
}

// freeSlot returns the slot of u holding the free (global) variable name:
// in the root unit a slot filled from vars, in a lambda a capture of it.
func (t *translator) freeSlot(u *unit, name string) int {
	if u.parent == nil {
		if s, ok := u.slotOf[name]; ok {
			return s
		}
		s := u.addSlot(name)
		u.slotOf[name] = s
		u.free[name] = true
		return s
	}
	t.freeSlot(u.parent, name)
	return t.capture(u, name)
}

func (t *translator) bindingNode(b binding, off int, raw bool) ast.Node {
	if b.kind == bindLet {
		if b.ptr != nil {
			if b.ptr.depth == t.depth && b.ptr.unit == t.u {
				return at(&ast.PointerNode{}, off)
			}
			b.ptr.needLet = true
		}
		return at(&ast.IdentifierNode{Value: b.let}, off)
	}
	if raw {
		return t.typed(off, tVarRaw, at(envNode(), off), constNode(b.slot, off))
	}
	return t.typed(off, tVar, at(envNode(), off), constNode(b.slot, off))
}

// ref records how a root variable is used.
func (t *translator) ref(name string, key string, isKey bool) {
	r := t.refs[name]
	if r == nil {
		r = &refInfo{}
		t.refs[name] = r
	}
	if !isKey {
		r.dynamic = true
		return
	}
	if !slices.Contains(r.keys, key) {
		r.keys = append(r.keys, key)
	}
}

// loadName translates a name in value position. key/isKey describe a
// constant key read directly on it (for Refs).
func (t *translator) loadName(n *syntax.Name, key string, isKey bool) ast.Node {
	return t.loadNameRaw(n, key, isKey, false)
}

func (t *translator) loadNameRaw(n *syntax.Name, key string, isKey, raw bool) ast.Node {
	name := n.Id
	t.checkName(name, n.Pos)
	if b, ok := t.lookupLocal(t.u, name); ok {
		return t.bindingNode(b, n.Pos, raw)
	}
	if v, ok := library.Constant(name); ok {
		return constNode(v, n.Pos)
	}
	if m, ok := library.Module(name); ok {
		return t.shadowable(n, m)
	}
	if f, ok := library.Builtin(name); ok && !forbiddenCalls[name] {
		return t.shadowable(n, f)
	}
	if t.u.parent == nil {
		t.ref(name, key, isKey)
	} else {
		t.ref(name, "", false) // captured by a lambda: any use
	}
	return t.bindingNode(binding{kind: bindSlot, slot: t.freeSlot(t.u, name)}, n.Pos, raw)
}

// shadowable reads a builtin or module name that is not called: a variable
// of that name wins when the evaluation gives one, as in CPython (a call by
// name always uses the builtin, JULEP.md rule 3).
func (t *translator) shadowable(n *syntax.Name, builtin any) ast.Node {
	root := t.u
	for root.parent != nil {
		root = root.parent
	}
	if _, ok := root.slotOf[n.Id]; !ok {
		root.shadow[n.Id] = true
	}
	slot := t.freeSlot(t.u, n.Id)
	return t.typed(n.Pos, tVarOr, at(envNode(), n.Pos), constNode(slot, n.Pos), constNode(builtin, n.Pos))
}

// ---- expressions

func (t *translator) expr(e syntax.Expr) ast.Node {
	switch n := e.(type) {
	case *syntax.Constant:
		return t.constant(n)
	case *syntax.Name:
		return t.loadName(n, "", false)
	case *syntax.JoinedStr:
		return t.fstring(n)
	case *syntax.UnaryOp:
		return t.unary(n)
	case *syntax.BinOp:
		name := hBinPrefx + n.Op
		if _, ok := binOps[n.Op]; !ok {
			t.fail(py.SyntaxError, n.OpPos, "operator %s is not supported", n.Op)
		}
		l := t.expr(n.Left)
		r := t.expr(n.Right)
		return t.callEnv(n.OpPos, name, l, r)
	case *syntax.BoolOp:
		return t.boolOp(n)
	case *syntax.Compare:
		return t.compare(n)
	case *syntax.IfExp:
		return at(&ast.ConditionalNode{Ternary: true, Cond: t.cond(n.Test), Exp1: t.expr(n.Body), Exp2: t.expr(n.OrElse)}, n.Pos)
	case *syntax.Lambda:
		return t.lambda(n)
	case *syntax.Call:
		return t.callExpr(n)
	case *syntax.Attribute:
		return t.attribute(n)
	case *syntax.Subscript:
		return t.subscript(n)
	case *syntax.List:
		return t.display('l', n.Elts, n.Pos)
	case *syntax.Tuple:
		return t.display('t', n.Elts, n.Pos)
	case *syntax.Set:
		return t.display('s', n.Elts, n.Pos)
	case *syntax.Dict:
		return t.dict(n)
	case *syntax.ListComp:
		return t.comprehension('l', n.Generators, n.Elt, func() ast.Node { return t.expr(n.Elt) }, n.Pos)
	case *syntax.SetComp:
		return t.comprehension('s', n.Generators, n.Elt, func() ast.Node { return t.expr(n.Elt) }, n.Pos)
	case *syntax.GeneratorExp:
		return t.comprehension('g', n.Generators, n.Elt, func() ast.Node { return t.expr(n.Elt) }, n.Pos)
	case *syntax.DictComp:
		return t.comprehension('d', n.Generators, nil, func() ast.Node {
			k := t.expr(n.Key)
			v := t.expr(n.Value)
			return at(&ast.ArrayNode{Nodes: []ast.Node{k, v}}, n.Pos)
		}, n.Pos)
	case *syntax.NamedExpr:
		return t.walrus(n)
	case *syntax.Starred:
		t.fail(py.SyntaxError, n.Pos, "can't use starred expression here")
	case *syntax.Slice:
		t.fail(py.SyntaxError, n.Pos, "invalid syntax")
	case *syntax.FormattedValue:
		return t.fstring(&syntax.JoinedStr{Range: n.Range, Values: []syntax.Expr{n}})
	}
	pos, _ := e.Span()
	t.fail(py.SyntaxError, pos, "unsupported expression %T", e)
	return nil
}

// constValue is the runtime value of a literal constant.
func constValue(c *syntax.Constant) any {
	switch v := c.Value.(type) {
	case int:
		return int64(v)
	case complex128:
		return py.Complex(v)
	case syntax.Ellipsis:
		return py.Ellipsis
	}
	return c.Value
}

func (t *translator) constant(n *syntax.Constant) ast.Node {
	switch v := n.Value.(type) {
	case int:
		return constNode(int64(v), n.Pos)
	case int64, *big.Int, float64, string, bool, nil:
		return constNode(v, n.Pos)
	case complex128:
		return constNode(py.Complex(v), n.Pos)
	case syntax.Ellipsis:
		return constNode(py.Ellipsis, n.Pos)
	}
	t.fail(py.SyntaxError, n.Pos, "unsupported constant %T", n.Value)
	return nil
}

func (t *translator) unary(n *syntax.UnaryOp) ast.Node {
	switch n.Op {
	case "not":
		return at(&ast.UnaryNode{Operator: "not", Node: t.cond(n.Operand)}, n.Pos)
	case "-":
		if c, ok := n.Operand.(*syntax.Constant); ok {
			switch v := c.Value.(type) {
			case int64:
				if v != math.MinInt64 {
					return constNode(-v, n.Pos)
				}
			case *big.Int:
				return constNode(py.NormInt(new(big.Int).Neg(v)), n.Pos)
			case float64:
				return constNode(-v, n.Pos)
			}
		}
		return t.typed(n.Pos, tNeg, t.expr(n.Operand))
	case "+":
		return t.typed(n.Pos, tPos, t.expr(n.Operand))
	case "~":
		return t.typed(n.Pos, tInvert, t.expr(n.Operand))
	}
	t.fail(py.SyntaxError, n.Pos, "unknown unary operator %s", n.Op)
	return nil
}

// isBoolExpr reports whether e always evaluates to a bool.
func isBoolExpr(e syntax.Expr) bool {
	switch n := e.(type) {
	case *syntax.Compare:
		return true
	case *syntax.UnaryOp:
		return n.Op == "not"
	case *syntax.Constant:
		return n.Kind == syntax.ConstBool
	case *syntax.BoolOp:
		for _, v := range n.Values {
			if !isBoolExpr(v) {
				return false
			}
		}
		return true
	}
	return false
}

// cond translates e in a boolean context: the node evaluates to an expr
// bool with e's Python truth value.
func (t *translator) cond(e syntax.Expr) ast.Node {
	switch n := e.(type) {
	case *syntax.Compare:
		return t.compare(n)
	case *syntax.UnaryOp:
		if n.Op == "not" {
			return at(&ast.UnaryNode{Operator: "not", Node: t.cond(n.Operand)}, n.Pos)
		}
	case *syntax.BoolOp:
		op := "&&"
		if n.Op == "or" {
			op = "||"
		}
		node := t.cond(n.Values[0])
		for _, v := range n.Values[1:] {
			node = at(&ast.BinaryNode{Operator: op, Left: node, Right: t.cond(v)}, n.Pos)
		}
		return node
	case *syntax.Constant:
		return constNode(py.Truth(n.Value), n.Pos)
	}
	pos, _ := e.Span()
	return t.typed(pos, tTruth, t.expr(e))
}

func (t *translator) condAll(es []syntax.Expr, off int) ast.Node {
	node := t.cond(es[0])
	for _, e := range es[1:] {
		node = at(&ast.BinaryNode{Operator: "&&", Left: node, Right: t.cond(e)}, off)
	}
	return node
}

// boolOp translates and/or in value context: the result is the operand
// that decided, as in Python.
func (t *translator) boolOp(n *syntax.BoolOp) ast.Node {
	if isBoolExpr(n) {
		return t.cond(n)
	}
	// a or b or c  ->  let t = a; truth(t) ? t : (b or c)
	var build func(vals []syntax.Expr) ast.Node
	build = func(vals []syntax.Expr) ast.Node {
		if len(vals) == 1 {
			return t.expr(vals[0])
		}
		first := vals[0]
		pos, _ := first.Span()
		if isBoolExpr(first) {
			c := t.cond(first)
			if n.Op == "or" {
				return at(&ast.ConditionalNode{Ternary: true, Cond: c, Exp1: constNode(true, pos), Exp2: build(vals[1:])}, pos)
			}
			return at(&ast.ConditionalNode{Ternary: true, Cond: c, Exp1: build(vals[1:]), Exp2: constNode(false, pos)}, pos)
		}
		v := t.expr(first)
		name := t.newLet("bool")
		ref := func() ast.Node { return at(&ast.IdentifierNode{Value: name}, pos) }
		var body ast.Node
		if n.Op == "or" {
			body = &ast.ConditionalNode{Ternary: true, Cond: t.typed(pos, tTruth, ref()), Exp1: ref(), Exp2: build(vals[1:])}
		} else {
			body = &ast.ConditionalNode{Ternary: true, Cond: t.typed(pos, tTruth, ref()), Exp1: build(vals[1:]), Exp2: ref()}
		}
		return at(&ast.VariableDeclaratorNode{Name: name, Value: v, Expr: at(body, pos)}, pos)
	}
	return build(n.Values)
}

func (t *translator) newLet(hint string) string {
	t.nlet++
	return "\x00" + hint + "#" + strconv.Itoa(t.nlet)
}

func (t *translator) cmpOp(op string, off int, l, r ast.Node) ast.Node {
	switch op {
	case "in":
		return t.callEnv(off, hIn, l, r)
	case "not in":
		return t.callEnv(off, hNotIn, l, r)
	case "is":
		return t.typed(off, tIs, l, r)
	case "is not":
		return t.typed(off, tIsNot, l, r)
	case "<", "<=", ">", ">=", "==", "!=":
		return t.typed(off, cmpFuncs[op], l, r)
	}
	t.fail(py.SyntaxError, off, "unknown comparison %s", op)
	return nil
}

func (t *translator) compare(n *syntax.Compare) ast.Node {
	if len(n.Ops) == 1 {
		if c, ok := n.Comparators[0].(*syntax.Constant); ok && cmpFuncs[n.Ops[0]] != nil && c.Kind != syntax.ConstNone {
			return t.typed(n.OpPos[0], cmpConst(n.Ops[0], constValue(c)), t.expr(n.Left))
		}
		return t.cmpOp(n.Ops[0], n.OpPos[0], t.expr(n.Left), t.expr(n.Comparators[0]))
	}
	// a < b < c: let l = a; let r = b; (l < r) && (let r2 = c; r < r2)
	left := t.newLet("cmp")
	var chain func(i int, leftName string) ast.Node
	chain = func(i int, leftName string) ast.Node {
		pos, _ := n.Comparators[i].Span()
		right := t.newLet("cmp")
		lref := at(&ast.IdentifierNode{Value: leftName}, pos)
		rref := at(&ast.IdentifierNode{Value: right}, pos)
		test := t.cmpOp(n.Ops[i], n.OpPos[i], lref, rref)
		var body ast.Node = test
		if i+1 < len(n.Ops) {
			body = at(&ast.BinaryNode{Operator: "&&", Left: test, Right: chain(i+1, right)}, pos)
		}
		return at(&ast.VariableDeclaratorNode{Name: right, Value: t.expr(n.Comparators[i]), Expr: body}, pos)
	}
	first := t.expr(n.Left)
	return at(&ast.VariableDeclaratorNode{Name: left, Value: first, Expr: chain(0, left)}, n.Pos)
}

func (t *translator) walrus(n *syntax.NamedExpr) ast.Node {
	name := n.Target.Id
	t.checkName(name, n.Target.Pos)
	for i := len(t.u.scopes) - 1; i >= 0; i-- {
		if b, ok := t.u.scopes[i][name]; ok && b.comp {
			t.fail(py.SyntaxError, n.Pos, "assignment expression cannot rebind comprehension iteration variable '%s'", name)
		}
	}
	v := t.expr(n.Value)
	s, ok := t.u.slotOf[name]
	if !ok {
		s = t.u.addSlot(name)
		t.u.slotOf[name] = s
	}
	return t.callEnv(n.Pos, hSet, constNode(s, n.Pos), v)
}

// ---- attributes, subscripts, calls

// dottedModule resolves a.b.c to a library module "a.b.c" when a is not
// a variable.
func (t *translator) dottedModule(e syntax.Expr) (*py.Module, bool) {
	var parts []string
	for {
		switch n := e.(type) {
		case *syntax.Attribute:
			parts = append(parts, n.Attr)
			e = n.Value
			continue
		case *syntax.Name:
			if _, ok := t.lookupLocal(t.u, n.Id); ok {
				return nil, false
			}
			parts = append(parts, n.Id)
			slices.Reverse(parts)
			return library.Module(strings.Join(parts, "."))
		}
		return nil, false
	}
}

// rootName returns the name when e is a Name that resolves to a root free
// variable (for Refs).
func (t *translator) isFreeName(e syntax.Expr) (*syntax.Name, bool) {
	n, ok := e.(*syntax.Name)
	if !ok || t.u.parent != nil {
		return nil, false
	}
	if _, ok := t.lookupLocal(t.u, n.Id); ok {
		return nil, false
	}
	if _, ok := library.Constant(n.Id); ok {
		return nil, false
	}
	if _, ok := library.Module(n.Id); ok {
		return nil, false
	}
	if _, ok := library.Builtin(n.Id); ok {
		return nil, false
	}
	return n, true
}

// typeNames are the builtin types whose methods can be used unbound
// (str.lower, dict.get...).
var typeNames = map[string]bool{"str": true, "list": true, "dict": true, "set": true, "tuple": true, "int": true, "float": true}

// unboundMethod resolves T.method for a builtin type T (when T is not a local
// name) to a function taking the receiver as its first argument.
func (t *translator) unboundMethod(n *syntax.Attribute) (*py.Func, bool) {
	tn, ok := n.Value.(*syntax.Name)
	if !ok || !typeNames[tn.Id] {
		return nil, false
	}
	if _, local := t.lookupLocal(t.u, tn.Id); local {
		return nil, false
	}
	if f, ok := library.Builtin(tn.Id + "." + n.Attr); ok {
		return f, true // a class method such as dict.fromkeys: no receiver
	}
	m, ok := library.Method(tn.Id, n.Attr)
	if !ok {
		return nil, false
	}
	typ, attr := tn.Id, n.Attr
	return &py.Func{Name: typ + "." + attr, Owner: typ, Call: func(s *py.State, args []any, kw *py.Kwargs) (any, error) {
		if len(args) == 0 {
			return nil, py.Errorf(py.TypeError, "unbound method %s.%s() needs an argument", typ, attr)
		}
		if py.TypeName(args[0]) != typ {
			return nil, py.Errorf(py.TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", attr, typ, py.TypeName(args[0]))
		}
		return m(s, args[0], args[1:], kw)
	}}, true
}

// isDictMethod reports whether name is a method of dict (a.b on a dict reads
// it, not key b).
func isDictMethod(name string) bool {
	_, ok := library.Method("dict", name)
	return ok
}

func (t *translator) attribute(n *syntax.Attribute) ast.Node {
	t.checkAttr(n.Attr, n.AttrPos)
	if m, ok := t.dottedModule(n); ok {
		return constNode(m, n.Pos)
	}
	if f, ok := t.unboundMethod(n); ok {
		return constNode(f, n.Pos)
	}
	var obj ast.Node
	if name, ok := t.isFreeName(n.Value); ok {
		obj = t.loadName(name, n.Attr, !isDictMethod(n.Attr))
	} else {
		obj = t.expr(n.Value)
	}
	return t.typed(n.AttrPos, getAttr(n.Attr), obj)
}

func (t *translator) subscript(n *syntax.Subscript) ast.Node {
	pos, _ := n.Index.Span()
	if s, ok := n.Index.(*syntax.Slice); ok {
		obj := t.expr(n.Value)
		part := func(e syntax.Expr) ast.Node {
			if e == nil {
				return constNode(nil, s.Pos)
			}
			return t.expr(e)
		}
		return t.callEnv(s.Pos, hSlice, obj, part(s.Lower), part(s.Upper), part(s.Step))
	}
	if tup, ok := n.Index.(*syntax.Tuple); ok {
		for _, el := range tup.Elts {
			if _, ok := el.(*syntax.Slice); ok {
				t.fail(py.TypeError, pos, "slices inside a tuple subscript are not supported")
			}
		}
	}
	var obj ast.Node
	if name, ok := t.isFreeName(n.Value); ok {
		if c, ok := n.Index.(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
			obj = t.loadName(name, c.Value.(string), true)
		} else {
			obj = t.loadName(name, "", false)
		}
	} else {
		obj = t.expr(n.Value)
	}
	if c, ok := n.Index.(*syntax.Constant); ok && (c.Kind == syntax.ConstStr || c.Kind == syntax.ConstInt) {
		if v, ok := c.Value.(int64); ok || c.Kind == syntax.ConstStr {
			key := c.Value
			if ok {
				key = v
			}
			return t.typed(n.Pos, getKey(key), obj)
		}
	}
	if u, ok := n.Index.(*syntax.UnaryOp); ok && u.Op == "-" {
		if c, ok := u.Operand.(*syntax.Constant); ok {
			if v, ok := c.Value.(int64); ok && v > 0 {
				return t.typed(n.Pos, getKey(-v), obj)
			}
		}
	}
	return t.typed(n.Pos, tGetItem, obj, t.expr(n.Index))
}

// args translates call arguments; spec is nil for plain positional calls.
func (t *translator) args(c *syntax.Call) ([]ast.Node, *callSpec) {
	var nodes []ast.Node
	var spec *callSpec
	var star []bool
	for i, a := range c.Args {
		if s, ok := a.(*syntax.Starred); ok {
			if star == nil {
				star = make([]bool, len(c.Args))
			}
			star[i] = true
			nodes = append(nodes, t.expr(s.Value))
			continue
		}
		nodes = append(nodes, t.expr(a))
	}
	if star == nil && len(c.Keywords) == 0 {
		return nodes, nil
	}
	spec = &callSpec{npos: len(c.Args), star: star}
	for _, k := range c.Keywords {
		spec.kwNames = append(spec.kwNames, k.Name)
		nodes = append(nodes, t.expr(k.Value))
	}
	return nodes, spec
}

func (t *translator) callExpr(c *syntax.Call) ast.Node {
	switch fn := c.Func.(type) {
	case *syntax.Name:
		name := fn.Id
		t.checkName(name, fn.Pos)
		if _, local := t.lookupLocal(t.u, name); !local {
			if forbiddenCalls[name] {
				t.fail(py.SecurityError, fn.Pos, "'%s' is not allowed in expressions", name)
			}
			if (name == "any" || name == "all") && len(c.Args) == 1 && len(c.Keywords) == 0 {
				if g, ok := c.Args[0].(*syntax.GeneratorExp); ok {
					if _, ok := library.Builtin(name); ok {
						return t.anyAll(name, g)
					}
				}
			}
			if (name == "list" || name == "set") && len(c.Args) == 1 && len(c.Keywords) == 0 {
				if g, ok := c.Args[0].(*syntax.GeneratorExp); ok {
					if _, ok := library.Builtin(name); ok {
						kind := byte('l')
						if name == "set" {
							kind = 's'
						}
						// list(genexp) is the list comprehension: no copy.
						return t.comprehension(kind, g.Generators, g.Elt, func() ast.Node { return t.expr(g.Elt) }, c.Pos)
					}
				}
			}
			f, ok := library.Builtin(name)
			if !ok {
				if _, isMod := library.Module(name); !isMod {
					if _, isConst := library.Constant(name); !isConst {
						t.fail(py.NameError, fn.Pos, "name '%s' is not defined", name)
					}
				}
			} else {
				if fusedConsumers[name] {
					if fc, iter := t.fuseConsumedArg(c); fc != nil {
						fa := &fusedArg{fc: fc, off: c.Pos, call: func(s *py.State, list *py.List) (any, error) {
							return f.Call(s, []any{list}, nil)
						}}
						return t.typed(c.Pos, fa.run, at(envNode(), c.Pos), iter)
					}
				}
				args, spec := t.args(c)
				if spec == nil && len(args) == 1 {
					if name == "len" { // pylib's len is py.Len; no argument slice
						return t.typed(c.Pos, tLen, args[0])
					}
					return t.typed(c.Pos, builtin1(f), at(envNode(), c.Pos), args[0])
				}
				return t.callValue(c.Pos, constNode(f, fn.Pos), args, spec)
			}
		}
	case *syntax.Attribute:
		t.checkAttr(fn.Attr, fn.AttrPos)
		if f, ok := t.unboundMethod(fn); ok {
			args, spec := t.args(c)
			return t.callValue(c.Pos, constNode(f, fn.Pos), args, spec)
		}
		if _, ok := t.dottedModule(fn); !ok {
			// 'sep'.join(<fused comprehension>): str.join keeps nothing of its
			// argument.
			if k, ok := fn.Value.(*syntax.Constant); ok && k.Kind == syntax.ConstStr && fn.Attr == "join" {
				if fc, iter := t.fuseConsumedArg(c); fc != nil {
					sep := k.Value.(string)
					fa := &fusedArg{fc: fc, off: fn.AttrPos, call: func(s *py.State, list *py.List) (any, error) {
						return py.CallMethod(s, sep, "join", []any{list}, nil)
					}}
					return t.typed(fn.AttrPos, fa.run, at(envNode(), fn.AttrPos), iter)
				}
			}
			var recv ast.Node
			if name, ok := t.isFreeName(fn.Value); ok {
				key, isKey := fn.Attr, !isDictMethod(fn.Attr)
				if fn.Attr == "get" && len(c.Args) >= 1 {
					if k, ok := c.Args[0].(*syntax.Constant); ok && k.Kind == syntax.ConstStr {
						key, isKey = k.Value.(string), true
					}
				}
				recv = t.loadName(name, key, isKey)
			} else {
				recv = t.expr(fn.Value)
			}
			args, spec := t.args(c)
			if spec == nil && len(args) == 0 {
				return t.typed(fn.AttrPos, method0(fn.Attr), at(envNode(), fn.AttrPos), recv)
			}
			if spec == nil {
				return t.callEnv(fn.AttrPos, hCallM, append([]ast.Node{recv, constNode(newMethodSite(fn.Attr), fn.AttrPos)}, args...)...)
			}
			spec.name = fn.Attr
			return t.callEnv(fn.AttrPos, hCallMKw, append([]ast.Node{recv, constNode(spec, fn.AttrPos)}, args...)...)
		}
	}
	f := t.expr(c.Func)
	args, spec := t.args(c)
	return t.callValue(c.Pos, f, args, spec)
}

func (t *translator) callValue(off int, f ast.Node, args []ast.Node, spec *callSpec) ast.Node {
	if spec == nil {
		return t.callEnv(off, hCall, append([]ast.Node{f}, args...)...)
	}
	return t.callEnv(off, hCallKw, append([]ast.Node{f, constNode(spec, off)}, args...)...)
}

// ---- displays

func (t *translator) display(kind byte, elts []syntax.Expr, off int) ast.Node {
	if (kind == 't' || kind == 'l') && len(elts) >= 1 && len(elts) <= 2 {
		plain := true
		for _, e := range elts {
			if _, ok := e.(*syntax.Starred); ok {
				plain = false
			}
		}
		if plain {
			if len(elts) == 1 {
				f := tTuple1
				if kind == 'l' {
					f = tList1
				}
				return t.typed(off, f, t.expr(elts[0]))
			}
			f := tTuple2
			if kind == 'l' {
				f = tList2
			}
			a := t.expr(elts[0])
			b := t.expr(elts[1])
			return t.typed(off, f, a, b)
		}
	}
	spec := &buildSpec{kind: kind}
	args := []ast.Node{nil}
	for i, e := range elts {
		if s, ok := e.(*syntax.Starred); ok {
			if spec.star == nil {
				spec.star = make([]bool, len(elts))
			}
			spec.star[i] = true
			args = append(args, t.expr(s.Value))
			continue
		}
		args = append(args, t.expr(e))
	}
	args[0] = constNode(spec, off)
	return t.callEnv(off, hBuild, args...)
}

func (t *translator) dict(n *syntax.Dict) ast.Node {
	if len(n.Keys) >= 1 && len(n.Keys) <= smallDictMax {
		var keys []string
		for _, k := range n.Keys {
			if c, ok := k.(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
				keys = append(keys, c.Value.(string))
			}
		}
		if len(keys) == len(n.Keys) && (len(keys) == 1 || keys[0] != keys[1]) {
			if len(keys) == 1 {
				return t.typed(n.Pos, smallDict1(keys[0]), t.expr(n.Values[0]))
			}
			if len(keys) == 2 {
				v1 := t.expr(n.Values[0])
				v2 := t.expr(n.Values[1])
				return t.typed(n.Pos, smallDict2(keys[0], keys[1]), v1, v2)
			}
		}
		if spec := newConstDict(keys); len(keys) == len(n.Keys) && len(keys) > 2 && spec != nil {
			args := []ast.Node{constNode(spec, n.Pos)}
			for _, v := range n.Values {
				args = append(args, t.expr(v))
			}
			return t.call(n.Pos, hDictConst, args...)
		}
	}
	spec := &dictSpec{}
	args := []ast.Node{constNode(spec, n.Pos)}
	for i := range n.Values {
		if n.Keys[i] == nil {
			if spec.dstar == nil {
				spec.dstar = make([]bool, len(n.Values))
			}
			spec.dstar[i] = true
			args = append(args, constNode(nil, n.Pos), t.expr(n.Values[i]))
			continue
		}
		k := t.expr(n.Keys[i])
		args = append(args, k, t.expr(n.Values[i]))
	}
	return t.callEnv(n.Pos, hDict, args...)
}

// ---- comprehensions

func (t *translator) pushScope() { t.u.scopes = append(t.u.scopes, map[string]binding{}) }
func (t *translator) popScope()  { t.u.scopes = t.u.scopes[:len(t.u.scopes)-1] }

// bindTarget binds the names of a for target to value (evaluated inside the
// loop) in the current scope and returns the function wrapping a body in the
// let declarations.
func (t *translator) bindTarget(target syntax.Expr, value func() ast.Node, ptr bool) func(ast.Node) ast.Node {
	switch n := target.(type) {
	case *syntax.Name:
		t.checkName(n.Id, n.Pos)
		name := t.newLet(n.Id)
		b := binding{kind: bindLet, let: name, comp: true}
		if ptr {
			b.ptr = &loopVar{depth: t.depth, unit: t.u}
		}
		t.u.scopes[len(t.u.scopes)-1][n.Id] = b
		return func(body ast.Node) ast.Node {
			if b.ptr != nil && !b.ptr.needLet {
				return body
			}
			return at(&ast.VariableDeclaratorNode{Name: name, Value: value(), Expr: body}, n.Pos)
		}
	case *syntax.Tuple, *syntax.List:
		var elts []syntax.Expr
		var pos int
		if tu, ok := n.(*syntax.Tuple); ok {
			elts, pos = tu.Elts, tu.Pos
		} else {
			l := n.(*syntax.List)
			elts, pos = l.Elts, l.Pos
		}
		spec := &unpackSpec{n: len(elts), star: -1}
		for i, e := range elts {
			if _, ok := e.(*syntax.Starred); ok {
				if spec.star >= 0 {
					t.fail(py.SyntaxError, pos, "multiple starred expressions in assignment")
				}
				spec.star = i
			}
		}
		tup := t.newLet("unpack")
		wraps := make([]func(ast.Node) ast.Node, len(elts))
		for i, e := range elts {
			if s, ok := e.(*syntax.Starred); ok {
				e = s.Value
			}
			i := i
			wraps[i] = t.bindTarget(e, func() ast.Node {
				return t.typed(pos, tIdx, at(&ast.IdentifierNode{Value: tup}, pos), constNode(i, pos))
			}, false)
		}
		return func(body ast.Node) ast.Node {
			for i := len(wraps) - 1; i >= 0; i-- {
				body = wraps[i](body)
			}
			return at(&ast.VariableDeclaratorNode{Name: tup, Value: t.typed(pos, tUnpack, value(), constNode(spec, pos)), Expr: body}, pos)
		}
	}
	pos, _ := target.Span()
	t.fail(py.SyntaxError, pos, "cannot assign to this expression in a comprehension")
	return nil
}

func pointer(off int) func() ast.Node {
	return func() ast.Node { return at(&ast.PointerNode{}, off) }
}

// comprehension translates a comprehension of kind 'l', 's', 'g' or 'd';
// eltExpr is the element of the first three (nil for a dict), elt
// translates the element.
func (t *translator) comprehension(kind byte, gens []syntax.Comprehension, eltExpr syntax.Expr, elt func() ast.Node, off int) ast.Node {
	if n, ok := t.fuseComprehension(kind, gens, eltExpr, off); ok {
		return n
	}
	skips := false
	for _, g := range gens {
		if len(g.Ifs) > 0 {
			skips = true
		}
	}
	loops := t.compLoop(gens, 0, elt)
	spec := &collectSpec{kind: kind, depth: len(gens), skips: skips}
	return t.callEnv(off, hCollect, constNode(spec, off), loops)
}

func (t *translator) compLoop(gens []syntax.Comprehension, i int, elt func() ast.Node) ast.Node {
	g := &gens[i]
	iter := t.typed(g.Pos, tIter, at(envNode(), g.Pos), t.expr(g.Iter))
	t.pushScope()
	defer t.popScope()
	t.depth++
	defer func() { t.depth-- }()
	wrap := t.bindTarget(g.Target, pointer(g.Pos), true)
	var body ast.Node
	if i == len(gens)-1 {
		body = elt()
	} else {
		body = t.compLoop(gens, i+1, elt)
	}
	if len(g.Ifs) > 0 {
		body = at(&ast.ConditionalNode{Ternary: true, Cond: t.condAll(g.Ifs, g.Pos), Exp1: body, Exp2: constNode(skip, g.Pos)}, g.Pos)
	}
	return at(&ast.BuiltinNode{Name: "map", Arguments: []ast.Node{iter, at(&ast.PredicateNode{Node: wrap(body)}, g.Pos)}}, g.Pos)
}

// anyAll translates any(genexp) / all(genexp) into expr's short-circuiting
// any/all loops.
func (t *translator) anyAll(name string, g *syntax.GeneratorExp) ast.Node {
	return t.anyLoop(name, g.Generators, 0, g.Elt)
}

func (t *translator) anyLoop(name string, gens []syntax.Comprehension, i int, elt syntax.Expr) ast.Node {
	g := &gens[i]
	iter := t.typed(g.Pos, tIter, at(envNode(), g.Pos), t.expr(g.Iter))
	t.pushScope()
	defer t.popScope()
	t.depth++
	defer func() { t.depth-- }()
	wrap := t.bindTarget(g.Target, pointer(g.Pos), true)
	var pred ast.Node
	if i == len(gens)-1 {
		pred = t.cond(elt)
	} else {
		pred = t.anyLoop(name, gens, i+1, elt)
	}
	if len(g.Ifs) > 0 {
		c := t.condAll(g.Ifs, g.Pos)
		if name == "any" {
			pred = at(&ast.BinaryNode{Operator: "&&", Left: c, Right: pred}, g.Pos)
		} else {
			pred = at(&ast.BinaryNode{Operator: "||", Left: at(&ast.UnaryNode{Operator: "not", Node: c}, g.Pos), Right: pred}, g.Pos)
		}
	}
	return at(&ast.BuiltinNode{Name: name, Arguments: []ast.Node{iter, at(&ast.PredicateNode{Node: wrap(pred)}, g.Pos)}}, g.Pos)
}

// ---- f-strings

func (t *translator) fstring(n *syntax.JoinedStr) ast.Node {
	if node, ok := t.fuseFStringNode(n); ok {
		return node
	}
	spec := &fstrSpec{}
	args := []ast.Node{nil}
	var lit strings.Builder
	for _, v := range n.Values {
		switch p := v.(type) {
		case *syntax.Constant:
			s, _ := p.Value.(string)
			lit.WriteString(s)
		case *syntax.FormattedValue:
			lit.WriteString(t.debugText(p))
			fp := fpart{field: true, lit: lit.String(), conv: p.Conversion}
			lit.Reset()
			args = append(args, t.expr(p.Value))
			if p.FormatSpec != nil {
				if s, ok := constJoined(p.FormatSpec); ok {
					fp.spec = s
				} else {
					fp.dynSpec = true
					args = append(args, t.fstring(p.FormatSpec))
				}
			}
			spec.parts = append(spec.parts, fp)
		default:
			pos, _ := v.Span()
			t.fail(py.SyntaxError, pos, "unexpected f-string part %T", v)
		}
	}
	if len(spec.parts) == 0 {
		return constNode(lit.String(), n.Pos)
	}
	if lit.Len() > 0 {
		spec.parts = append(spec.parts, fpart{lit: lit.String()})
	}
	if len(args) == 2 && !spec.parts[0].dynSpec {
		suffix := ""
		if len(spec.parts) == 2 {
			suffix = spec.parts[1].lit
		}
		return t.typed(n.Pos, fstring1(spec.parts[0].lit, spec.parts[0], suffix), at(envNode(), n.Pos), args[1])
	}
	args[0] = constNode(spec, n.Pos)
	return t.callEnv(n.Pos, hFStr, args...)
}

// debugText returns the text of a {x=} field from after '{' through the
// '=' and the whitespace after it (as CPython keeps it).
func (t *translator) debugText(p *syntax.FormattedValue) string {
	if p.DebugText == "" {
		return ""
	}
	_, end := p.Value.Span()
	if p.Pos+1 > len(t.src) || end > len(t.src) {
		return p.DebugText
	}
	i := strings.IndexByte(t.src[end:], '=')
	if i < 0 {
		return p.DebugText
	}
	j := end + i + 1
	for j < len(t.src) && (t.src[j] == ' ' || t.src[j] == '\t' || t.src[j] == '\n' || t.src[j] == '\r') {
		j++
	}
	return syntax.DropComments(t.src[p.Pos+1 : j])
}

// constJoined returns the text of a JoinedStr made only of constants.
func constJoined(j *syntax.JoinedStr) (string, bool) {
	var b strings.Builder
	for _, v := range j.Values {
		c, ok := v.(*syntax.Constant)
		if !ok {
			return "", false
		}
		s, _ := c.Value.(string)
		b.WriteString(s)
	}
	return b.String(), true
}

// ---- lambdas

func (t *translator) lambda(n *syntax.Lambda) ast.Node {
	// Defaults are evaluated where the lambda is created.
	var defaults []ast.Node
	seen := map[string]bool{}
	for i := range n.Params {
		p := &n.Params[i]
		t.checkName(p.Name, p.Pos)
		if seen[p.Name] {
			t.fail(py.SyntaxError, p.Pos, "duplicate argument '%s' in function definition", p.Name)
		}
		seen[p.Name] = true
		if p.Default != nil {
			defaults = append(defaults, t.expr(p.Default))
		}
	}
	child := newUnit(t.u, n)
	scope := map[string]binding{}
	for i := range n.Params {
		s := child.addSlot(n.Params[i].Name)
		scope[n.Params[i].Name] = binding{kind: bindSlot, slot: s}
	}
	child.scopes = append(child.scopes, scope)
	for name := range child.walrus {
		if _, isParam := scope[name]; !isParam {
			child.slotOf[name] = child.addSlot(name)
		}
	}
	outer := t.u
	t.u = child
	body := t.expr(n.Body)
	t.u = outer
	// Captured slots come last: move them after params and walrus slots
	// (they were appended in discovery order, which already satisfies this
	// as captures are only added while translating the body).
	prog, err := t.compileNode(body, child)
	if err != nil {
		panic(err)
	}
	proto := &lambdaProto{prog: prog, params: n.Params, ndefault: len(defaults), ncapture: len(child.captures), name: "<lambda>"}
	args := []ast.Node{constNode(proto, n.Pos)}
	args = append(args, defaults...)
	for _, name := range child.captures {
		args = append(args, t.loadNameRaw(&syntax.Name{Range: n.Range, Id: name}, "", false, true))
	}
	return t.callEnv(n.Pos, hLambda, args...)
}

// ---- compilation

// compileNode checks and compiles an expr tree into a Program for unit u.
func (t *translator) compileNode(node ast.Node, u *unit) (*Program, error) {
	// Captures must be the last slots of a lambda frame: reorder if a
	// walrus slot was added after a capture.
	if u.parent != nil {
		u = reorderCaptures(u, node)
	}
	tree := &parser.Tree{Node: node, Source: file.NewSource(t.src)}
	cfg := newConfig()
	if _, err := checker.Check(tree, cfg); err != nil {
		return nil, internalCompileError(t.src, err)
	}
	prog, err := compiler.Compile(tree, cfg)
	if err != nil {
		return nil, internalCompileError(t.src, err)
	}
	p := &Program{src: t.src, prog: prog, limits: t.eng.limits.Runtime.runtime(), slots: u.slots, refs: t.refs}
	if u.parent == nil {
		for name := range u.free {
			if !u.shadow[name] {
				p.free = append(p.free, name)
			}
		}
		sort.Strings(p.free)
	}
	return p, nil
}

// reorderCaptures checks that the captured slots of a lambda unit are its
// last slots (the lambda's call fills them at the end of the frame).
func reorderCaptures(u *unit, _ ast.Node) *unit {
	n := len(u.slots)
	for i, s := range u.capSlot {
		if s != n-len(u.capSlot)+i {
			panic(fmt.Sprintf("engine: lambda capture slot %d out of order", s))
		}
	}
	return u
}

func internalCompileError(src string, err error) *Error {
	off := 0
	if fe, ok := err.(*file.Error); ok {
		off = fe.From
	}
	return newError(KindInternal, "translation failed: "+err.Error(), src, off, err)
}

// translate compiles the tree of src into a Program.
func (e *Engine) translate(src string, tree syntax.Expr, fstring bool) (p *Program, err error) {
	t := &translator{eng: e, src: src, refs: map[string]*refInfo{}}
	defer func() {
		if r := recover(); r != nil {
			if ce, ok := r.(*Error); ok {
				p, err = nil, ce
				return
			}
			p, err = nil, newError(KindInternal, fmt.Sprint("translation failed: ", r), src, 0, nil)
		}
	}()
	root := newUnit(nil, tree)
	for name := range root.walrus {
		root.slotOf[name] = root.addSlot(name)
	}
	t.u = root
	node := t.expr(tree)
	p, err = t.compileNode(node, root)
	if err != nil {
		return nil, err
	}
	p.fstring = fstring
	if sn, ok := node.(*ast.StringNode); ok {
		p.konst, p.isConst = sn.Value, true
	}
	// Names read only through builtins/modules are not in refs; keep refs
	// only for free names.
	for name := range p.refs {
		if !root.free[name] {
			delete(p.refs, name)
		}
	}
	return p, nil
}
