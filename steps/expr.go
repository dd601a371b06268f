package steps

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine"
)

// valueRef is an evaluated value with its place in the task.
type valueRef struct {
	v         *Value
	c         ctx
	secrets   []string // secret names read (constant references)
	secretPos []Pos    // where each of secrets is first read
}

// classify applies Julep's string rules (JULEP.md, Strings; the engine
// owns them: engine.ReadField) to v: it sets Mode, Legacy and Code.
func classify(v *Value) {
	form := engine.ReadField(v.Raw)
	v.form = &form
	v.Code, v.Legacy = form.Code, form.Legacy
	v.Mode = modeOf(form.Kind)
}

// modeOf returns the Mode of an engine field kind.
func modeOf(k engine.FieldKind) Mode {
	switch k {
	case engine.FieldExpression:
		return ModeExpr
	case engine.FieldFString:
		return ModeFString
	case engine.FieldTemplate:
		return ModeTemplate
	}
	return ModeLiteral
}

// analyze compiles every evaluated value with the engine and reports what
// the compiled field reads and uses.
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
		v.Mode = modeOf(f.Kind())
		if v.Mode == ModeLiteral {
			continue
		}
		reads := f.Reads()
		keys, dynamic := f.Refs("secrets")
		ref.secrets = keys
		ref.secretPos = make([]Pos, len(keys))
		for i, k := range keys {
			ref.secretPos[i] = v.PosAt(secretOffset(reads, k, v.form.TextOffset(0)))
		}
		d.inspect(ref, f.FreeNames(), dynamic, reads)
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
func (d *decoder) inspect(ref *valueRef, free []string, dynamicSecrets bool, reads []engine.Read) {
	v := ref.v
	// The first use of each name, for positions (offsets in Raw).
	first := func(name string) int {
		for _, r := range reads {
			if r.Name == name {
				return r.Offset
			}
		}
		return v.form.TextOffset(0)
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
		d.add(SeverityWarning, TypeScope, v.PosAt(first(id)), ref.c, "name %q is not in scope in a %s expression%s%s%s", id, v.Scope.Name, didYouMean(id, v.Scope.Vars), inScope, extra)
	}
	d.labelRefs(ref, reads)
	d.indexRefs(ref, reads)
	if dynamicSecrets && v.Scope.Has("secrets") {
		d.add(SeverityWarning, TypeSecret, v.PosAt(first("secrets")), ref.c, "secrets is used with a computed name (or as a whole): the secrets it needs cannot be known before it runs")
	}
	if v.Scope.LLM {
		for _, s := range ref.secrets {
			d.add(SeverityWarning, TypeSecret, v.PosAt(secretOffset(reads, s, first("secrets"))), ref.c, "secret %q flows into a prompt: its value would be sent to the model", s)
		}
	}
	d.literalBraces(ref)
	if d.opts.Strict {
		d.strict(ref)
	}
}

// strict reports the constructs we accept and Julep rejects.
func (d *decoder) strict(ref *valueRef) {
	v := ref.v
	report := func(off int, what string) {
		d.add(SeverityError, TypeStrict, v.PosAt(off), ref.c, "%s is not supported by Julep (reported by --strict)", what)
	}
	for _, c := range v.Field.Constructs() {
		switch c.Kind {
		case engine.ConstructMethodCall:
			if c.Name == "format" || c.Name == "format_map" {
				report(c.Offset, "str."+c.Name+"()")
			}
		case engine.ConstructCall:
			if strictFuncs[c.Name] {
				report(c.Offset, c.Name+"()")
			}
		case engine.ConstructDoubleStar:
			report(c.Offset, "** unpacking")
		case engine.ConstructLambda:
			report(c.Offset, "lambda")
		case engine.ConstructSetComp:
			report(c.Offset, "a set comprehension")
		case engine.ConstructWalrus:
			report(c.Offset, "the walrus operator :=")
		case engine.ConstructStarred:
			report(c.Offset, "starred unpacking (*)")
		}
	}
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
	if ee.Kind != engine.KindName {
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
	for _, r := range v.Field.Replacements() {
		if !r.Constant {
			continue
		}
		d.add(SeverityWarning, TypeExpression, v.PosAt(r.Offset), ref.c,
			"%s is evaluated as a replacement field: Julep reads plain strings as f-strings, so a literal brace is not text (this fails or loses characters at run time); write the string as a \"$ \" expression with a string literal",
			quoteSnippet(r.Code))
	}
}

func quoteSnippet(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "\"" + s + "\""
}

// secretOffset returns the offset in Raw of the first reference to secret
// name (secrets.name, secrets["name"], secrets.get("name")), or def.
func secretOffset(reads []engine.Read, name string, def int) int {
	for _, r := range reads {
		if r.Name == "secrets" && r.Form != engine.ReadName && !r.HasIndex && r.Key == name {
			return r.Offset
		}
	}
	return def
}

// indexRefs warns about steps[N] / outputs[N] / inputs[N] with a constant N
// that names a step the workflow does not have, or whose output does not
// exist yet when this step runs (N at or after the current top-level step).
func (d *decoder) indexRefs(ref *valueRef, reads []engine.Read) {
	v := ref.v
	wfName, cur, ok := topIndex(ref.c.path)
	if !ok {
		return
	}
	wf := d.task.Workflow(wfName)
	if wf == nil {
		return
	}
	for _, r := range reads {
		if r.Form != engine.ReadItem || !r.HasIndex || r.Index < 0 || !stepsVar(r.Name) || !v.Scope.Has(r.Name) {
			continue
		}
		idx := r.Index
		what := r.Name
		if r.Name == "steps" && (r.Attr == "input" || r.Attr == "output") {
			what = r.Attr + "s"
		}
		pos := v.PosAt(r.KeyOffset)
		switch {
		case idx >= int64(len(wf.Steps)):
			d.add(SeverityWarning, TypeUndefined, pos, ref.c, "%s[%d]: workflow %q has only %d steps", r.Name, idx, wfName, len(wf.Steps))
		case what == "outputs" && idx >= int64(cur):
			d.add(SeverityWarning, TypeUndefined, pos, ref.c, "the output of step %d is not available in %s: that step has not finished yet", idx, ref.c.path)
		case what == "inputs" && idx > int64(cur):
			d.add(SeverityWarning, TypeUndefined, pos, ref.c, "the input of step %d is not available in %s: that step has not started yet", idx, ref.c.path)
		}
	}
}

// stepsVar tells whether name is one of the variables indexed by step
// (number or label).
func stepsVar(name string) bool { return name == "steps" || name == "outputs" || name == "inputs" }

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
func (d *decoder) labelRefs(ref *valueRef, reads []engine.Read) {
	v := ref.v
	for _, r := range reads {
		if r.Form != engine.ReadItem || r.HasIndex || !stepsVar(r.Name) || !v.Scope.Has(r.Name) {
			continue
		}
		if !d.labels[r.Key] {
			var known []string
			for l := range d.labels {
				known = append(known, l)
			}
			slices.Sort(known)
			d.add(SeverityWarning, TypeUndefined, v.PosAt(r.KeyOffset), ref.c, "no step has the label %q%s", r.Key, didYouMean(r.Key, known))
		}
	}
}
