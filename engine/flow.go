package engine

import (
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine/internal/syntax"
)

// Sensitivity tells how a root variable holds sensitive values, for
// Program.Flow. The engine does not know what a secret is: the caller says
// which variables are sensitive and how.
type Sensitivity uint8

// The kinds of Sensitivity.
const (
	// SensitiveMembers: each constant member of the variable (v.k, v["k"],
	// v.get("k")) is a sensitive str; the variable itself (iterated, given
	// to a function, indexed with a computed key) is not to be used whole.
	// This is how a secrets mapping is sensitive.
	SensitiveMembers Sensitivity = iota + 1
	// SensitiveWhole: the variable is a str whose sensitive parts were
	// inserted whole (a variable computed by a field of Flow FlowWhole).
	SensitiveWhole
	// SensitiveOpaque: the variable was computed from sensitive values in
	// some other way; any use of it is FlowDerived.
	SensitiveOpaque
)

// Flow says how sensitive values reach the result of a program.
type Flow uint8

// The kinds of Flow.
const (
	// FlowNone: the program reads no sensitive variable.
	FlowNone Flow = iota
	// FlowWhole: sensitive str values reach the result only whole,
	// inserted by operations that do not look at their content: into text
	// (a replacement field of an f-string or {{ }} template without format
	// spec or with !s, + concatenation, '%s' % …, a literal's .format()
	// with plain fields, str(x), a literal separator's .join of a list or
	// tuple display) or as items of list, tuple and dict displays (as
	// values, not keys), or as the whole result; and no condition, key,
	// index or function argument reads a sensitive value. So evaluating
	// the same program with each sensitive value replaced by another str
	// (a mark such as "[REDACTED:name]") gives the same result with the
	// marks in place of the values: a display computed from marks, never
	// from values. Only the limits of the evaluation (lengths, work) may
	// differ, since a mark and a value differ in length.
	FlowWhole
	// FlowDerived: a sensitive value is used in any other way (sliced,
	// compared, measured, iterated, converted, used as a key, a condition
	// or a format spec, passed to a function, bound to a name…): the
	// result, and whether and how the evaluation fails, may depend on the
	// values.
	FlowDerived
)

// String returns "none", "whole" or "derived".
func (f Flow) String() string {
	switch f {
	case FlowNone:
		return "none"
	case FlowWhole:
		return "whole"
	case FlowDerived:
		return "derived"
	}
	return "Flow(?)"
}

// Flow analyses, on the program's syntax tree, how the values of the
// sensitive root variables in sens reach its result (see Flow and
// Sensitivity). Variables the program does not read are ignored. The
// analysis is static and conservative: a name bound inside the expression
// that shadows a sensitive variable counts as a use of it.
func (p *Program) Flow(sens map[string]Sensitivity) Flow {
	read := map[string]Sensitivity{}
	for _, n := range p.free {
		if s, ok := sens[n]; ok && s != 0 {
			read[n] = s
		}
	}
	if len(read) == 0 {
		return FlowNone
	}
	for _, s := range read {
		if s == SensitiveOpaque {
			return FlowDerived
		}
	}
	var tree syntax.Expr
	var err error
	if p.fstring {
		var js *syntax.JoinedStr
		js, err = syntax.ParseFStringBody(p.src)
		tree = js
	} else {
		tree, err = syntax.Parse(p.src)
	}
	if err != nil { // compiled once, so it parses; be safe anyway
		return FlowDerived
	}
	a := flowAnalysis{sens: read}
	a.visit(tree, ctxValue)
	if a.derived {
		return FlowDerived
	}
	if a.whole {
		return FlowWhole
	}
	return FlowNone
}

// Flow analyses the field's program (FlowNone for a literal); see
// Program.Flow.
func (f *Field) Flow(sens map[string]Sensitivity) Flow {
	if f.prog == nil {
		return FlowNone
	}
	return f.prog.Flow(sens)
}

// flowCtx is where a node's value goes.
type flowCtx uint8

const (
	// ctxNone: anywhere else (an operand, argument, condition, key...): a
	// sensitive value here is derived.
	ctxNone flowCtx = iota
	// ctxValue: the value is part of the result as it is (the result, an
	// item or value of a display in value position, an operand of +).
	ctxValue
	// ctxText: the value is converted with str() and inserted into text
	// (only a str converts to itself).
	ctxText
)

type flowAnalysis struct {
	sens    map[string]Sensitivity
	whole   bool // a sensitive value is inserted whole
	derived bool // a sensitive value is used otherwise
}

// occur records a use of a sensitive variable: whole when it is the
// variable's unit (a member for SensitiveMembers, the variable for
// SensitiveWhole) in value or text position.
func (a *flowAnalysis) occur(unit bool, c flowCtx) {
	if unit && c != ctxNone {
		a.whole = true
	} else {
		a.derived = true
	}
}

