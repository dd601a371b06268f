package steps

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// decoder walks the yaml.Node tree of one file and builds the Task.
type decoder struct {
	file     string
	li       *lineIndex
	opts     Options
	task     *Task
	findings Errors
	nodes    int  // nodes visited, aliases expanded
	over     bool // the node budget was exceeded
	labels   map[string]bool
}

// ctx is where a decoder is: the step path and Julep's location form.
type ctx struct {
	path string // step path: main[2].then
	loc  string // location: workflows.main.steps[2].then.evaluate.x
	tool *Tool  // the tool whose spec is being decoded, if any
}

func (c ctx) field(name string) ctx {
	c.loc += "." + name
	return c
}

func (c ctx) index(i int) ctx {
	c.loc = fmt.Sprintf("%s[%d]", c.loc, i)
	return c
}

func (d *decoder) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) add(sev Severity, typ string, p Pos, c ctx, format string, args ...any) {
	d.findings = append(d.findings, &Error{
		File: d.file, Line: p.Line, Column: p.Column,
		Path: c.path, Location: strings.TrimPrefix(c.loc, "."),
		Msg: fmt.Sprintf(format, args...), Severity: sev, Type: typ,
	})
}

func (d *decoder) errorf(n *yaml.Node, typ string, c ctx, format string, args ...any) {
	d.add(SeverityError, typ, d.pos(n), c, format, args...)
}

// resolve follows aliases and charges the node budget (an alias bomb is
// stopped here). It returns nil once the budget is exceeded.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	if d.over || n == nil {
		return nil
	}
	orig := n
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		n = n.Alias
	}
	d.nodes++
	if d.nodes > d.opts.maxNodes() {
		d.over = true
		d.add(SeverityError, TypeLimit, d.pos(orig), ctx{}, "the document expands to more than %d nodes (aliases included): refusing to load it (alias bomb?)", d.opts.maxNodes())
		return nil
	}
	return n
}

// describe names the YAML kind of n for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		}
		return "a string"
	}
	return "an unknown node"
}

type kv struct {
	key *yaml.Node
	val *yaml.Node
}

// entries returns the keys of mapping n in order, with merge keys (<<)
// applied, reporting duplicate and non-string keys. n must be resolved.
func (d *decoder) entries(n *yaml.Node, c ctx) []kv {
	var out []kv
	seen := map[string]*yaml.Node{}
	fromMerge := map[string]bool{}
	var add func(m *yaml.Node, merged bool)
	add = func(m *yaml.Node, merged bool) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := d.resolve(m.Content[i])
			v := m.Content[i+1]
			if k == nil {
				return
			}
			if k.Kind != yaml.ScalarNode {
				d.errorf(k, TypeWrongType, c, "a mapping key must be a string, got %s", describe(k))
				continue
			}
			if k.ShortTag() == "!!merge" {
				src := d.resolve(v)
				if src == nil {
					continue
				}
				switch src.Kind {
				case yaml.MappingNode:
					add(src, true)
				case yaml.SequenceNode:
					for _, it := range src.Content {
						if it = d.resolve(it); it != nil && it.Kind == yaml.MappingNode {
							add(it, true)
						}
					}
				default:
					d.errorf(src, TypeWrongType, c, "a merge key (<<) needs a mapping, got %s", describe(src))
				}
				continue
			}
			if first, dup := seen[k.Value]; dup {
				switch {
				case merged:
					// An explicit key, or an earlier merge, wins.
				case fromMerge[k.Value]:
					// An explicit key overrides a merged one.
					for i := range out {
						if out[i].key.Value == k.Value {
							out[i] = kv{k, v}
						}
					}
					delete(fromMerge, k.Value)
					seen[k.Value] = k
				default:
					d.errorf(k, TypeDuplicate, c.field(k.Value), "duplicate key %q (first defined at line %d)", k.Value, first.Line)
				}
				continue
			}
			seen[k.Value] = k
			if merged {
				fromMerge[k.Value] = true
			}
			out = append(out, kv{k, v})
		}
	}
	add(n, false)
	return out
}

// mapping resolves n and checks it is a mapping, returning its entries.
func (d *decoder) mapping(n *yaml.Node, c ctx, what string) ([]kv, *yaml.Node, bool) {
	n = d.resolve(n)
	if n == nil {
		return nil, nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, TypeWrongType, c, "%s must be a mapping, got %s", what, describe(n))
		return nil, n, false
	}
	return d.entries(n, c), n, true
}

// unknownKey reports key k, not one of allowed, with a hint.
func (d *decoder) unknownKey(k *yaml.Node, c ctx, where string, allowed []string) {
	hint := didYouMean(k.Value, allowed)
	if hint == "" {
		hint = "; valid keys: " + strings.Join(allowed, ", ")
	}
	d.errorf(k, TypeUnknownKey, c.field(k.Value), "unknown key %q in %s%s", k.Value, where, hint)
}

