package engine

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// Fused translation: the fast path of the translator.
//
// What it covers. A comprehension with one for clause over a simple name,
// whose element and conditions only read the loop variable through constant
// subscripts and attributes, compare with constants or build small displays
// (`[d['title'] for d in docs if d['score'] > 0.5]`, `[{'a': r['a']} for r in
// rows]`, `sum(d.x for d in ds)`, `', '.join(...)` of one), and an f-string
// whose fields are constant paths from variables (`f'Bearer
// {secrets.token}'`), each run as one typed helper: a Go loop over closures
// built at compile time, instead of the VM's loop with one helper call per
// operation.
//
// The contract. A fused program is indistinguishable from the general
// translation of the same source (translate.go) except for speed:
//   - the same value, or the same error: kind, message and offset (closures
//     raise with raiseAt, which carries the offset of the operation that
//     failed; runtimeError positions it there);
//   - the same py operations in the same order, and the same work charged
//     (py.Iterate's unit per item, nothing per operation), so the same
//     LimitErrors;
//   - the same FreeNames and Refs;
//   - compile-time refusals (names starting with '_', forbidden names) stay
//     with the general path: the fuser never fails a translation, it answers
//     false for anything outside its subset and the general path translates
//     it.
// TestFusedComprehensions, TestFusedFStrings and FuzzFused hold it to this by
// comparing each source against an engine built withoutFusion.

// withoutFusion is the Option that turns the fused fast path off: every
// program then takes the general translation (tests compare the two).
func withoutFusion() Option {
	return func(e *Engine) { e.noFusion = true }
}

// raiseAt raises err at byte offset off of the source (see offsetError).
func raiseAt(off int, err error) { panic(&offsetError{off: off, err: err}) }

// fval evaluates an expression of the fusable subset on the loop item.
type fval struct {
	fn    func(item any) any
	ident bool   // the expression is the loop variable itself
	dict  *fdict // the expression is a dict display with constant keys
}

// fdict is a fused dict display: the template of keys and the values.
type fdict struct {
	tpl  *py.Dict
	vals []func(any) any
}

// fcond evaluates a condition of the fusable subset on the loop item.
type fcond func(item any) bool

// fuser builds closures for the element and conditions of a comprehension
// whose loop variable is target. It never fails the translation: anything
// outside the subset (including names and attributes that the general path
// must refuse) makes it answer false.
type fuser struct {
	target string
	// env mode (f-strings): the closures' input is the *frame and names are
	// root free variables read from their slots; roots lists them in source
	// order, resolved by bindRoots once the whole expression fused.
	env   bool
	t     *translator
	roots []*fuseRoot
}

// fuseRoot is a root free variable read by an env-mode closure, with the
// constant key read directly on it (for Refs, as translator.loadName).
type fuseRoot struct {
	name  *syntax.Name
	key   string
	isKey bool
	slot  int
}

// root returns the fuseRoot of a name in env mode, or nil when the name is
// not a plain root variable (or is refused: the general path reports it).
func (f *fuser) root(n *syntax.Name) *fuseRoot {
	if (strings.HasPrefix(n.Id, "_") && n.Id != "_") || forbidden[n.Id] {
		return nil
	}
	if _, ok := f.t.isFreeName(n); !ok {
		return nil
	}
	r := &fuseRoot{name: n, slot: -1}
	f.roots = append(f.roots, r)
	return r
}

// rootVal reads the slot of r from the frame (NameError at the name when
// the variable is not defined).
func rootVal(r *fuseRoot) func(any) any {
	return func(env any) any {
		fr := env.(*frame)
		v := fr.vals[r.slot]
		if v == unbound {
			raiseAt(r.name.Pos, py.Errorf(py.NameError, "name '%s' is not defined", r.name.Id))
		}
		return v
	}
}

// bindRoots records the refs and slots of the roots, in source order, as
// the general translation does.
func (f *fuser) bindRoots() {
	for _, r := range f.roots {
		t := f.t
		t.checkName(r.name.Id, r.name.Pos)
		t.ref(r.name.Id, r.key, r.isKey)
		r.slot = t.freeSlot(t.u, r.name.Id)
	}
}

