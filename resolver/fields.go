package resolver

import "github.com/julepkit/julep/steps"

// field is one of a step's own fields (not its child steps).
type field struct {
	name string
	data steps.Data
}

// ownFields lists the evaluated (and literal) fields of a step, without the
// steps nested in it (they have their own paths).
func ownFields(s steps.Step) []field {
	var fs []field
	add := func(name string, d steps.Data) {
		if !isNil(d) {
			fs = append(fs, field{name, d})
		}
	}
	switch st := s.(type) {
	case *steps.ToolCallStep:
		add("arguments", st.Arguments)
	case *steps.PromptStep:
		add("model", st.Model)
		if st.TemplateVariables != nil {
			add("template_variables", st.TemplateVariables)
		}
		if len(st.Messages) > 0 {
			for _, m := range st.Messages {
				add("prompt.role", m.Role)
				add("prompt.content", m.Content)
			}
		} else {
			add("prompt", st.Prompt)
		}
		if st.Settings != nil {
			add("settings", st.Settings)
		}
	case *steps.EvaluateStep:
		add("evaluate", mapData(st.Values))
	case *steps.SetStep:
		add("set", mapData(st.Values))
	case *steps.ReturnStep:
		add("return", mapData(st.Values))
	case *steps.LogStep:
		add("log", st.Message)
	case *steps.ErrorStep:
		add("error", st.Message)
	case *steps.YieldStep:
		add("arguments", st.Arguments)
	case *steps.WaitForInputStep:
		add("info", mapData(st.Info))
	case *steps.IfElseStep:
		add("if", st.If)
	case *steps.SwitchStep:
		for _, c := range st.Cases {
			if !c.Default {
				add("case", c.Case)
			}
		}
	case *steps.ForeachStep:
		add("in", st.In)
	case *steps.MapReduceStep:
		add("over", st.Over)
		add("initial", st.Initial)
	case *steps.TransformStep:
		add("input", st.Input)
		add("expression", st.Expression)
	}
	return fs
}

func mapData(m *steps.Map) steps.Data {
	if m == nil {
		return nil
	}
	return m
}

// isNil reports a nil Data, typed or not.
func isNil(d steps.Data) bool {
	switch x := d.(type) {
	case nil:
		return true
	case *steps.Value:
		return x == nil
	case *steps.Map:
		return x == nil
	case *steps.List:
		return x == nil
	}
	return false
}

// walkValues calls fn for every scalar of d.
func walkValues(d steps.Data, fn func(*steps.Value)) {
	switch x := d.(type) {
	case *steps.Value:
		if x != nil {
			fn(x)
		}
	case *steps.Map:
		if x == nil {
			return
		}
		for _, e := range x.Entries {
			walkValues(e.Value, fn)
		}
	case *steps.List:
		if x == nil {
			return
		}
		for _, it := range x.Items {
			walkValues(it, fn)
		}
	}
}

// countMaps adds the number of maps in d and of their entries to maps and
// members.
func countMaps(d steps.Data, maps, members *int) {
	switch x := d.(type) {
	case *steps.Map:
		if x == nil {
			return
		}
		*maps++
		*members += len(x.Entries)
		for _, e := range x.Entries {
			countMaps(e.Value, maps, members)
		}
	case *steps.List:
		if x == nil {
			return
		}
		for _, it := range x.Items {
			countMaps(it, maps, members)
		}
	}
}
