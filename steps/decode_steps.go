package steps

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// kindKeys maps each key that names a native step kind to its kind.
var kindKeys = map[string]Kind{
	"tool": KindToolCall, "prompt": KindPrompt, "evaluate": KindEvaluate, "set": KindSet, "get": KindGet,
	"log": KindLog, "return": KindReturn, "workflow": KindYield, "yield": KindYield, "sleep": KindSleep,
	"error": KindError, "wait_for_input": KindWaitForInput, "if": KindIfElse, "switch": KindSwitch,
	"foreach": KindForeach, "over": KindMapReduce, "map": KindMapReduce, "map_reduce": KindMapReduce,
	"parallel": KindParallel,
}

// nativeKeys lists the keys of each native kind (label excepted).
var nativeKeys = map[Kind][]string{
	KindToolCall:     {"tool", "arguments"},
	KindPrompt:       {"prompt", "tools", "tool_choice", "settings", "unwrap", "auto_run_tools", "disable_cache"},
	KindEvaluate:     {"evaluate"},
	KindSet:          {"set"},
	KindGet:          {"get"},
	KindLog:          {"log"},
	KindReturn:       {"return"},
	KindYield:        {"workflow", "arguments", "yield"},
	KindSleep:        {"sleep"},
	KindError:        {"error"},
	KindWaitForInput: {"wait_for_input"},
	KindIfElse:       {"if", "then", "else"},
	KindSwitch:       {"switch"},
	KindForeach:      {"foreach"},
	KindMapReduce:    {"over", "map", "reduce", "initial", "parallelism", "map_reduce"},
	KindParallel:     {"parallel"},
}

// kindFormKeys lists the keys of the kind form's own kinds.
var kindFormKeys = map[Kind][]string{
	KindToolCall:  {"kind", "tool", "operation", "arguments", "secret_name", "secrets", "label"},
	KindTransform: {"kind", "expression", "input", "output", "label"},
	KindPrompt:    {"kind", "model", "prompt", "template_variables", "settings", "tools", "tool_choice", "unwrap", "auto_run_tools", "disable_cache", "label"},
}

func allKinds() []string {
	var out []string
	for k := range nativeKeys {
		out = append(out, string(k))
	}
	out = append(out, string(KindTransform))
	slices.Sort(out)
	return out
}