func (f *fuser) val(e syntax.Expr) (fval, bool) {
	switch n := e.(type) {
	case *syntax.Name:
		if f.env {
			if r := f.root(n); r != nil {
				return fval{fn: rootVal(r)}, true
			}
			return fval{}, false
		}
		if n.Id == f.target {
			return fval{fn: func(it any) any { return it }, ident: true}, true
		}
	case *syntax.Constant:
		var c any
		switch v := n.Value.(type) {
		case int:
			c = int64(v)
		case int64, float64, string, bool, nil:
			c = v
		default:
			return fval{}, false
		}
		return fval{fn: func(any) any { return c }}, true
	case *syntax.Subscript:
		key, ok := fuseKey(n.Index)
		if !ok {
			return fval{}, false
		}
		nroots := len(f.roots)
		obj, ok := f.val(n.Value)
		if !ok {
			return fval{}, false
		}
		if f.env && len(f.roots) > nroots {
			if _, isName := n.Value.(*syntax.Name); isName {
				r := f.roots[nroots]
				r.key, r.isKey = "", false
				if ks, ok := key.(string); ok {
					r.key, r.isKey = ks, true
				}
			}
		}
		return fval{fn: fuseGetKey(obj, key, n.Pos)}, true
	case *syntax.Attribute:
		if len(n.Attr) == 0 || n.Attr[0] == '_' {
			return fval{}, false // the general path refuses it
		}
		if f.env {
			if _, isMod := f.t.dottedModule(n); isMod {
				return fval{}, false
			}
			if _, isUnbound := f.t.unboundMethod(n); isUnbound {
				return fval{}, false
			}
		}
		nroots := len(f.roots)
		obj, ok := f.val(n.Value)
		if !ok {
			return fval{}, false
		}
		if f.env && len(f.roots) > nroots {
			if _, isName := n.Value.(*syntax.Name); isName {
				r := f.roots[nroots]
				r.key, r.isKey = n.Attr, !isDictMethod(n.Attr)
			}
		}
		return fval{fn: fuseGetAttr(obj, n.Attr, n.AttrPos)}, true
	case *syntax.Dict:
		return f.dict(n)
	case *syntax.Tuple:
		return f.pair(n.Elts, tTuple1, tTuple2)
	case *syntax.List:
		return f.pair(n.Elts, tList1, tList2)
	}
	return fval{}, false
}

// fuseKey returns the constant key of a subscript the general translation
// reads with getKey: a str, an int, or a negated positive int.
func fuseKey(idx syntax.Expr) (any, bool) {
	if c, ok := idx.(*syntax.Constant); ok {
		switch v := c.Value.(type) {
		case string:
			if c.Kind == syntax.ConstStr {
				return v, true
			}
		case int64:
			if c.Kind == syntax.ConstInt {
				return v, true
			}
		}
		return nil, false
	}
	if u, ok := idx.(*syntax.UnaryOp); ok && u.Op == "-" {
		if c, ok := u.Operand.(*syntax.Constant); ok {
			if v, ok := c.Value.(int64); ok && v > 0 {
				return -v, true
			}
		}
	}
	return nil, false
}

// fuseGetKey is getKey (tGetItem) on the value of obj, raising at off.
func fuseGetKey(obj fval, key any, off int) func(any) any {
	get := func(o any) any {
		switch x := o.(type) {
		case *py.Dict:
			if k, ok := key.(string); ok {
				if v, ok := x.GetStr(k); ok {
					return v
				}
			}
		case *py.List:
			if i, ok := key.(int64); ok {
				if i < 0 {
					i += int64(len(x.Items))
				}
				if i >= 0 && i < int64(len(x.Items)) {
					return x.Items[i]
				}
			}
		}
		v, err := py.GetItem(nil, o, key)
		if err != nil {
			raiseAt(off, err)
		}
		return v
	}
	if ks, ok := key.(string); ok && obj.ident {
		return func(it any) any {
			if d, ok := it.(*py.Dict); ok {
				if v, ok := d.GetStr(ks); ok {
					return v
				}
			}
			return get(it)
		}
	}
	of := obj.fn
	return func(it any) any { return get(of(it)) }
}

