package steps

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/engine/syntax"
)

// valueRef is an evaluated value with its place in the task.
type valueRef struct {
	v         *Value
	c         ctx
	secrets   []string // secret names read (constant references)
	secretPos []Pos    // where each of secrets is first read
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

// analyze compiles every evaluated value with the engine, parses it for
// the static checks and reports what it finds.
func (d *decoder) analyze() {
	eng := d.opts.Engine
	if eng == nil {
		eng = engine.Default()
	}
	for i := range d.task.values {
		ref := &d.task.values[i]
		v := ref.v
		classify(v)
		f, err := eng.CompileField(v.Raw)
		if err != nil {
			var ee *engine.Error
			if errors.As(err, &ee) {
				if fn := unsupportedJulepFunc(ee); fn != "" {
					d.add(SeverityWarning, TypeExpression, v.PosAt(ee.Offset), ref.c, "Julep's function %s is not supported by this engine: the step cannot run here", fn)
					continue
				}
				if ee.Line == 0 {
					d.add(SeverityError, TypeExpression, v.At, ref.c, "%s", d.exprMsg(v, ee.Error()))
				} else {
					d.add(SeverityError, TypeExpression, v.PosAt(ee.Offset), ref.c, "%s", d.exprMsg(v, ee.Kind+": "+ee.Msg))
				}
			} else {
				d.add(SeverityError, TypeExpression, v.At, ref.c, "%s", d.exprMsg(v, err.Error()))
			}
			continue
		}
		v.Field = f
		switch f.Kind() {
		case engine.FieldLiteral:
			v.Mode = ModeLiteral
			continue
		case engine.FieldExpression:
			v.Mode = ModeExpr
		case engine.FieldFString:
			v.Mode = ModeFString
		case engine.FieldTemplate:
			v.Mode = ModeTemplate
		}
		if v.Mode == ModeExpr {
			v.AST, err = syntax.Parse(v.Code)
		} else {
			var js *syntax.JoinedStr
			if js, err = syntax.ParseFStringBody(v.Code); err == nil {
				v.AST = js
			}
		}
		if err != nil {
			v.AST = nil // the engine compiled it: our mirror of the string rules differs; skip the AST checks
		}
		keys, dynamic := f.Refs("secrets")
		ref.secrets = keys
		ref.secretPos = make([]Pos, len(keys))
		for i, k := range keys {
			ref.secretPos[i] = v.At
			if v.AST != nil {
				ref.secretPos[i] = v.CodePos(secretPos(v.AST, k, 0))
			}
		}
		d.inspect(ref, f.FreeNames(), dynamic)
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

// inspect reports names out of scope, dynamic secret use, secrets sent to
// a model and (with Strict) the constructs Julep rejects.
func (d *decoder) inspect(ref *valueRef, free []string, dynamicSecrets bool) {
	v := ref.v
	// The first use of each name, for positions.
	first := map[string]int{}
	if v.AST != nil {
		syntax.Inspect(v.AST, func(n syntax.Node) bool {
			if nm, ok := n.(*syntax.Name); ok {
				if _, seen := first[nm.Id]; !seen {
					first[nm.Id] = nm.Pos
				}
			}
			return true
		})
	}
	for _, id := range free {
		if v.Scope.Has(id) || globals[id] {
			continue
		}
		extra := ""
		if v.Mode == ModeFString || v.Mode == ModeTemplate {
			extra = " (the string is evaluated as an f-string, so {" + id + "} is read as a variable)"
		}
		inScope := ""
		if len(v.Scope.Vars) <= 4 {
			inScope = "; in scope: " + strings.Join(v.Scope.Vars, ", ")
		}
		d.add(SeverityWarning, TypeScope, v.CodePos(first[id]), ref.c, "name %q is not in scope in a %s expression%s%s%s", id, v.Scope.Name, didYouMean(id, v.Scope.Vars), inScope, extra)
	}
	if v.AST != nil {
		d.labelRefs(ref)
		d.indexRefs(ref)
	}
	if dynamicSecrets && v.Scope.Has("secrets") {
		d.add(SeverityWarning, TypeSecret, v.CodePos(first["secrets"]), ref.c, "secrets is used with a computed name (or as a whole): the secrets it needs cannot be known before it runs")
	}
	if v.Scope.LLM {
		for _, s := range ref.secrets {
			d.add(SeverityWarning, TypeSecret, v.CodePos(secretPos(v.AST, s, first["secrets"])), ref.c, "secret %q flows into a prompt: its value would be sent to the model", s)
		}
	}
	if (v.Mode == ModeFString || v.Mode == ModeTemplate) && v.AST != nil {
		d.literalBraces(ref)
	}
	if d.opts.Strict && v.AST != nil {
		d.strict(ref)
	}
}

// strict reports the constructs we accept and Julep rejects.
func (d *decoder) strict(ref *valueRef) {
	v := ref.v
	report := func(pos int, what string) {
		d.add(SeverityError, TypeStrict, v.CodePos(pos), ref.c, "%s is not supported by Julep (reported by --strict)", what)
	}
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Call:
			if a, ok := n.Func.(*syntax.Attribute); ok && (a.Attr == "format" || a.Attr == "format_map") {
				report(a.AttrPos, "str."+a.Attr+"()")
			}
			if nm, ok := n.Func.(*syntax.Name); ok && strictFuncs[nm.Id] {
				report(nm.Pos, nm.Id+"()")
			}
			for _, k := range n.Keywords {
				if k.Name == "" {
					report(k.NamePos, "** unpacking")
				}
			}
		case *syntax.Lambda:
			report(n.Pos, "lambda")
		case *syntax.SetComp:
			report(n.Pos, "a set comprehension")
		case *syntax.NamedExpr:
			report(n.Pos, "the walrus operator :=")
		case *syntax.Starred:
			report(n.Pos, "starred unpacking (*)")
		case *syntax.Dict:
			for i, k := range n.Keys {
				if k == nil {
					p, _ := n.Values[i].Span()
					report(max(p-2, 0), "** unpacking")
				}
			}
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

// julepOnlyFuncs are functions Julep documents that our engine may lack.
var julepOnlyFuncs = []string{"nlp", "chunk_doc", "markdown_to_html", "html_to_markdown"}

// unsupportedJulepFunc returns the function name when ee is the engine's
// NameError for one of julepOnlyFuncs.
func unsupportedJulepFunc(ee *engine.Error) string {
	if ee.Kind != "NameError" {
		return ""
	}
	for _, fn := range julepOnlyFuncs {
		if strings.Contains(ee.Msg, "'"+fn+"'") {
			return fn
		}
	}
	return ""
}

// literalBraces reports replacement fields of a plain string (an implicit
// f-string) that look like literal text: a constant inside braces, as in
// 'Reply as JSON: {"answer": "..."}', which Julep would evaluate (and
// usually fail on) at run time.
func (d *decoder) literalBraces(ref *valueRef) {
	v := ref.v
	js, ok := v.AST.(*syntax.JoinedStr)
	if !ok {
		return
	}
	for _, part := range js.Values {
		fv, ok := part.(*syntax.FormattedValue)
		if !ok {
			continue
		}
		if _, isConst := fv.Value.(*syntax.Constant); !isConst {
			continue
		}
		pos, end := fv.Span()
		d.add(SeverityWarning, TypeExpression, v.CodePos(pos), ref.c,
			"%s is evaluated as a replacement field: Julep reads plain strings as f-strings, so a literal brace is not text (this fails or loses characters at run time); write the string as a \"$ \" expression with a string literal",
			quoteSnippet(v.Code[pos:end]))
	}
}

func quoteSnippet(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "\"" + s + "\""
}

// secretPos returns the offset of the first reference to secret name in
// tree (secrets.name, secrets["name"], secrets.get("name")), or def.
func secretPos(tree syntax.Expr, name string, def int) int {
	pos := -1
	isSecrets := func(e syntax.Expr) bool {
		nm, ok := e.(*syntax.Name)
		return ok && nm.Id == "secrets"
	}
	isName := func(e syntax.Expr) bool {
		c, ok := e.(*syntax.Constant)
		return ok && c.Kind == syntax.ConstStr && c.Value == name
	}
	if tree == nil {
		return def
	}
	syntax.Inspect(tree, func(n syntax.Node) bool {
		if pos >= 0 || n == nil {
			return false
		}
		switch n := n.(type) {
		case *syntax.Attribute:
			if isSecrets(n.Value) && n.Attr == name {
				pos, _ = n.Span()
			}
		case *syntax.Subscript:
			if isSecrets(n.Value) && isName(n.Index) {
				pos, _ = n.Span()
			}
		case *syntax.Call:
			if a, ok := n.Func.(*syntax.Attribute); ok && isSecrets(a.Value) && a.Attr == "get" && len(n.Args) > 0 && isName(n.Args[0]) {
				pos, _ = n.Span()
			}
		}
		return pos < 0
	})
	if pos < 0 {
		return def
	}
	return pos
}

// indexRefs warns about steps[N] / outputs[N] / inputs[N] with a constant N
// that names a step the workflow does not have, or whose output does not
// exist yet when this step runs (N at or after the current top-level step).
func (d *decoder) indexRefs(ref *valueRef) {
	v := ref.v
	wfName, cur, ok := topIndex(ref.c.path)
	if !ok {
		return
	}
	wf := d.task.Workflow(wfName)
	if wf == nil {
		return
	}
	parents := map[syntax.Node]syntax.Node{}
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		if n == nil {
			return false
		}
		switch p := n.(type) {
		case *syntax.Attribute:
			parents[p.Value] = p
		}
		return true
	})
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		sub, ok := n.(*syntax.Subscript)
		if !ok {
			return true
		}
		nm, ok := sub.Value.(*syntax.Name)
		if !ok || !v.Scope.Has(nm.Id) || (nm.Id != "steps" && nm.Id != "outputs" && nm.Id != "inputs") {
			return true
		}
		c, ok := sub.Index.(*syntax.Constant)
		if !ok || c.Kind != syntax.ConstInt {
			return true
		}
		idx, ok := c.Value.(int64)
		if !ok || idx < 0 {
			return true
		}
		pos, _ := c.Span()
		what := nm.Id
		if nm.Id == "steps" {
			if a, ok := parents[sub].(*syntax.Attribute); ok && (a.Attr == "input" || a.Attr == "output") {
				what = a.Attr + "s"
			}
		}
		switch {
		case idx >= int64(len(wf.Steps)):
			d.add(SeverityWarning, TypeUndefined, v.CodePos(pos), ref.c, "%s[%d]: workflow %q has only %d steps", nm.Id, idx, wfName, len(wf.Steps))
		case what == "outputs" && idx >= int64(cur):
			d.add(SeverityWarning, TypeUndefined, v.CodePos(pos), ref.c, "the output of step %d is not available in %s: that step has not finished yet", idx, ref.c.path)
		case what == "inputs" && idx > int64(cur):
			d.add(SeverityWarning, TypeUndefined, v.CodePos(pos), ref.c, "the input of step %d is not available in %s: that step has not started yet", idx, ref.c.path)
		}
		return true
	})
}