func stepKeyNames() []string {
	var out []string
	for k := range kindKeys {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// step decodes one step.
func (d *decoder) step(n *yaml.Node, c ctx) Step {
	r := d.resolve(n)
	if r == nil {
		return nil
	}
	if r.Kind != yaml.MappingNode {
		msg := "a step must be a mapping, got %s"
		if r.Kind == yaml.SequenceNode {
			msg += " (one step is expected here; put several steps in a named workflow and yield to it)"
		}
		d.errorf(r, TypeWrongType, c, msg, describe(r))
		return nil
	}
	ents := d.entries(r, c)
	if len(ents) == 0 {
		d.errorf(r, TypeUnknownKind, c, "empty step: a step needs one of the keys %s", strings.Join(stepKeyNames(), ", "))
		return nil
	}
	var kindKey *kv
	var kind Kind
	var kinds []kv
	for i, e := range ents {
		if e.key.Value == "kind" {
			kindKey = &ents[i]
		}
		if k, ok := kindKeys[e.key.Value]; ok {
			if kind == "" {
				kind = k
			} else if k != kind {
				d.errorf(e.key, TypeUnknownKind, c, "step mixes two kinds: key %q makes it a %s step, key %q a %s step", kinds[0].key.Value, kind, e.key.Value, k)
				return nil
			}
			kinds = append(kinds, e)
		}
	}
	if kindKey != nil {
		return d.kindStep(r, ents, *kindKey, c)
	}
	if kind == "" {
		for _, e := range ents {
			if e.key.Value == "search" || e.key.Value == "embed" {
				d.errorf(e.key, TypeUnknownKind, c, "Julep's %s step (documents) is not supported by this engine", e.key.Value)
				return nil
			}
		}
		var hints []string
		for _, e := range ents {
			if e.key.Value == "label" {
				continue
			}
			if h := closest(e.key.Value, stepKeyNames()); h != "" {
				hints = append(hints, fmt.Sprintf("%q is not a step kind; did you mean %q?", e.key.Value, h))
			}
		}
		first := ents[0].key
		if ents[0].key.Value == "label" && len(ents) > 1 {
			first = ents[1].key
		}
		if len(hints) > 0 {
			d.errorf(first, TypeUnknownKind, c, "unknown step kind: %s", strings.Join(hints, "; "))
		} else {
			var keys []string
			for _, e := range ents {
				keys = append(keys, e.key.Value)
			}
			d.errorf(first, TypeUnknownKind, c, "unknown step kind (keys: %s); a step needs one of the keys %s", strings.Join(keys, ", "), strings.Join(stepKeyNames(), ", "))
		}
		return nil
	}
	allowed := append(slices.Clip(nativeKeys[kind]), "label")
	base := StepBase{At: d.pos(r), path: c.path}
	f := map[string]*yaml.Node{}
	for _, e := range ents {
		if e.key.Value == "label" {
			base.Label = d.label(e.val, c.field("label"))
			continue
		}
		if !slices.Contains(allowed, e.key.Value) {
			d.unknownKey(e.key, c, article(string(kind))+" step", allowed)
			continue
		}
		f[e.key.Value] = e.val
	}
	return d.native(kind, base, f, r, c)
}

// label checks a step label: a string of at most 120 characters, not all
// digits.
func (d *decoder) label(n *yaml.Node, c ctx) *Value {
	v := d.str(n, c, "label")
	if v == nil {
		return nil
	}
	if l := len([]rune(v.Raw)); l == 0 || l > 120 {
		d.add(SeverityError, TypeInvalid, v.At, c, "label must have 1 to 120 characters, has %d", l)
	} else if strings.Trim(v.Raw, "0123456789") == "" {
		d.add(SeverityError, TypeInvalid, v.At, c, "label %q must not be all digits (it would be confused with a step index)", v.Raw)
	}
	return v
}

// native decodes the fields of a native step of kind k (f: key -> value).
func (d *decoder) native(k Kind, base StepBase, f map[string]*yaml.Node, r *yaml.Node, c ctx) Step {
	need := func(key string) *yaml.Node {
		v, ok := f[key]
		if !ok {
			d.errorf(r, TypeMissing, c, "%s step: missing required key %q", k, key)
		}
		return v
	}
	switch k {
	case KindToolCall:
		s := &ToolCallStep{StepBase: base}
		s.Tool = d.str(f["tool"], c.field("tool"), "tool")
		if a, ok := f["arguments"]; ok {
			s.Arguments = d.arguments(a, c.field("arguments"), scopeStep)
		}
		return s
	case KindPrompt:
		s := &PromptStep{StepBase: base}
		d.promptBody(s, f, r, c, scopeLLM)
		return s
	case KindEvaluate, KindSet, KindReturn:
		key := string(k)
		m := d.mapField(f[key], c.field(key), key, scopeStep)
		if m != nil && len(m.Entries) == 0 && k != KindReturn {
			d.add(SeverityError, TypeInvalid, m.At, c.field(key), "%s needs at least one name", key)
		}
		switch k {
		case KindEvaluate:
			return &EvaluateStep{StepBase: base, Values: m}
		case KindSet:
			return &SetStep{StepBase: base, Values: m}
		}
		return &ReturnStep{StepBase: base, Values: m}
	case KindGet:
		return &GetStep{StepBase: base, Key: d.str(f["get"], c.field("get"), "get")}
	case KindLog:
		s := d.scalar(f["log"], c.field("log"), "log")
		if s == nil {
			return &LogStep{StepBase: base}
		}
		return &LogStep{StepBase: base, Message: d.value(s, c.field("log"), scopeStep)}
	case KindError:
		return &ErrorStep{StepBase: base, Message: d.str(f["error"], c.field("error"), "error")}
	case KindWaitForInput:
		s := &WaitForInputStep{StepBase: base}
		ents, _, ok := d.mapping(f["wait_for_input"], c.field("wait_for_input"), "wait_for_input")
		if ok {
			for _, e := range ents {
				if e.key.Value != "info" {
					d.unknownKey(e.key, c.field("wait_for_input"), "wait_for_input", []string{"info"})
					continue
				}
				s.Info = d.mapField(e.val, c.field("wait_for_input.info"), "wait_for_input.info", scopeStep)
			}
		}
		return s
	case KindYield:
		return d.yield(base, f, r, c)
	case KindSleep:
		return d.sleep(base, f["sleep"], c.field("sleep"))
	case KindIfElse:
		s := &IfElseStep{StepBase: base}
		if v := need("if"); v != nil {
			s.If = d.condition(v, c.field("if"), "if")
		}
		if v := need("then"); v != nil {
			s.Then = d.step(v, ctx{path: c.path + ".then", loc: c.loc + ".then"})
		}
		if v, ok := f["else"]; ok {
			if rv := d.resolve(v); rv != nil && rv.ShortTag() != "!!null" {
				s.Else = d.step(v, ctx{path: c.path + ".else", loc: c.loc + ".else"})
			}
		}
		return s
	case KindSwitch:
		return d.switchStep(base, f["switch"], c)
	case KindForeach:
		s := &ForeachStep{StepBase: base}
		fc := c.field("foreach")
		ents, fn, ok := d.mapping(f["foreach"], fc, "foreach")
		if !ok {
			return s
		}
		got := map[string]*yaml.Node{}
		for _, e := range ents {
			if e.key.Value != "in" && e.key.Value != "do" {
				d.unknownKey(e.key, fc, "foreach", []string{"in", "do"})
				continue
			}
			got[e.key.Value] = e.val
		}
		for _, key := range []string{"in", "do"} {
			if _, ok := got[key]; !ok {
				d.errorf(fn, TypeMissing, fc, "foreach: missing required key %q", key)
			}
		}
		if v, ok := got["in"]; ok {
			s.In = d.condition(v, fc.field("in"), "foreach.in")
		}
		if v, ok := got["do"]; ok {
			s.Do = d.step(v, ctx{path: c.path + ".foreach.do", loc: c.loc + ".foreach.do"})
		}
		return s
	case KindMapReduce:
		return d.mapReduce(base, f, r, c)
	case KindParallel:
		s := &ParallelStep{StepBase: base}
		pn := d.resolve(f["parallel"])
		if pn == nil {
			return s
		}
		if pn.Kind != yaml.SequenceNode {
			d.errorf(pn, TypeWrongType, c.field("parallel"), "parallel must be a list of steps, got %s", describe(pn))
			return s
		}
		if len(pn.Content) == 0 {
			d.errorf(pn, TypeInvalid, c.field("parallel"), "parallel needs at least one step")
		}
		if len(pn.Content) > 100 {
			d.errorf(pn, TypeInvalid, c.field("parallel"), "parallel has %d steps, at most 100 are allowed", len(pn.Content))
		}
		for i, sn := range pn.Content {
			p := fmt.Sprintf(".parallel[%d]", i)
			if st := d.step(sn, ctx{path: c.path + p, loc: c.loc + p}); st != nil {
				s.Steps = append(s.Steps, st)
			}
		}
		return s
	}
	return nil
}

// condition decodes an evaluated scalar (if, in, over, case...).
func (d *decoder) condition(n *yaml.Node, c ctx, what string) *Value {
	s := d.scalar(n, c, what)
	if s == nil {
		return nil
	}
	return d.value(s, c, scopeStep)
}

// arguments decodes a tool_call's or yield's arguments: a mapping whose
// string leaves are evaluated, or the string "_".
func (d *decoder) arguments(n *yaml.Node, c ctx, sc *Scope) Data {
	r := d.resolve(n)
	if r == nil {
		return nil
	}
	switch {
	case r.Kind == yaml.MappingNode:
		return d.dataMap(r, c, sc)
	case r.Kind == yaml.ScalarNode && r.ShortTag() == "!!str":
		v := d.value(r, c, sc)
		if strings.TrimSpace(r.Value) != "_" && !strings.HasPrefix(strings.TrimSpace(r.Value), "$") {
			d.errorf(r, TypeWrongType, c, "arguments must be a mapping or \"_\" (or a \"$ \" expression), got the string %q", r.Value)
		}
		return v
	case r.ShortTag() == "!!null":
		return nil
	}
	d.errorf(r, TypeWrongType, c, "arguments must be a mapping or \"_\", got %s", describe(r))
	return nil
}

// promptBody decodes the fields shared by native and kind-form prompts.
func (d *decoder) promptBody(s *PromptStep, f map[string]*yaml.Node, r *yaml.Node, c ctx, llm *Scope) {
	pn, ok := f["prompt"]
	if !ok {
		d.errorf(r, TypeMissing, c, "prompt step: missing required key \"prompt\"")
	}
	pc := c.field("prompt")
	if r := d.resolve(pn); r != nil && ok {
		switch r.Kind {
		case yaml.ScalarNode:
			s.Prompt = d.value(r, pc, llm)
		case yaml.SequenceNode:
			if len(r.Content) == 0 {
				d.errorf(r, TypeInvalid, pc, "prompt needs at least one message")
			}
			for i, mn := range r.Content {
				if m := d.message(mn, pc.index(i), llm); m != nil {
					s.Messages = append(s.Messages, m)
				}
			}
		default:
			d.errorf(r, TypeWrongType, pc, "prompt must be a string or a list of messages, got %s", describe(r))
		}
	}
	if v, ok := f["tools"]; ok {
		s.Tools = d.data(v, c.field("tools"), nil)
	}
	if v, ok := f["tool_choice"]; ok {
		s.ToolChoice = d.data(v, c.field("tool_choice"), nil)
	}
	if v, ok := f["settings"]; ok {
		s.Settings = d.mapField(v, c.field("settings"), "settings", scopeStep)
		if s.Settings != nil {
			if mv, ok := s.Settings.Get("model").(*Value); ok {
				s.Model = mv
			}
		}
	}
	for key, dst := range map[string]**Value{"unwrap": &s.Unwrap, "auto_run_tools": &s.AutoRunTools, "disable_cache": &s.DisableCache} {
		if v, ok := f[key]; ok {
			*dst = d.boolField(v, c.field(key), key)
		}
	}
}

var messageKeys = []string{"role", "content", "name", "tool_call_id", "tool_calls", "continue"}

// message decodes one prompt message {role, content}.
func (d *decoder) message(n *yaml.Node, c ctx, sc *Scope) *Message {
	ents, r, ok := d.mapping(n, c, "a prompt message")
	if !ok {
		return nil
	}
	m := &Message{At: d.pos(r)}
	for _, e := range ents {
		fc := c.field(e.key.Value)
		switch e.key.Value {
		case "role":
			if s := d.scalar(e.val, fc, "role"); s != nil {
				m.Role = d.value(s, fc, sc)
			}
		case "content":
			m.Content = d.data(e.val, fc, sc)
		default:
			if slices.Contains(messageKeys, e.key.Value) {
				d.data(e.val, fc, nil)
				continue
			}
			d.unknownKey(e.key, c, "a prompt message", messageKeys)
		}
	}
	if m.Role == nil {
		d.errorf(r, TypeMissing, c, "prompt message: missing required key \"role\"")
	}
	if m.Content == nil && !hasKey(ents, "content") {
		d.errorf(r, TypeMissing, c, "prompt message: missing required key \"content\"")
	}
	return m
}

// yield decodes {workflow, arguments} or {yield: {workflow, arguments}}.
func (d *decoder) yield(base StepBase, f map[string]*yaml.Node, r *yaml.Node, c ctx) Step {
	s := &YieldStep{StepBase: base}
	if y, ok := f["yield"]; ok {
		if len(f) > 1 {
			d.errorf(r, TypeInvalid, c, "yield: give either \"yield: {workflow, arguments}\" or \"workflow\" and \"arguments\", not both")
		}
		yc := c.field("yield")
		ents, yn, ok := d.mapping(y, yc, "yield")
		if !ok {
			return s
		}
		f = map[string]*yaml.Node{}
		for _, e := range ents {
			if e.key.Value != "workflow" && e.key.Value != "arguments" {
				d.unknownKey(e.key, yc, "yield", []string{"workflow", "arguments"})
				continue
			}
			f[e.key.Value] = e.val
		}
		r, c = yn, yc
	}
	if w, ok := f["workflow"]; ok {
		s.Workflow = d.str(w, c.field("workflow"), "workflow")
	} else {
		d.errorf(r, TypeMissing, c, "yield step: missing required key \"workflow\"")
	}
	if a, ok := f["arguments"]; ok {
		s.Arguments = d.arguments(a, c.field("arguments"), scopeStep)
	}
	return s
}

// sleep decodes {seconds, minutes, hours, days}; the total must be > 0.
func (d *decoder) sleep(base StepBase, n *yaml.Node, c ctx) Step {
	s := &SleepStep{StepBase: base}
	ents, r, ok := d.mapping(n, c, "sleep")
	if !ok {
		return s
	}
	units := map[string]float64{"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
	dst := map[string]**Value{"seconds": &s.Seconds, "minutes": &s.Minutes, "hours": &s.Hours, "days": &s.Days}
	for _, e := range ents {
		mul, ok := units[e.key.Value]
		if !ok {
			d.unknownKey(e.key, c, "sleep", []string{"seconds", "minutes", "hours", "days"})
			continue
		}
		v, x, ok := d.number(e.val, c.field(e.key.Value), "sleep."+e.key.Value, false)
		if !ok {
			continue
		}
		if x < 0 {
			d.add(SeverityError, TypeInvalid, v.At, c.field(e.key.Value), "sleep.%s must not be negative, got %s", e.key.Value, v.Raw)
		}
		*dst[e.key.Value] = v
		s.TotalSeconds += x * mul
	}
	if s.TotalSeconds <= 0 && !d.hasErrorAt(c.path) {
		d.errorf(r, TypeInvalid, c, "sleep: the total duration must be greater than 0 (give seconds, minutes, hours or days)")
	}
	if s.TotalSeconds > 31*86400 {
		d.errorf(r, TypeInvalid, c, "sleep: the total duration must be at most 31 days")
	}
	return s
}

func (d *decoder) hasErrorAt(path string) bool {
	for _, e := range d.findings {
		if e.Path == path && e.Severity == SeverityError {
			return true
		}
	}
	return false
}

// switchStep decodes a list of {case, then}.
func (d *decoder) switchStep(base StepBase, n *yaml.Node, c ctx) Step {
	s := &SwitchStep{StepBase: base}
	sc := c.field("switch")
	r := d.resolve(n)
	if r == nil {
		return s
	}
	if r.Kind != yaml.SequenceNode {
		d.errorf(r, TypeWrongType, sc, "switch must be a list of {case, then}, got %s", describe(r))
		return s
	}
	if len(r.Content) == 0 {
		d.errorf(r, TypeInvalid, sc, "switch needs at least one case")
	}
	for i, cn := range r.Content {
		cc := sc.index(i)
		ents, cr, ok := d.mapping(cn, cc, "a switch case")
		if !ok {
			continue
		}
		cs := &Case{At: d.pos(cr)}
		for _, e := range ents {
			switch e.key.Value {
			case "case":
				v := d.scalar(e.val, cc.field("case"), "case")
				if v == nil {
					continue
				}
				if strings.TrimSpace(v.Value) == "_" {
					cs.Case = d.value(v, cc.field("case"), nil)
					cs.Default = true
					d.add(SeverityNote, TypeSemantics, cs.Case.At, cc.field("case"), "case \"_\" is the default branch here; Julep evaluates \"_\" (the input), so in Julep a falsy input skips this branch")
				} else {
					cs.Case = d.value(v, cc.field("case"), scopeStep)
				}
			case "then":
				p := fmt.Sprintf(".switch[%d].then", i)
				cs.Then = d.step(e.val, ctx{path: c.path + p, loc: c.loc + p})
			default:
				d.unknownKey(e.key, cc, "a switch case", []string{"case", "then"})
			}
		}
		if !hasKey(ents, "case") {
			d.errorf(cr, TypeMissing, cc, "switch case: missing required key \"case\"")
		}
		if !hasKey(ents, "then") {
			d.errorf(cr, TypeMissing, cc, "switch case: missing required key \"then\"")
		}
		s.Cases = append(s.Cases, cs)
	}
	return s
}

// mapReduce decodes over/map/reduce/initial/parallelism (flat, or nested
// under map_reduce:).
func (d *decoder) mapReduce(base StepBase, f map[string]*yaml.Node, r *yaml.Node, c ctx) Step {
	s := &MapReduceStep{StepBase: base}
	fc := c // where the fields are (under map_reduce: in the nested form)
	if mr, ok := f["map_reduce"]; ok {
		mc := c.field("map_reduce")
		if len(f) > 1 {
			d.errorf(r, TypeInvalid, c, "map_reduce: give the keys over, map, reduce... either at the step's level or under map_reduce, not both")
		}
		ents, mn, ok := d.mapping(mr, mc, "map_reduce")
		if !ok {
			return s
		}
		f = map[string]*yaml.Node{}
		for _, e := range ents {
			if !slices.Contains(nativeKeys[KindMapReduce][:5], e.key.Value) {
				d.unknownKey(e.key, mc, "map_reduce", nativeKeys[KindMapReduce][:5])
				continue
			}
			f[e.key.Value] = e.val
		}
		r, fc = mn, mc
	}
	for _, key := range []string{"over", "map"} {
		if _, ok := f[key]; !ok {
			d.errorf(r, TypeMissing, fc, "map_reduce step: missing required key %q", key)
		}
	}
	if v, ok := f["over"]; ok {
		s.Over = d.condition(v, fc.field("over"), "over")
	}
	if v, ok := f["map"]; ok {
		s.Map = d.step(v, ctx{path: c.path + ".map", loc: fc.loc + ".map"})
	}
	if v, ok := f["reduce"]; ok {
		if sv := d.scalar(v, fc.field("reduce"), "reduce"); sv != nil {
			s.Reduce = d.value(sv, fc.field("reduce"), scopeReduce)
		}
	}
	if v, ok := f["initial"]; ok {
		s.Initial = d.data(v, fc.field("initial"), nil)
	}
	if v, ok := f["parallelism"]; ok {
		if pv, x, ok := d.number(v, fc.field("parallelism"), "parallelism", true); ok {
			s.Parallelism = pv
			if x < 1 || x > 100 {
				d.add(SeverityError, TypeInvalid, pv.At, fc.field("parallelism"), "parallelism must be between 1 and 100, got %s", pv.Raw)
			}
		}
	}
	return s
}

// kindStep decodes a step of the kind form.
func (d *decoder) kindStep(r *yaml.Node, ents []kv, kindKV kv, c ctx) Step {
	kn := d.scalar(kindKV.val, c.field("kind"), "kind")
	if kn == nil {
		return nil
	}
	kind := Kind(kn.Value)
	base := StepBase{At: d.pos(r), path: c.path, KindForm: true}
	allowed, own := kindFormKeys[kind]
	if !own {
		if _, native := nativeKeys[kind]; !native {
			d.errorf(kn, TypeUnknownKind, c.field("kind"), "unknown step kind %q%s", kn.Value, didYouMean(kn.Value, allKinds()))
			return nil
		}
		// A native kind written with kind: decode its native keys.
		allowed = append([]string{"kind", "label"}, nativeKeys[kind]...)
	}
	f := map[string]*yaml.Node{}
	for _, e := range ents {
		switch {
		case e.key.Value == "kind":
		case e.key.Value == "label":
			base.Label = d.label(e.val, c.field("label"))
		case !slices.Contains(allowed, e.key.Value):
			d.unknownKey(e.key, c, article(string(kind))+" step", allowed)
		default:
			f[e.key.Value] = e.val
		}
	}
	switch kind {
	case KindToolCall:
		s := &ToolCallStep{StepBase: base}
		if v, ok := f["tool"]; ok {
			s.Tool = d.str(v, c.field("tool"), "tool")
		} else {
			d.errorf(r, TypeMissing, c, "tool_call step: missing required key \"tool\"")
		}
		if v, ok := f["operation"]; ok {
			s.Operation = d.str(v, c.field("operation"), "operation")
		}
		if v, ok := f["arguments"]; ok {
			s.Arguments = d.arguments(v, c.field("arguments"), scopeStep)
		}
		if v, ok := f["secret_name"]; ok {
			if s.SecretName = d.str(v, c.field("secret_name"), "secret_name"); s.SecretName != nil {
				d.checkSecretName(s.SecretName, c.field("secret_name"))
			}
		}
		if v, ok := f["secrets"]; ok {
			s.Secrets = d.mapField(v, c.field("secrets"), "secrets", nil)
			if s.Secrets != nil {
				for _, e := range s.Secrets.Entries {
					ec := c.field("secrets." + e.Key.Raw)
					sv, ok := e.Value.(*Value)
					if !ok || sv.Tag != "!!str" {
						d.add(SeverityError, TypeWrongType, e.Value.Pos(), ec, "secrets.%s must be a secret name (a string)", e.Key.Raw)
						continue
					}
					d.checkSecretName(sv, ec)
				}
			}
		}
		return s
	case KindTransform:
		s := &TransformStep{StepBase: base}
		sc := scopeStep.withVars("transform", false, "input")
		if v, ok := f["expression"]; ok {
			if sv := d.scalar(v, c.field("expression"), "expression"); sv != nil {
				s.Expression = d.value(sv, c.field("expression"), sc)
			}
		} else {
			d.errorf(r, TypeMissing, c, "transform step: missing required key \"expression\"")
		}
		if v, ok := f["input"]; ok {
			s.Input = d.data(v, c.field("input"), scopeStep)
		}
		if v, ok := f["output"]; ok {
			s.Output = d.str(v, c.field("output"), "output")
		}
		return s
	case KindPrompt:
		s := &PromptStep{StepBase: base}
		var vars []string
		if v, ok := f["template_variables"]; ok {
			s.TemplateVariables = d.mapField(v, c.field("template_variables"), "template_variables", scopeLLM)
			if s.TemplateVariables != nil {
				for _, e := range s.TemplateVariables.Entries {
					vars = append(vars, e.Key.Raw)
				}
			}
		}
		if v, ok := f["model"]; ok {
			s.Model = d.str(v, c.field("model"), "model")
		}
		d.promptBody(s, f, r, c, scopeLLM.withVars("prompt", true, vars...))
		return s
	}
	return d.native(kind, base, f, r, c)
}

func (d *decoder) checkSecretName(v *Value, c ctx) {
	if !secretNameRe.MatchString(v.Raw) || len(v.Raw) > 255 {
		d.add(SeverityError, TypeInvalid, v.At, c, "%q is not a valid secret name (^[A-Za-z][A-Za-z0-9_]*$, at most 255 characters)", v.Raw)
	}
}

var toolTypes = []string{"function", "integration", "system", "api_call"}

// tools decodes the task's tools list.
func (d *decoder) tools(n *yaml.Node, c ctx) {
	r := d.resolve(n)
	if r == nil || r.ShortTag() == "!!null" {
		return
	}
	if r.Kind != yaml.SequenceNode {
		d.errorf(r, TypeWrongType, c, "tools must be a list, got %s", describe(r))
		return
	}
	seen := map[string]*Tool{}
	for i, tn := range r.Content {
		tc := c.index(i)
		ents, tr, ok := d.mapping(tn, tc, "a tool")
		tc.loc = fmt.Sprintf("tools[%d]", i)
		if !ok {
			continue
		}
		t := &Tool{At: d.pos(tr)}
		tc.tool = t
		var typeVal *Value
		for _, e := range ents {
			fc := tc.field(e.key.Value)
			switch k := e.key.Value; k {
			case "name":
				t.Name = d.str(e.val, fc, "tool name")
			case "description":
				t.Description = d.str(e.val, fc, "tool description")
			case "type":
				if typeVal = d.str(e.val, fc, "tool type"); typeVal != nil && !slices.Contains(toolTypes, typeVal.Raw) {
					d.add(SeverityError, TypeInvalid, typeVal.At, fc, "unknown tool type %q%s", typeVal.Raw, didYouMean(typeVal.Raw, toolTypes))
				}
			case "function", "integration", "system", "api_call":
				if t.Type != "" {
					d.errorf(e.key, TypeInvalid, fc, "a tool has one of function, integration, system or api_call; this one also has %q", t.Type)
					continue
				}
				t.Type = k
				sc := scopeTool
				if k == "function" {
					sc = nil // a JSON Schema, not evaluated
				}
				t.Spec = d.mapField(e.val, fc, k, sc)
				d.checkToolSpec(t, tc.field(k))
			default:
				d.unknownKey(e.key, tc, "a tool", append([]string{"name", "description", "type"}, toolTypes...))
			}
		}
		if t.Type == "" {
			d.errorf(tr, TypeMissing, tc, "a tool needs one of the keys function, integration, system, api_call")
		} else if typeVal != nil && typeVal.Raw != t.Type && slices.Contains(toolTypes, typeVal.Raw) {
			d.add(SeverityError, TypeInvalid, typeVal.At, tc.field("type"), "tool type %q does not match its %q key", typeVal.Raw, t.Type)
		}
		if t.Name == nil {
			if !hasKey(ents, "name") {
				d.errorf(tr, TypeMissing, tc, "tool: missing required key \"name\"")
			}
		} else if prev, dup := seen[t.Name.Raw]; dup {
			d.add(SeverityError, TypeDuplicate, t.Name.At, tc.field("name"), "duplicate tool name %q (first defined at line %d)", t.Name.Raw, prev.At.Line)
		} else {
			seen[t.Name.Raw] = t
		}
		d.task.Tools = append(d.task.Tools, t)
	}
}

var toolSpecKeys = map[string][]string{
	"integration": {"provider", "method", "setup", "arguments"},
	"system":      {"resource", "operation", "resource_id", "subresource", "arguments"},
	"api_call":    {"method", "url", "headers", "params", "json", "data", "content", "files", "cookies", "secrets", "timeout", "follow_redirects", "schema", "params_schema"},
	"function":    {"name", "description", "parameters"},
}

func (d *decoder) checkToolSpec(t *Tool, c ctx) {
	if t.Spec == nil {
		return
	}
	allowed := toolSpecKeys[t.Type]
	for _, e := range t.Spec.Entries {
		if !slices.Contains(allowed, e.Key.Raw) {
			hint := didYouMean(e.Key.Raw, allowed)
			if hint == "" {
				hint = "; valid keys: " + strings.Join(allowed, ", ")
			}
			d.add(SeverityError, TypeUnknownKey, e.Key.At, c.field(e.Key.Raw), "unknown key %q in the %s spec of a tool%s", e.Key.Raw, t.Type, hint)
		}
	}
	switch t.Type {
	case "integration":
		if t.Spec.Get("provider") == nil {
			d.add(SeverityError, TypeMissing, t.Spec.At, c, "integration tool: missing required key \"provider\"")
		}
	case "api_call":
		for _, k := range []string{"method", "url"} {
			if t.Spec.Get(k) == nil {
				d.add(SeverityError, TypeMissing, t.Spec.At, c, "api_call tool: missing required key %q", k)
			}
		}
	case "function":
		if p := t.Spec.Get("parameters"); p != nil {
			if _, ok := p.(*Map); !ok {
				d.add(SeverityError, TypeWrongType, p.Pos(), c.field("parameters"), "function parameters must be a mapping (a JSON Schema)")
			}
		}
		if t.Name == nil {
			if nv, ok := t.Spec.Get("name").(*Value); ok {
				t.Name = nv
			}
		}
	}
}

// article returns "a word" or "an word".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