// fuseGetAttr is getAttr on the value of obj, raising at off.
func fuseGetAttr(obj fval, name string, off int) func(any) any {
	_, isMethod := library.Method("dict", name)
	of := obj.fn
	return func(it any) any {
		o := of(it)
		if !isMethod {
			if d, ok := o.(*py.Dict); ok {
				if v, ok := d.GetStr(name); ok {
					return v
				}
			}
		}
		v, err := library.GetAttr(nil, o, name)
		if err != nil {
			raiseAt(off, err)
		}
		return v
	}
}

// dict fuses a dict display with distinct constant str keys (as
// translator.dict builds it from a template, with no budget check).
func (f *fuser) dict(n *syntax.Dict) (fval, bool) {
	if len(n.Keys) < 1 || len(n.Keys) > smallDictMax {
		return fval{}, false
	}
	var keys []string
	for _, k := range n.Keys {
		c, ok := k.(*syntax.Constant)
		if !ok || c.Kind != syntax.ConstStr {
			return fval{}, false
		}
		keys = append(keys, c.Value.(string))
	}
	spec := newConstDict(keys)
	if spec == nil {
		return fval{}, false // repeated keys: the general path
	}
	vals := make([]func(any) any, len(n.Values))
	for i, v := range n.Values {
		fv, ok := f.val(v)
		if !ok {
			return fval{}, false
		}
		vals[i] = fv.fn
	}
	tpl := spec.tpl
	return fval{fn: func(it any) any {
		var buf [smallDictMax]any
		vs := buf[:len(vals)]
		for i, fn := range vals {
			vs[i] = fn(it)
		}
		return tpl.WithValues(vs)
	}, dict: &fdict{tpl: tpl, vals: vals}}, true
}

// pair fuses a list or tuple display of one or two plain elements (the
// typed displays of translator.display).
func (f *fuser) pair(elts []syntax.Expr, one func(any) any, two func(any, any) any) (fval, bool) {
	if len(elts) < 1 || len(elts) > 2 {
		return fval{}, false
	}
	var fs []func(any) any
	for _, e := range elts {
		fv, ok := f.val(e)
		if !ok {
			return fval{}, false
		}
		fs = append(fs, fv.fn)
	}
	if len(fs) == 1 {
		a := fs[0]
		return fval{fn: func(it any) any { return one(a(it)) }}, true
	}
	a, b := fs[0], fs[1]
	return fval{fn: func(it any) any {
		x := a(it)
		return two(x, b(it))
	}}, true
}

func (f *fuser) cond(e syntax.Expr) (fcond, bool) {
	switch n := e.(type) {
	case *syntax.Compare:
		return f.compare(n)
	case *syntax.UnaryOp:
		if n.Op == "not" {
			c, ok := f.cond(n.Operand)
			if !ok {
				return nil, false
			}
			return func(it any) bool { return !c(it) }, true
		}
	case *syntax.BoolOp:
		var cs []fcond
		for _, v := range n.Values {
			c, ok := f.cond(v)
			if !ok {
				return nil, false
			}
			cs = append(cs, c)
		}
		if n.Op == "or" {
			return func(it any) bool {
				for _, c := range cs {
					if c(it) {
						return true
					}
				}
				return false
			}, true
		}
		return func(it any) bool {
			for _, c := range cs {
				if !c(it) {
					return false
				}
			}
			return true
		}, true
	case *syntax.Constant:
		b := py.Truth(n.Value)
		return func(any) bool { return b }, true
	}
	v, ok := f.val(e)
	if !ok {
		return nil, false
	}
	fn := v.fn
	return func(it any) bool { return py.Truth(fn(it)) }, true
}