// member returns the sensitive root of a constant member read (v.k,
// v["k"], v.get("k")), or "".
func (a *flowAnalysis) member(e syntax.Expr) (string, bool) {
	switch n := e.(type) {
	case *syntax.Attribute:
		if nm, ok := n.Value.(*syntax.Name); ok && a.sens[nm.Id] != 0 && !isDictMethod(n.Attr) {
			return nm.Id, true
		}
	case *syntax.Subscript:
		if nm, ok := n.Value.(*syntax.Name); ok && a.sens[nm.Id] != 0 {
			if c, ok := n.Index.(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
				return nm.Id, true
			}
		}
	case *syntax.Call:
		if at, ok := n.Func.(*syntax.Attribute); ok && at.Attr == "get" && len(n.Args) == 1 && len(n.Keywords) == 0 {
			if nm, ok := at.Value.(*syntax.Name); ok && a.sens[nm.Id] != 0 {
				if c, ok := n.Args[0].(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
					return nm.Id, true
				}
			}
		}
	}
	return "", false
}

func (a *flowAnalysis) visit(e syntax.Node, c flowCtx) {
	if e == nil || isNilSyntax(e) {
		return
	}
	if x, ok := e.(syntax.Expr); ok {
		if root, ok := a.member(x); ok {
			a.occur(a.sens[root] == SensitiveMembers, c)
			return
		}
	}
	switch n := e.(type) {
	case *syntax.Name:
		if s := a.sens[n.Id]; s != 0 {
			a.occur(s == SensitiveWhole, c)
		}
		return
	case *syntax.Constant:
		return
	case *syntax.JoinedStr:
		in := ctxNone
		if c != ctxNone {
			in = ctxText
		}
		for _, v := range n.Values {
			if fv, ok := v.(*syntax.FormattedValue); ok {
				fc := in
				if (fv.Conversion != 0 && fv.Conversion != 's') || (fv.FormatSpec != nil && len(fv.FormatSpec.Values) > 0) {
					fc = ctxNone
				}
				a.visit(fv.Value, fc)
				if fv.FormatSpec != nil {
					a.visit(fv.FormatSpec, ctxNone)
				}
				continue
			}
			a.visit(v, ctxNone)
		}
		return
	case *syntax.BinOp:
		switch {
		case n.Op == "+" && c != ctxNone:
			a.visit(n.Left, c)
			a.visit(n.Right, c)
			return
		case n.Op == "%" && c != ctxNone:
			if lit, ok := n.Left.(*syntax.Constant); ok && lit.Kind == syntax.ConstStr {
				a.percent(lit.Value.(string), n.Right)
				return
			}
		}
	case *syntax.IfExp:
		a.visit(n.Test, ctxNone)
		a.visit(n.Body, c)
		a.visit(n.OrElse, c)
		return
	case *syntax.Call:
		if a.call(n, c) {
			return
		}
	case *syntax.List:
		if c == ctxValue {
			a.items(n.Elts)
			return
		}
	case *syntax.Tuple:
		if c == ctxValue {
			a.items(n.Elts)
			return
		}
	case *syntax.Dict:
		if c == ctxValue {
			for i, v := range n.Values {
				if n.Keys[i] == nil { // **mapping
					a.visit(v, ctxNone)
					continue
				}
				a.visit(n.Keys[i], ctxNone)
				a.visit(v, ctxValue)
			}
			return
		}
	}
	// Any other node: every child is in no insertion position.
	first := true
	syntax.Inspect(e, func(ch syntax.Node) bool {
		if first {
			first = false
			return true
		}
		if ch != nil {
			a.visit(ch, ctxNone)
		}
		return false
	})
}

// items visits the items of a list or tuple display in value position.
func (a *flowAnalysis) items(elts []syntax.Expr) {
	for _, el := range elts {
		if _, ok := el.(*syntax.Starred); ok {
			a.visit(el, ctxNone)
			continue
		}
		a.visit(el, ctxValue)
	}
}

// call handles the calls that insert their arguments whole into text:
// str(x), 'literal'.format(...) with plain fields, sep.join([...]). It
// reports whether n was one of them.
func (a *flowAnalysis) call(n *syntax.Call, c flowCtx) bool {
	if c == ctxNone {
		return false
	}
	switch f := n.Func.(type) {
	case *syntax.Name:
		if f.Id == "str" && a.sens["str"] == 0 && len(n.Args) == 1 && len(n.Keywords) == 0 {
			if _, star := n.Args[0].(*syntax.Starred); !star {
				a.visit(n.Args[0], ctxText)
				return true
			}
		}
	case *syntax.Attribute:
		lit, ok := f.Value.(*syntax.Constant)
		if !ok || lit.Kind != syntax.ConstStr {
			return false
		}
		switch f.Attr {
		case "format":
			plain, ok := formatPlainArgs(lit.Value.(string))
			if !ok {
				return false
			}
			for _, arg := range n.Args {
				if _, star := arg.(*syntax.Starred); star {
					return false
				}
			}
			for _, kw := range n.Keywords {
				if kw.Name == "" {
					return false
				}
			}
			for i, arg := range n.Args {
				a.visit(arg, plain.ctx(strconv.Itoa(i)))
			}
			for _, kw := range n.Keywords {
				a.visit(kw.Value, plain.ctx(kw.Name))
			}
			return true
		case "join":
			if len(n.Args) != 1 || len(n.Keywords) != 0 {
				return false
			}
			var elts []syntax.Expr
			switch d := n.Args[0].(type) {
			case *syntax.List:
				elts = d.Elts
			case *syntax.Tuple:
				elts = d.Elts
			default:
				return false
			}
			for _, el := range elts {
				if _, star := el.(*syntax.Starred); star {
					return false
				}
			}
			for _, el := range elts {
				a.visit(el, ctxText)
			}
			return true
		}
	}
	return false
}

