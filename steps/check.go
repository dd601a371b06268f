package steps

import (
	"cmp"
	"slices"
	"strings"
)

// check runs the checks that need the whole task: expressions, yield
// targets, tool references.
func (d *decoder) check() {
	t := d.task
	// Labels: unique per task, so that steps['label'] is not ambiguous.
	d.labels = map[string]bool{}
	labelAt := map[string]Pos{}
	_ = t.Walk(func(path string, s Step) error {
		l := s.base().Label
		if l == nil {
			return nil
		}
		if first, dup := labelAt[l.Raw]; dup {
			d.add(SeverityError, TypeDuplicate, l.At, ctx{path: path, loc: locationOf(t, path) + ".label"}, "duplicate label %q (first used at line %d): steps[%q] would be ambiguous", l.Raw, first.Line, l.Raw)
			return nil
		}
		labelAt[l.Raw] = l.At
		d.labels[l.Raw] = true
		return nil
	})
	d.analyze()
	var wfNames, toolNames []string
	for _, w := range t.Workflows {
		wfNames = append(wfNames, w.Name)
	}
	for _, tl := range t.Tools {
		if tl.Name != nil {
			toolNames = append(toolNames, tl.Name.Raw)
		}
	}
	inherit := t.InheritTools != nil && t.InheritTools.Raw == "true"
	_ = t.Walk(func(path string, s Step) error {
		c := ctx{path: path, loc: locationOf(t, path)}
		switch s := s.(type) {
		case *YieldStep:
			if s.Workflow != nil && t.Workflow(s.Workflow.Raw) == nil {
				d.add(SeverityError, TypeUndefined, s.Workflow.At, c.field("workflow"), "yield to undefined workflow %q%s", s.Workflow.Raw, didYouMean(s.Workflow.Raw, wfNames))
			}
			if s.Workflow != nil && s.Workflow.Raw == "main" {
				d.add(SeverityWarning, TypeSemantics, s.Workflow.At, c.field("workflow"), "yield to main runs the task's main workflow again (recursion)")
			}
		case *ToolCallStep:
			if s.KindForm || s.Tool == nil {
				return nil // the kind form names external integrations
			}
			if t.Tool(s.Tool.Raw) == nil {
				sev := SeverityError
				extra := ""
				if inherit {
					sev, extra = SeverityWarning, " (it may come from the agent: inherit_tools is true)"
				}
				d.add(sev, TypeUndefined, s.Tool.At, c.field("tool"), "undefined tool %q%s%s", s.Tool.Raw, didYouMean(s.Tool.Raw, toolNames), extra)
			}
		}
		return nil
	})
	// Tool specs' secrets.
	for _, ref := range t.values {
		if ref.c.tool != nil {
			for _, s := range ref.secrets {
				ref.c.tool.Secrets = appendUnique(ref.c.tool.Secrets, s)
			}
		}
	}
}

// Location returns Julep's location form of a step path:
// main[2].then -> workflows.main.steps[2].then (the kind form's paths are
// unchanged).
func (t *Task) Location(path string) string { return locationOf(t, path) }

// locationOf turns a step path into Julep's location form.
func locationOf(t *Task, path string) string {
	if t.Form == FormKind {
		return path
	}
	i := 0
	for i < len(path) && path[i] != '[' {
		i++
	}
	return "workflows." + path[:i] + ".steps" + path[i:]
}

