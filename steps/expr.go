package steps

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/julepkit/julep/engine/syntax"
)

// FieldCompiler compiles one evaluated string of a task (the raw field text,
// Julep's string rules applied by the compiler). A compile error should be,
// or wrap, an error with a byte offset into s (see ErrorOffset) so that it
// can be placed in the file.
type FieldCompiler interface {
	CompileField(s string) (any, error)
}

// OffsetError is implemented by compile errors that know where in the field
// string the problem is.
type OffsetError interface {
	error
	// ErrorOffset returns the byte offset into the compiled string.
	ErrorOffset() int
}

// valueRef is an evaluated value with its place in the task.
type valueRef struct {
	v       *Value
	c       ctx
	secrets []string // secret names read (constant references)
}

// classify applies Julep's string rules (JULEP.md, Strings) to v: it sets
// Mode, Legacy, Code and the Code->Raw offset map.
func classify(v *Value) {
	raw := v.Raw
	lead := len(raw) - len(strings.TrimLeft(raw, " \t\r\n"))
	s := strings.TrimSpace(raw)
	identity := func(code string, at int) {
		v.Code = code
		v.codeMap = make([]int, len(code)+1)
		for i := range v.codeMap {
			v.codeMap[i] = at + i
		}
	}
	switch {
	case strings.HasPrefix(s, "$ ") || s == "$":
		v.Mode = ModeExpr
		rest := s[1:]
		inner := len(rest) - len(strings.TrimLeft(rest, " \t\r\n"))
		identity(strings.TrimSpace(rest), lead+1+inner)
	case strings.Contains(s, "{{"):
		v.Mode = ModeTemplate
		var b strings.Builder
		var m []int
		for i := 0; i < len(s); i++ {
			m = append(m, lead+i)
			if i+1 < len(s) && (s[i] == '{' && s[i+1] == '{' || s[i] == '}' && s[i+1] == '}') {
				b.WriteByte(s[i])
				i++
				continue
			}
			b.WriteByte(s[i])
		}
		m = append(m, lead+len(s))
		v.Code, v.codeMap = b.String(), m
	case s == "_" || strings.HasPrefix(s, "_.") ||
		(strings.HasPrefix(s, "[") || strings.HasPrefix(s, "_[")) && strings.HasSuffix(s, "]") ||
		strings.Contains(s, "inputs[") || strings.Contains(s, "outputs["):
		v.Mode, v.Legacy = ModeExpr, true
		identity(s, lead)
	case strings.ContainsAny(s, "{}"):
		v.Mode = ModeFString
		identity(s, lead)
	default:
		v.Mode = ModeLiteral
		identity(s, lead)
	}
}

// analyze classifies, parses and checks every evaluated value.
func (d *decoder) analyze() {
	for i := range d.task.values {
		ref := &d.task.values[i]
		v := ref.v
		classify(v)
		if v.Mode == ModeLiteral {
			continue
		}
		var err error
		if v.Mode == ModeExpr {
			if v.Code == "" {
				d.exprError(ref, 0, "empty expression after \"$ \"")
				continue
			}
			v.AST, err = syntax.Parse(v.Code)
		} else {
			var js *syntax.JoinedStr
			js, err = syntax.ParseFStringBody(v.Code)
			if err == nil {
				v.AST = js
			}
		}
		compiled := false
		if d.opts.Compiler != nil {
			f, cerr := d.opts.Compiler.CompileField(v.Raw)
			if cerr != nil {
				off := 0
				var oe OffsetError
				if errors.As(cerr, &oe) {
					off = oe.ErrorOffset()
				}
				d.add(SeverityError, TypeExpression, v.PosAt(off), ref.c, "%s", d.exprMsg(v, cerr.Error()))
				compiled = true // reported; do not report our own parse error too
			} else {
				v.Field = f
			}
		}
		if err != nil {
			var se *syntax.Error
			if !compiled {
				if errors.As(err, &se) {
					d.add(SeverityError, TypeExpression, v.CodePos(se.Offset), ref.c, "%s", d.exprMsg(v, se.Kind+": "+se.Msg))
				} else {
					d.add(SeverityError, TypeExpression, v.At, ref.c, "%s", d.exprMsg(v, err.Error()))
				}
			}
			v.AST = nil
			continue
		}
		d.inspect(ref)
	}
}

// exprMsg explains how a failing string came to be evaluated.
func (d *decoder) exprMsg(v *Value, msg string) string {
	switch {
	case v.Legacy:
		return fmt.Sprintf("invalid expression: %s (the string has no \"$ \" but Julep's legacy rule evaluates it as Python because it starts with \"_\"/\"[\" or contains inputs[ or outputs[)", msg)
	case v.Mode == ModeFString:
		return fmt.Sprintf("invalid f-string: %s (Julep evaluates plain strings as f-strings, so a literal { or } fails at run time; write the text as a \"$ \" expression with a string literal)", msg)
	case v.Mode == ModeTemplate && strings.Contains(v.Code, "{%"):
		return fmt.Sprintf("invalid template: %s (Jinja blocks {%% %%} are not supported: Julep turns {{ }} into { } and evaluates the string as an f-string)", msg)
	case v.Mode == ModeTemplate:
		return fmt.Sprintf("invalid template: %s (Julep turns {{ }} into { } and evaluates the string as an f-string)", msg)
	}
	return "invalid expression: " + msg
}

func (d *decoder) exprError(ref *valueRef, off int, format string, args ...any) {
	d.add(SeverityError, TypeExpression, ref.v.CodePos(off), ref.c, format, args...)
}