// compare fuses one comparison (<, <=, >, >=, ==, !=).
func (f *fuser) compare(n *syntax.Compare) (fcond, bool) {
	if len(n.Ops) != 1 {
		return nil, false
	}
	op, off := n.Ops[0], n.OpPos[0]
	if cmpFuncs[op] == nil {
		return nil, false
	}
	l, ok := f.val(n.Left)
	if !ok {
		return nil, false
	}
	lf := l.fn
	if c, ok := n.Comparators[0].(*syntax.Constant); ok && c.Kind != syntax.ConstNone {
		if cf := cmpWithConst(op, constValue(c), off); cf != nil {
			return func(it any) bool { return cf(lf(it)) }, true
		}
	}
	r, ok := f.val(n.Comparators[0])
	if !ok {
		return nil, false
	}
	rf := r.fn
	switch op {
	case "==":
		return func(it any) bool {
			a := lf(it)
			return tEq(a, rf(it))
		}, true
	case "!=":
		return func(it any) bool {
			a := lf(it)
			return !tEq(a, rf(it))
		}, true
	}
	return func(it any) bool {
		a := lf(it)
		ok, err := py.Compare(op, a, rf(it))
		if err != nil {
			raiseAt(off, err)
		}
		return ok
	}, true
}

// cmpWithConst returns a comparison of its operand with the constant c,
// with fast paths for float and int constants.
func cmpWithConst(op string, c any, off int) func(a any) bool {
	switch op {
	case "==":
		return func(a any) bool { return tEq(a, c) }
	case "!=":
		return func(a any) bool { return !tEq(a, c) }
	}
	slow := func(a any) bool {
		ok, err := py.Compare(op, a, c)
		if err != nil {
			raiseAt(off, err)
		}
		return ok
	}
	if cf, ok := c.(float64); ok {
		switch op {
		case "<":
			return func(a any) bool {
				if x, ok := a.(float64); ok {
					return x < cf
				}
				return slow(a)
			}
		case "<=":
			return func(a any) bool {
				if x, ok := a.(float64); ok {
					return x <= cf
				}
				return slow(a)
			}
		case ">":
			return func(a any) bool {
				if x, ok := a.(float64); ok {
					return x > cf
				}
				return slow(a)
			}
		case ">=":
			return func(a any) bool {
				if x, ok := a.(float64); ok {
					return x >= cf
				}
				return slow(a)
			}
		}
	}
	return slow
}

// fusedComp is the helper of a fused comprehension.
type fusedComp struct {
	kind    byte // 'l', 'g' (a list) or 's'
	elt     func(any) any
	dict    *fdict // the element is a dict display: dicts come from one batch
	cond    fcond  // nil when there is no if clause
	iterOff int    // position of the for clause (errors of iteration)
	off     int    // position of the comprehension (errors of collection)
}

// fill appends the comprehension's items over iterable to out[:0] and
// checks the collection size.
func (c *fusedComp) fill(s *py.State, iterable any, out []any) []any {
	items, err := py.Iterate(s, iterable)
	if err != nil {
		raiseAt(c.iterOff, err)
	}
	if cap(out) < len(items) {
		out = make([]any, 0, len(items))
	}
	out = out[:0]
	elt, cond := c.elt, c.cond
	if c.dict != nil {
		out = c.dicts(out, items)
	} else if cond == nil {
		for _, it := range items {
			out = append(out, elt(it))
		}
	} else {
		for _, it := range items {
			if cond(it) {
				out = append(out, elt(it))
			}
		}
	}
	if err := s.CheckCollectionLen(int64(len(out))); err != nil {
		raiseAt(c.off, err)
	}
	return out
}