// Walk calls fn for every step of every workflow (main first), parents
// before their children (then/else, switch cases, foreach do, map_reduce
// map, parallel steps), with the step's path. It stops at the first error fn
// returns and returns it.
func (t *Task) Walk(fn func(path string, s Step) error) error {
	var walk func(s Step) error
	walk = func(s Step) error {
		if s == nil {
			return nil
		}
		if err := fn(s.Path(), s); err != nil {
			return err
		}
		for _, ch := range Children(s) {
			if err := walk(ch); err != nil {
				return err
			}
		}
		return nil
	}
	for _, w := range t.Workflows {
		for _, s := range w.Steps {
			if err := walk(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// Children returns the steps nested in s, in order.
func Children(s Step) []Step {
	var out []Step
	add := func(ss ...Step) {
		for _, c := range ss {
			if c != nil {
				out = append(out, c)
			}
		}
	}
	switch s := s.(type) {
	case *IfElseStep:
		add(s.Then, s.Else)
	case *SwitchStep:
		for _, c := range s.Cases {
			add(c.Then)
		}
	case *ForeachStep:
		add(s.Do)
	case *MapReduceStep:
		add(s.Map)
	case *ParallelStep:
		add(s.Steps...)
	}
	return out
}

// Step returns the step at path, or nil.
func (t *Task) Step(path string) Step {
	var found Step
	_ = t.Walk(func(p string, s Step) error {
		if p == path {
			found = s
			return errStop
		}
		return nil
	})
	return found
}

type stopError struct{}

func (stopError) Error() string { return "stop" }

var errStop error = stopError{}

// WalkValues calls fn for every evaluated string of the task, in file order
// of decoding, with the path of the step it belongs to ("" for a tool spec)
// and its Julep-style location (workflows.main.steps[2].evaluate.x,
// tools[0].api_call.headers.Authorization).
func (t *Task) WalkValues(fn func(stepPath, location string, v *Value) error) error {
	for _, ref := range t.values {
		if err := fn(ref.c.path, ref.c.loc, ref.v); err != nil {
			return err
		}
	}
	return nil
}

// SecretRefs returns, for each step path, the sorted names of the secrets
// the step needs: secrets.NAME and secrets["NAME"] in its own expressions
// (nested steps are listed under their own paths), the kind form's
// secret_name and secrets: map, and, for a tool_call, the secrets of the
// called tool's spec. Steps that need no secret are absent.
func (t *Task) SecretRefs() map[string][]string {
	out := map[string][]string{}
	add := func(path string, names ...string) {
		for _, n := range names {
			out[path] = appendUnique(out[path], n)
		}
	}
	for _, ref := range t.values {
		if ref.c.path != "" {
			add(ref.c.path, ref.secrets...)
		}
	}
	_ = t.Walk(func(path string, s Step) error {
		tc, ok := s.(*ToolCallStep)
		if !ok {
			return nil
		}
		if tc.SecretName != nil {
			add(path, tc.SecretName.Raw)
		}
		if tc.Secrets != nil {
			for _, e := range tc.Secrets.Entries {
				if v, ok := e.Value.(*Value); ok {
					add(path, v.Raw)
				}
			}
		}
		if tc.Tool != nil && !tc.KindForm {
			if tl := t.Tool(tc.Tool.Raw); tl != nil {
				add(path, tl.Secrets...)
			}
		}
		return nil
	})
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

// SecretUse is one place where a task refers to a secret.
type SecretUse struct {
	Name string
	// Path is the step path, or "" in a tool's spec.
	Path string
	// Location is Julep's location form of the field.
	Location string
	// Pos is where the reference is: the secrets.NAME inside an expression,
	// or the value of secret_name / secrets: in the kind form.
	Pos Pos
}

// SecretUses lists every reference to a secret with its place, in the
// order of the file: secrets.NAME, secrets["NAME"] and secrets.get("NAME")
// in expressions (tool specs included, with an empty Path), and the kind
// form's secret_name and secrets: values.
func (t *Task) SecretUses() []SecretUse {
	var out []SecretUse
	for _, ref := range t.values {
		for i, n := range ref.secrets {
			pos := ref.v.At
			if i < len(ref.secretPos) {
				pos = ref.secretPos[i]
			}
			out = append(out, SecretUse{Name: n, Path: ref.c.path, Location: strings.TrimPrefix(ref.c.loc, "."), Pos: pos})
		}
	}
	_ = t.Walk(func(path string, s Step) error {
		tc, ok := s.(*ToolCallStep)
		if !ok {
			return nil
		}
		loc := t.Location(path)
		if tc.SecretName != nil {
			out = append(out, SecretUse{Name: tc.SecretName.Raw, Path: path, Location: loc + ".secret_name", Pos: tc.SecretName.At})
		}
		if tc.Secrets != nil {
			for _, e := range tc.Secrets.Entries {
				if v, ok := e.Value.(*Value); ok {
					out = append(out, SecretUse{Name: v.Raw, Path: path, Location: loc + ".secrets." + e.Key.Raw, Pos: v.At})
				}
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b SecretUse) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	return out
}

// Base returns the fields every step has (position, label, kind form).
func Base(s Step) *StepBase { return s.base() }