// topIndex splits a step path main[3].then into the workflow and the index
// of its top-level step.
func topIndex(path string) (string, int, bool) {
	i := strings.IndexByte(path, '[')
	j := strings.IndexByte(path, ']')
	if i <= 0 || j < i {
		return "", 0, false
	}
	n, err := strconv.Atoi(path[i+1 : j])
	if err != nil {
		return "", 0, false
	}
	return path[:i], n, true
}

// labelRefs warns about steps['x'] / outputs['x'] / inputs['x'] where no
// step of the task has label x.
func (d *decoder) labelRefs(ref *valueRef) {
	v := ref.v
	syntax.Inspect(v.AST, func(n syntax.Node) bool {
		sub, ok := n.(*syntax.Subscript)
		if !ok {
			return true
		}
		nm, ok := sub.Value.(*syntax.Name)
		if !ok || (nm.Id != "steps" && nm.Id != "outputs" && nm.Id != "inputs") || !v.Scope.Has(nm.Id) {
			return true
		}
		c, ok := sub.Index.(*syntax.Constant)
		if !ok || c.Kind != syntax.ConstStr {
			return true
		}
		label := c.Value.(string)
		if !d.labels[label] {
			var known []string
			for l := range d.labels {
				known = append(known, l)
			}
			slices.Sort(known)
			pos, _ := c.Span()
			d.add(SeverityWarning, TypeUndefined, v.CodePos(pos), ref.c, "no step has the label %q%s", label, didYouMean(label, known))
		}
		return true
	})
}