// scalar resolves n and checks it is a scalar (not a mapping or list).
func (d *decoder) scalar(n *yaml.Node, c ctx, what string) *yaml.Node {
	n = d.resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, TypeWrongType, c, "%s must be a scalar, got %s", what, describe(n))
		return nil
	}
	return n
}

// str decodes a string field (a scalar that is not null).
func (d *decoder) str(n *yaml.Node, c ctx, what string) *Value {
	s := d.scalar(n, c, what)
	if s == nil {
		return nil
	}
	if s.ShortTag() != "!!str" {
		d.errorf(s, TypeWrongType, c, "%s must be a string, got %s", what, describe(s))
		return nil
	}
	return d.value(s, c, nil)
}

// value builds the Value of scalar n; sc is the scope when it is evaluated.
func (d *decoder) value(n *yaml.Node, c ctx, sc *Scope) *Value {
	v := &Value{At: d.pos(n), Raw: n.Value, Tag: n.ShortTag(), lines: d.li}
	if sc != nil && v.Tag == "!!str" {
		v.Evaluated = true
		v.Scope = sc
		v.srcMap = scalarMap(d.li, n)
		d.task.values = append(d.task.values, valueRef{v: v, c: c})
	}
	return v
}

// data decodes any YAML value; string leaves are evaluated in sc (nil: not
// evaluated).
func (d *decoder) data(n *yaml.Node, c ctx, sc *Scope) Data {
	n = d.resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return d.dataMap(n, c, sc)
	case yaml.SequenceNode:
		l := &List{At: d.pos(n)}
		for i, it := range n.Content {
			if x := d.data(it, c.index(i), sc); x != nil {
				l.Items = append(l.Items, x)
			}
		}
		return l
	case yaml.ScalarNode:
		return d.value(n, c, sc)
	}
	return nil
}

func (d *decoder) dataMap(n *yaml.Node, c ctx, sc *Scope) *Map {
	m := &Map{At: d.pos(n)}
	for _, e := range d.entries(n, c) {
		fc := c.field(e.key.Value)
		if x := d.data(e.val, fc, sc); x != nil {
			m.Entries = append(m.Entries, Entry{Key: d.value(e.key, fc, nil), Value: x})
		}
	}
	return m
}

// mapField decodes a field that must be a mapping (evaluated in sc).
func (d *decoder) mapField(n *yaml.Node, c ctx, what string, sc *Scope) *Map {
	r := d.resolve(n)
	if r == nil {
		return nil
	}
	if r.Kind != yaml.MappingNode {
		d.errorf(r, TypeWrongType, c, "%s must be a mapping, got %s", what, describe(r))
		return nil
	}
	return d.dataMap(r, c, sc)
}

// number decodes an int or float scalar.
func (d *decoder) number(n *yaml.Node, c ctx, what string, intOnly bool) (*Value, float64, bool) {
	s := d.scalar(n, c, what)
	if s == nil {
		return nil, 0, false
	}
	tag := s.ShortTag()
	if tag != "!!int" && (intOnly || tag != "!!float") {
		kind := "a number"
		if intOnly {
			kind = "an integer"
		}
		d.errorf(s, TypeWrongType, c, "%s must be %s, got %s", what, kind, describe(s))
		return nil, 0, false
	}
	var f float64
	var err error
	if tag == "!!int" {
		var i int64
		i, err = strconv.ParseInt(strings.ReplaceAll(s.Value, "_", ""), 0, 64)
		f = float64(i)
	} else {
		f, err = strconv.ParseFloat(s.Value, 64)
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		d.errorf(s, TypeInvalid, c, "%s: %q is not a usable number", what, s.Value)
		return nil, 0, false
	}
	return d.value(s, c, nil), f, true
}

func (d *decoder) boolField(n *yaml.Node, c ctx, what string) *Value {
	s := d.scalar(n, c, what)
	if s == nil {
		return nil
	}
	if s.ShortTag() != "!!bool" {
		d.errorf(s, TypeWrongType, c, "%s must be true or false, got %s", what, describe(s))
		return nil
	}
	return d.value(s, c, nil)
}

// Name patterns.
var (
	canonicalRe  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)
	secretNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