// inspect walks a parsed value: names out of scope, secret references,
// refused names, constructs Julep rejects.
func (d *decoder) inspect(ref *valueRef) {
	v := ref.v
	bound := map[string]bool{}
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Comprehension:
			bindTargets(n.Target, bound)
		case *syntax.Lambda:
			for _, p := range n.Params {
				bound[p.Name] = true
			}
		case *syntax.NamedExpr:
			if n.Target != nil {
				bound[n.Target.Id] = true
			}
		}
		return true
	})
	warnedNames := map[string]bool{}
	dynamicSecrets := false
	strict := func(pos int, what string) {
		if d.opts.Strict {
			d.add(SeverityError, TypeStrict, v.CodePos(pos), ref.c, "%s is not supported by Julep (reported by --strict)", what)
		}
	}
	var secretsNode map[syntax.Node]bool = map[syntax.Node]bool{}
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Attribute:
			if strings.HasPrefix(n.Attr, "_") {
				d.add(SeverityError, TypeExpression, v.CodePos(n.AttrPos), ref.c, "attribute %q is refused: attributes starting with _ are not accessible", n.Attr)
			}
			if nm, ok := n.Value.(*syntax.Name); ok && nm.Id == "secrets" && !bound["secrets"] {
				ref.secrets = appendUnique(ref.secrets, n.Attr)
				secretsNode[nm] = true
			}
		case *syntax.Subscript:
			if nm, ok := n.Value.(*syntax.Name); ok && nm.Id == "secrets" && !bound["secrets"] {
				secretsNode[nm] = true
				if c, ok := n.Index.(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
					ref.secrets = appendUnique(ref.secrets, c.Value.(string))
				} else {
					dynamicSecrets = true
				}
			}
		case *syntax.Call:
			if a, ok := n.Func.(*syntax.Attribute); ok {
				if nm, ok := a.Value.(*syntax.Name); ok && nm.Id == "secrets" && a.Attr == "get" && len(n.Args) > 0 {
					if c, ok := n.Args[0].(*syntax.Constant); ok && c.Kind == syntax.ConstStr {
						ref.secrets = appendUnique(ref.secrets, c.Value.(string))
						secretsNode[nm] = true
					}
				}
				if a.Attr == "format" || a.Attr == "format_map" {
					strict(a.AttrPos, "str."+a.Attr)
				}
			}
			if nm, ok := n.Func.(*syntax.Name); ok {
				if !globals[nm.Id] && !bound[nm.Id] && !strings.HasPrefix(nm.Id, "_") {
					d.add(SeverityError, TypeExpression, v.CodePos(nm.Pos), ref.c, "unknown function %q%s", nm.Id, didYouMean(nm.Id, functionNames()))
					warnedNames[nm.Id] = true
				}
				if strictFuncs[nm.Id] {
					strict(nm.Pos, nm.Id+"()")
				}
			}
			for _, k := range n.Keywords {
				if k.Name == "" {
					strict(k.NamePos, "** unpacking")
				}
			}
		case *syntax.Lambda:
			strict(n.Pos, "lambda")
		case *syntax.SetComp:
			strict(n.Pos, "a set comprehension")
		case *syntax.NamedExpr:
			strict(n.Pos, "the walrus operator :=")
		case *syntax.Starred:
			strict(n.Pos, "starred unpacking (*)")
		case *syntax.Dict:
			for i, k := range n.Keys {
				if k == nil {
					p, _ := n.Values[i].Span()
					strict(max(p-2, 0), "** unpacking")
				}
			}
		}
		return true
	})
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		nm, ok := n.(*syntax.Name)
		if !ok {
			return true
		}
		id := nm.Id
		switch {
		case id != "_" && strings.HasPrefix(id, "_"):
			d.add(SeverityError, TypeExpression, v.CodePos(nm.Pos), ref.c, "name %q is refused: names starting with _ are not accessible (only _ itself)", id)
		case bound[id] || v.Scope.Has(id) || globals[id] || warnedNames[id]:
		default:
			warnedNames[id] = true
			extra := ""
			if v.Mode == ModeFString || v.Mode == ModeTemplate {
				extra = " (the string is evaluated as an f-string, so {" + id + "} is read as a variable)"
			}
			d.add(SeverityWarning, TypeScope, v.CodePos(nm.Pos), ref.c, "name %q is not in scope in a %s expression%s; in scope: %s%s", id, v.Scope.Name, didYouMean(id, v.Scope.Vars), strings.Join(v.Scope.Vars, ", "), extra)
		}
		if id == "secrets" && !bound[id] && !secretsNode[nm] && v.Scope.Has("secrets") {
			dynamicSecrets = true
		}
		return true
	})
	if dynamicSecrets {
		d.add(SeverityWarning, TypeSecret, v.At, ref.c, "secrets is used with a computed name (or as a whole): the secrets it needs cannot be known before it runs")
	}
	if v.Scope.LLM {
		for _, s := range ref.secrets {
			d.add(SeverityWarning, TypeSecret, v.At, ref.c, "secret %q flows into a prompt: its value would be sent to the model", s)
		}
	}
}

func functionNames() []string {
	var out []string
	for n := range globals {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// bindTargets records the names assigned by a comprehension target.
func bindTargets(t syntax.Expr, bound map[string]bool) {
	syntax.Inspect(t, func(n syntax.Node) bool {
		if nm, ok := n.(*syntax.Name); ok {
			bound[nm.Id] = true
		}
		return true
	})
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