// percent visits the right operand of 'literal' % right: an argument
// formatted by a plain %s is in text position, others in none.
func (a *flowAnalysis) percent(format string, right syntax.Expr) {
	convs, ok := percentConversions(format)
	if !ok {
		a.visit(right, ctxNone)
		return
	}
	if t, isTuple := right.(*syntax.Tuple); isTuple {
		for i, el := range t.Elts {
			if _, star := el.(*syntax.Starred); star || i >= len(convs) || !convs[i] {
				a.visit(el, ctxNone)
				continue
			}
			a.visit(el, ctxText)
		}
		return
	}
	if len(convs) == 1 && convs[0] {
		a.visit(right, ctxText)
		return
	}
	a.visit(right, ctxNone)
}

// percentConversions returns, for each argument a %-format consumes, whether
// it is formatted by a plain %s (no flags, width, precision); ok is false
// for formats with a mapping key ("%(name)s") or that do not parse.
func percentConversions(f string) (plain []bool, ok bool) {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i >= len(f) {
			return nil, false
		}
		if f[i] == '%' {
			continue
		}
		if f[i] == '(' {
			return nil, false
		}
		simple := true
		for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
			simple = false
			i++
		}
		for i < len(f) && (f[i] == '*' || f[i] >= '0' && f[i] <= '9') {
			if f[i] == '*' {
				plain = append(plain, false) // the width argument
			}
			simple = false
			i++
		}
		if i < len(f) && f[i] == '.' {
			simple = false
			i++
			for i < len(f) && (f[i] == '*' || f[i] >= '0' && f[i] <= '9') {
				if f[i] == '*' {
					plain = append(plain, false)
				}
				i++
			}
		}
		for i < len(f) && strings.IndexByte("hlL", f[i]) >= 0 {
			simple = false
			i++
		}
		if i >= len(f) {
			return nil, false
		}
		plain = append(plain, simple && f[i] == 's')
	}
	return plain, true
}

// plainFields says, for each argument of a str.format call (by position
// "0", "1"… or keyword name), whether every field that uses it is plain
// ({}, {0}, {name}, with !s or no conversion and no format spec).
type plainFields map[string]bool

// ctx returns the position of the argument named key: text when every use
// is plain (or it is not used), none otherwise.
func (p plainFields) ctx(key string) flowCtx {
	if plain, used := p[key]; used && !plain {
		return ctxNone
	}
	return ctxText
}

// formatPlainArgs parses a str.format format string; ok is false when it
// does not parse (the call fails the same way for any values).
func formatPlainArgs(f string) (plainFields, bool) {
	out := plainFields{}
	use := func(key string, plain bool) {
		if old, seen := out[key]; seen {
			plain = plain && old
		}
		out[key] = plain
	}
	auto := 0
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				i++
				continue
			}
			return nil, false
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				i++
				continue
			}
		default:
			continue
		}
		// a field: up to the matching '}' (nested fields in the spec)
		depth, j := 1, i+1
		for j < len(f) && depth > 0 {
			switch f[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
			j++
		}
		if depth != 0 {
			return nil, false
		}
		body := f[i+1 : j-1]
		i = j - 1
		name, rest := body, ""
		if k := strings.IndexAny(body, "!:"); k >= 0 {
			name, rest = body[:k], body[k:]
		}
		plain := rest == "" || rest == "!s" || rest == ":" || rest == "!s:"
		key := name
		if k := strings.IndexAny(name, ".["); k >= 0 {
			key, plain = name[:k], false
		}
		if key == "" {
			key = strconv.Itoa(auto)
			auto++
		}
		use(key, plain)
		// nested fields of the spec name arguments used as a spec
		if k := strings.IndexByte(rest, ':'); k >= 0 {
			spec := rest[k+1:]
			for s := 0; s < len(spec); s++ {
				if spec[s] != '{' {
					continue
				}
				e := strings.IndexByte(spec[s:], '}')
				if e < 0 {
					return nil, false
				}
				inner := spec[s+1 : s+e]
				if inner == "" {
					inner = strconv.Itoa(auto)
					auto++
				}
				if k := strings.IndexAny(inner, ".["); k >= 0 {
					inner = inner[:k]
				}
				use(inner, false)
				s += e
			}
		}
	}
	return out, true
}

// isNilSyntax reports a typed nil node.
func isNilSyntax(n syntax.Node) bool {
	var nilNode bool
	syntax.Inspect(n, func(syntax.Node) bool { nilNode = true; return false })
	return !nilNode
}