// validWorkflowName reports whether s matches Python's ^[^\W0-9]\w*$.
func validWorkflowName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		word := r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Nd, r)
		if !word || (i == 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

var topKeys = []string{"name", "description", "canonical_name", "input_schema", "tools", "inherit_tools", "metadata", "main"}

// document decodes the top-level mapping.
func (d *decoder) document(root *yaml.Node) {
	top := ctx{}
	ents, n, ok := d.mapping(root, top, "a task document")
	if !ok {
		return
	}
	t := d.task
	var stepsKey, mainKey *yaml.Node
	for _, e := range ents {
		switch e.key.Value {
		case "steps":
			stepsKey = e.key
		case "main":
			mainKey = e.key
		}
	}
	if stepsKey != nil && mainKey == nil {
		t.Form = FormKind
	}
	var wfKeys []kv
	for _, e := range ents {
		k := e.key.Value
		c := top.field(k)
		switch k {
		case "name":
			if v := d.str(e.val, c, "name"); v != nil {
				t.Name = v
				if l := len([]rune(v.Raw)); l < 1 || l > 255 {
					d.errorf(e.val, TypeInvalid, c, "name must have 1 to 255 characters, has %d", l)
				}
			}
		case "description":
			t.Description = d.str(e.val, c, "description")
		case "canonical_name":
			if v := d.str(e.val, c, "canonical_name"); v != nil {
				t.CanonicalName = v
				if !canonicalRe.MatchString(v.Raw) {
					d.errorf(e.val, TypeInvalid, c, "canonical_name %q must match ^[a-zA-Z][a-zA-Z0-9_]*$", v.Raw)
				}
			}
		case "input_schema":
			if r := d.resolve(e.val); r != nil && r.Kind != yaml.MappingNode && r.ShortTag() != "!!null" {
				d.errorf(r, TypeWrongType, c, "input_schema must be a mapping (a JSON Schema), got %s", describe(r))
			}
			t.InputSchema = d.data(e.val, c, nil)
		case "inherit_tools":
			t.InheritTools = d.boolField(e.val, c, "inherit_tools")
		case "metadata":
			t.Metadata = d.mapField(e.val, c, "metadata", nil)
		case "tools":
			d.tools(e.val, c)
		default:
			if t.Form == FormKind && k == "steps" {
				wfKeys = append(wfKeys, e)
				continue
			}
			r := d.resolve(e.val)
			if r == nil {
				continue
			}
			if r.Kind != yaml.SequenceNode {
				hint := didYouMean(k, topKeys)
				if k == "main" || k == "steps" {
					d.errorf(r, TypeWrongType, c, "%s must be a list of steps, got %s", k, describe(r))
				} else if hint != "" {
					d.errorf(e.key, TypeUnknownKey, c, "unknown top-level key %q%s", k, hint)
				} else {
					d.errorf(r, TypeWrongType, c, "workflow %q must be a list of steps, got %s (every top-level key other than %s is a named workflow)", k, describe(r), strings.Join(topKeys[:len(topKeys)-1], ", "))
				}
				continue
			}
			wfKeys = append(wfKeys, e)
		}
	}
	// Workflows: main first.
	slices.SortStableFunc(wfKeys, func(a, b kv) int {
		am, bm := a.key.Value == "main" || a.key.Value == "steps", b.key.Value == "main" || b.key.Value == "steps"
		switch {
		case am && !bm:
			return -1
		case bm && !am:
			return 1
		}
		return 0
	})
	for _, e := range wfKeys {
		d.workflow(e.key, e.val)
	}
	if t.Form == FormNative {
		if t.Name == nil && !hasKey(ents, "name") {
			d.errorf(n, TypeMissing, top, "missing required key \"name\" (the task's name, 1 to 255 characters)")
		}
		if mainKey == nil {
			var names []string
			for _, e := range wfKeys {
				names = append(names, e.key.Value)
			}
			d.errorf(n, TypeMissing, top, "missing required key \"main\" (the list of steps)%s", didYouMean("main", names))
		}
	}
}

func hasKey(ents []kv, k string) bool {
	for _, e := range ents {
		if e.key.Value == k {
			return true
		}
	}
	return false
}

// workflow decodes one named list of steps.
func (d *decoder) workflow(k, v *yaml.Node) {
	name := k.Value
	kindForm := d.task.Form == FormKind && name == "steps"
	c := ctx{path: name, loc: "workflows." + name}
	if kindForm {
		c.loc = "steps"
	} else if name != "main" {
		if !validWorkflowName(name) {
			d.errorf(k, TypeInvalid, c, "workflow name %q must be an identifier (letters, digits and _, not starting with a digit)", name)
		} else if l := len([]rune(name)); l > 40 {
			d.errorf(k, TypeInvalid, c, "workflow name %q is too long (%d characters, at most 40)", name, l)
		}
	}
	r := d.resolve(v)
	if r == nil {
		return
	}
	wf := &Workflow{Name: name, At: d.pos(k)}
	d.task.Workflows = append(d.task.Workflows, wf)
	if len(r.Content) == 0 {
		d.errorf(r, TypeInvalid, c, "workflow %q must have at least one step", name)
		return
	}
	for i, sn := range r.Content {
		sc := ctx{path: fmt.Sprintf("%s[%d]", name, i), loc: fmt.Sprintf("%s.steps[%d]", c.loc, i)}
		if kindForm {
			sc.loc = fmt.Sprintf("steps[%d]", i)
		}
		if s := d.step(sn, sc); s != nil {
			wf.Steps = append(wf.Steps, s)
		}
	}
}