// run evaluates the comprehension over iterable.
func (c *fusedComp) run(env, iterable any) any {
	fr := env.(*frame)
	s := fr.st
	if c.cond != nil && c.kind != 's' && fr.scratch != nil {
		// Filtered: collect in the scratch buffer, keep an exact-size copy.
		buf := *fr.scratch
		*fr.scratch = nil // taken: a nested use allocates its own
		tmp := c.fill(s, iterable, buf)
		var out []any
		if len(tmp) > 0 {
			out = make([]any, len(tmp))
			copy(out, tmp)
		} else {
			out = []any{}
		}
		clear(tmp)
		*fr.scratch = tmp[:0]
		return py.NewList(out)
	}
	out := c.fill(s, iterable, nil)
	if c.kind == 's' {
		set := py.NewSet(len(out))
		for _, v := range out {
			if err := set.Add(v); err != nil {
				raiseAt(c.off, err)
			}
		}
		return set
	}
	return py.NewList(out)
}

// fusedArg is a call whose only argument is a fused list comprehension or
// generator (sum(d['x'] for d in ds), ' '.join(list(...))) and whose
// function does not keep its argument: the list's items are built in the
// runner's scratch buffer, reused by the next evaluation.
type fusedArg struct {
	fc   *fusedComp
	call func(s *py.State, list *py.List) (any, error)
	off  int // position of the call (its errors)
}

func (u *fusedArg) run(env, iterable any) any {
	fr := env.(*frame)
	var buf []any
	if fr.scratch != nil {
		buf, *fr.scratch = *fr.scratch, nil // taken: a nested use allocates its own
	}
	out := u.fc.fill(fr.st, iterable, buf)
	list := py.NewList(out)
	v, err := u.call(fr.st, list)
	list.Items = nil
	clear(out)
	if fr.scratch != nil {
		*fr.scratch = out[:0]
	}
	if err != nil {
		raiseAt(u.off, err)
	}
	return v
}

// dicts appends the dict element of each item that passes the conditions,
// the dicts built from one batch.
func (c *fusedComp) dicts(out, items []any) []any {
	fd := c.dict
	b := fd.tpl.Batch(len(items))
	var buf [smallDictMax]any
	vs := buf[:len(fd.vals)]
	for _, it := range items {
		if c.cond != nil && !c.cond(it) {
			continue
		}
		for i, fn := range fd.vals {
			vs[i] = fn(it)
		}
		out = append(out, b.Next(vs))
	}
	return out
}

// fusedConsumers are the builtins that read their iterable argument once and
// keep neither it nor a reference to its item slice.
var fusedConsumers = map[string]bool{"sum": true, "min": true, "max": true}

// fuseConsumedArg returns the fused comprehension of the only argument of c
// (a generator expression, a list comprehension or list(generator)), or
// nil.
func (t *translator) fuseConsumedArg(c *syntax.Call) (*fusedComp, ast.Node) {
	if len(c.Args) != 1 || len(c.Keywords) != 0 {
		return nil, nil
	}
	var gens []syntax.Comprehension
	var elt syntax.Expr
	var off int
	switch a := c.Args[0].(type) {
	case *syntax.GeneratorExp:
		gens, elt, off = a.Generators, a.Elt, a.Pos
	case *syntax.ListComp:
		gens, elt, off = a.Generators, a.Elt, a.Pos
	case *syntax.Call:
		fn, ok := a.Func.(*syntax.Name)
		if !ok || fn.Id != "list" || len(a.Args) != 1 || len(a.Keywords) != 0 {
			return nil, nil
		}
		if _, local := t.lookupLocal(t.u, "list"); local {
			return nil, nil
		}
		if _, ok := library.Builtin("list"); !ok {
			return nil, nil
		}
		g, ok := a.Args[0].(*syntax.GeneratorExp)
		if !ok {
			return nil, nil
		}
		gens, elt, off = g.Generators, g.Elt, a.Pos
	default:
		return nil, nil
	}
	fc, iter := t.fuseComp('l', gens, elt, off)
	if fc == nil {
		return nil, nil
	}
	return fc, iter
}

// fuseComprehension translates a comprehension as a fused helper when it
// fits the subset; ok is false (and nothing was translated) otherwise.
func (t *translator) fuseComprehension(kind byte, gens []syntax.Comprehension, elt syntax.Expr, off int) (ast.Node, bool) {
	fc, iter := t.fuseComp(kind, gens, elt, off)
	if fc == nil {
		return nil, false
	}
	return t.typed(off, fc.run, at(envNode(), off), iter), true
}

// fuseComp builds the fused comprehension and translates its iterable, or
// returns nil (having translated nothing).
func (t *translator) fuseComp(kind byte, gens []syntax.Comprehension, elt syntax.Expr, off int) (*fusedComp, ast.Node) {
	if t.eng.noFusion || elt == nil || (kind != 'l' && kind != 'g' && kind != 's') || len(gens) != 1 {
		return nil, nil
	}
	g := &gens[0]
	target, ok := g.Target.(*syntax.Name)
	if !ok {
		return nil, nil
	}
	f := &fuser{target: target.Id}
	fe, ok := f.val(elt)
	if !ok {
		return nil, nil
	}
	var conds []fcond
	for _, e := range g.Ifs {
		c, ok := f.cond(e)
		if !ok {
			return nil, nil
		}
		conds = append(conds, c)
	}
	// The general path's compile-time checks, in its order: the iterable,
	// then the target (the element and conditions of the subset have none).
	iter := t.expr(g.Iter)
	t.checkName(target.Id, target.Pos)
	fc := &fusedComp{kind: kind, elt: fe.fn, dict: fe.dict, iterOff: g.Pos, off: off}
	switch len(conds) {
	case 0:
	case 1:
		fc.cond = conds[0]
	default:
		fc.cond = func(it any) bool {
			for _, c := range conds {
				if !c(it) {
					return false
				}
			}
			return true
		}
	}
	return fc, iter
}

// fuseFStringNode builds the spec of n without translating anything and
// fuses it when it can (see fuseFString).
func (t *translator) fuseFStringNode(n *syntax.JoinedStr) (ast.Node, bool) {
	spec := &fstrSpec{}
	var fields []syntax.Expr
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
			fields = append(fields, p.Value)
			if p.FormatSpec != nil {
				s, ok := constJoined(p.FormatSpec)
				if !ok {
					return nil, false
				}
				fp.spec = s
			}
			spec.parts = append(spec.parts, fp)
		default:
			return nil, false
		}
	}
	if len(spec.parts) == 0 {
		return nil, false
	}
	if lit.Len() > 0 {
		spec.parts = append(spec.parts, fpart{lit: lit.String()})
	}
	return t.fuseFString(spec, fields, n.Pos)
}

// fuseFString translates an f-string whose fields are all env-mode fusable
// paths (f'Bearer {secrets.token}', f'{steps[0].input.topic}: {_}') as one
// typed helper: the values are read first, in order, then rendered, as the
// general translation does. ok is false (nothing translated) otherwise.
func (t *translator) fuseFString(spec *fstrSpec, fields []syntax.Expr, off int) (ast.Node, bool) {
	if t.eng.noFusion || len(fields) == 0 || len(fields) > 8 || t.u.parent != nil {
		return nil, false
	}
	for _, p := range spec.parts {
		if p.dynSpec {
			return nil, false
		}
	}
	f := &fuser{env: true, t: t}
	vals := make([]func(any) any, len(fields))
	for i, e := range fields {
		v, ok := f.val(e)
		if !ok {
			return nil, false
		}
		vals[i] = v.fn
	}
	f.bindRoots()
	if len(vals) == 1 {
		suffix := ""
		if len(spec.parts) == 2 {
			suffix = spec.parts[1].lit
		}
		one, v0 := fstring1(spec.parts[0].lit, spec.parts[0], suffix), vals[0]
		return t.typed(off, func(env any) any { return one(env, v0(env)) }, at(envNode(), off)), true
	}
	return t.typed(off, func(env any) any {
		var buf [8]any
		args := buf[:len(vals)]
		for i, fn := range vals {
			args[i] = fn(env)
		}
		out, err := renderFString(env.(*frame).st, spec, args)
		if err != nil {
			raise(err)
		}
		return out
	}, at(envNode(), off)), true
}
