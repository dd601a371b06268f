package pylib

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/engine/internal/py"
)

// yamlLoad parses one YAML document (yaml.v3, YAML 1.2 core schema as
// Julep's ruamel loader) into the value model, keeping mapping order.
func yamlLoad(st *py.State, s string) (any, error) { return yamlLoadSchema(st, s, false) }

// yamlLoadSchema is yamlLoad; with yaml11 the untagged plain scalars are
// resolved as PyYAML's SafeLoader does (YAML 1.1: yes/no/on/off booleans,
// 012 octal, 1:30 sexagesimal, 1e3 a string).
func yamlLoadSchema(st *py.State, s string, yaml11 bool) (any, error) {
	dec := yaml.NewDecoder(strings.NewReader(s))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		return nil, py.Errorf("YAMLError", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, py.Errorf("YAMLError", "expected a single document in the stream")
	}
	return yamlValue(st, &doc, 0, yaml11)
}

var yamlTimestamp = regexp.MustCompile(`^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$`)

func yamlValue(st *py.State, n *yaml.Node, depth int, yaml11 bool) (any, error) {
	if err := st.Charge(1); err != nil {
		return nil, err
	}
	if depth > st.Limits().MaxDepth {
		return nil, py.Errorf(py.LimitError, "YAML nesting deeper than %d", st.Limits().MaxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(st, n.Content[0], depth, yaml11)
	case yaml.AliasNode:
		return yamlValue(st, n.Alias, depth+1, yaml11)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(st, c, depth+1, yaml11)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return py.NewList(out), newColl(st, len(out))
	case yaml.MappingNode:
		d := py.NewDict(len(n.Content) / 2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			var k any = "<<"
			var err error
			if n.Content[i].Tag != "!!merge" {
				k, err = yamlValue(st, n.Content[i], depth+1, yaml11)
			}
			if err != nil {
				return nil, err
			}
			if l, ok := k.(*py.List); ok {
				k = py.Tuple(l.Items)
			}
			v, err := yamlValue(st, n.Content[i+1], depth+1, yaml11)
			if err != nil {
				return nil, err
			}
			if n.Content[i].Tag == "!!merge" {
				if md, ok := v.(*py.Dict); ok {
					for _, it := range md.Items() {
						if _, has, _ := d.Get(it[0]); !has {
							_ = d.Set(it[0], it[1])
						}
					}
					continue
				}
			}
			if err := d.Set(k, v); err != nil {
				return nil, py.Errorf("YAMLError", "found unhashable key")
			}
		}
		return d, newColl(st, d.Len())
	case yaml.ScalarNode:
		if yaml11 && n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			return yamlPlain11(st, n)
		}
		if yaml11 && n.ShortTag() == "!!bool" {
			switch strings.ToLower(n.Value) {
			case "yes", "true", "on":
				return true, nil
			}
			return false, nil
		}
		return yamlScalar(n)
	}
	return nil, py.Errorf("YAMLError", "unsupported YAML node")
}

func yamlScalar(n *yaml.Node) (any, error) {
	v := n.Value
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strings.ToLower(v) == "true", nil
	case "!!int":
		t := strings.ReplaceAll(v, "_", "")
		neg := false
		if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
			neg = t[0] == '-'
			t = t[1:]
		}
		base := 10
		switch {
		case strings.HasPrefix(t, "0x"):
			base, t = 16, t[2:]
		case strings.HasPrefix(t, "0o"):
			base, t = 8, t[2:]
		case strings.HasPrefix(t, "0b"):
			base, t = 2, t[2:]
		}
		b, ok := new(big.Int).SetString(t, base)
		if !ok {
			return v, nil
		}
		if neg {
			b.Neg(b)
		}
		return py.NormInt(b), nil
	case "!!float":
		t := strings.ToLower(strings.ReplaceAll(v, "_", ""))
		switch t {
		case ".inf", "+.inf":
			return math.Inf(1), nil
		case "-.inf":
			return math.Inf(-1), nil
		case ".nan":
			return math.NaN(), nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return v, nil
		}
		return f, nil
	case "!!timestamp":
		if yamlTimestamp.MatchString(v) {
			if len(v) <= 10 {
				if d, err := parseISO(padDate(v), true); err == nil {
					return d, nil
				}
			}
			t := strings.Replace(v, " ", "T", 1)
			t = strings.ReplaceAll(t, " ", "")
			if d, err := parseISO(t, false); err == nil {
				if d.Aware {
					// PyYAML/ruamel safe loaders return naive UTC datetimes.
					u := d.T.UTC()
					return &Datetime{T: u}, nil
				}
				return d, nil
			}
		}
		return v, nil
	case "!!binary":
		return nil, py.Errorf(py.NotImplementedError, "YAML !!binary values are not supported (bytes)")
	}
	return v, nil
}

// yamlPlain11 resolves an untagged plain scalar by PyYAML's implicit
// resolvers (YAML 1.1), in its order: bool, float, int, null, timestamp.
func yamlPlain11(st *py.State, n *yaml.Node) (any, error) {
	v := n.Value
	switch {
	case yamlBool11.MatchString(v):
		switch strings.ToLower(v) {
		case "yes", "true", "on":
			return true, nil
		}
		return false, nil
	case yamlFloat11.MatchString(v):
		return yamlFloat11Value(v), nil
	case yamlInt11.MatchString(v):
		if digits := len(strings.TrimLeft(v, "+-")); digits > 4300 && !strings.ContainsAny(v, "xob:") {
			return nil, valueErr("Exceeds the limit (4300 digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", digits)
		}
		if parts := int64(strings.Count(v, ":")); parts*5 > st.Limits().MaxIntBits {
			// Each sexagesimal part multiplies by 60: refuse before computing.
			return nil, py.Errorf(py.LimitError, "YAML integer too large (%d sexagesimal parts)", parts+1)
		}
		i := yamlInt11Value(v)
		if b, ok := i.(*big.Int); ok && int64(b.BitLen()) > st.Limits().MaxIntBits {
			return nil, py.Errorf(py.LimitError, "YAML integer too large (%d bits, limit %d)", b.BitLen(), st.Limits().MaxIntBits)
		}
		return i, nil
	case v == "<<":
		// A merge key is handled by the mapping; anywhere else PyYAML has
		// no constructor for it.
		return nil, py.Errorf("YAMLError", "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'")
	case yamlNull11.MatchString(v):
		return nil, nil
	case yamlTS11.MatchString(v):
		return yamlTimestamp11(v)
	case v == "=":
		return nil, py.Errorf("YAMLError", "could not determine a constructor for the tag 'tag:yaml.org,2002:value'")
	}
	return v, nil
}

var yamlTS11Parts = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$`)

// yamlTimestamp11 is PyYAML 6's construct_yaml_timestamp: a date, or a
// datetime that keeps its offset (timezone(timedelta(hours=-5))).
func yamlTimestamp11(v string) (any, error) {
	m := yamlTS11Parts.FindStringSubmatch(v)
	if m == nil {
		return v, nil
	}
	n := func(s string) int64 { x, _ := strconv.ParseInt(s, 10, 64); return x }
	if m[4] == "" {
		return newDatetime(n(m[1]), n(m[2]), n(m[3]), 0, 0, 0, 0, nil, true)
	}
	frac := m[7]
	if len(frac) > 6 {
		frac = frac[:6]
	}
	for len(frac) < 6 {
		frac += "0"
	}
	var tz *Timezone
	switch {
	case m[8] == "Z":
		tz = tzUTC
	case m[9] != "":
		off := int(n(m[10])*3600 + n(m[11])*60)
		if m[9] == "-" {
			off = -off
		}
		tz = &Timezone{Offset: off}
	}
	return newDatetime(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), n(frac), tz, false)
}

// yamlSign splits a leading sign off a YAML 1.1 number.
func yamlSign(v string) (string, bool) {
	v = strings.ReplaceAll(v, "_", "")
	if v != "" && (v[0] == '-' || v[0] == '+') {
		return v[1:], v[0] == '-'
	}
	return v, false
}

// yamlInt11Value is PyYAML's construct_yaml_int.
func yamlInt11Value(v string) any {
	t, neg := yamlSign(v)
	b := new(big.Int)
	switch {
	case t == "0":
	case strings.HasPrefix(t, "0b"):
		b.SetString(t[2:], 2)
	case strings.HasPrefix(t, "0x"):
		b.SetString(t[2:], 16)
	case strings.HasPrefix(t, "0"):
		b.SetString(t[1:], 8)
	case strings.Contains(t, ":"):
		for _, part := range strings.Split(t, ":") {
			d, _ := strconv.ParseInt(part, 10, 64)
			b.Mul(b, big.NewInt(60)).Add(b, big.NewInt(d))
		}
	default:
		b.SetString(t, 10)
	}
	if neg {
		b.Neg(b)
	}
	return py.NormInt(b)
}

// yamlFloat11Value is PyYAML's construct_yaml_float.
func yamlFloat11Value(v string) any {
	t, neg := yamlSign(strings.ToLower(v))
	sign := 1.0
	if neg {
		sign = -1
	}
	switch {
	case t == ".inf":
		return sign * math.Inf(1)
	case t == ".nan":
		return math.NaN()
	case strings.Contains(t, ":"):
		// Sexagesimal: 190:20:30.15 is ((190*60)+20)*60+30.15.
		f := 0.0
		for _, part := range strings.Split(t, ":") {
			d, _ := strconv.ParseFloat(part, 64)
			f = f*60 + d
		}
		return sign * f
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return v
	}
	return sign * f
}

func padDate(s string) string {
	p := strings.Split(s, "-")
	if len(p) != 3 {
		return s
	}
	for i := 1; i < 3; i++ {
		if len(p[i]) == 1 {
			p[i] = "0" + p[i]
		}
	}
	return strings.Join(p, "-")
}

// ---- dumping (PyYAML safe_dump defaults: block style, sorted keys, ASCII)

type yamlEmitter struct {
	st   *py.State
	b    strings.Builder
	col  int
	sort bool
	// pyTags tags tuples !!python/tuple, as PyYAML's yaml.dump (its
	// safe_dump writes them as lists).
	pyTags bool
}

func (e *yamlEmitter) write(s string) {
	e.b.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		e.col = runeLen(s[i+1:])
	} else {
		e.col += runeLen(s)
	}
}

var (
	yamlBool11  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yamlInt11   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yamlFloat11 = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yamlNull11  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlTS11    = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

func yamlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	v := strings.ToLower(py.FormatFloat(f))
	if !strings.Contains(v, ".") && strings.Contains(v, "e") {
		v = strings.Replace(v, "e", ".0e", 1)
	}
	return v
}

func (e *yamlEmitter) scalar(v any, indent int, simpleKey bool) (bool, error) {
	switch x := v.(type) {
	case nil:
		e.write("null")
	case bool:
		if x {
			e.write("true")
		} else {
			e.write("false")
		}
	case int64:
		e.write(strconv.FormatInt(x, 10))
	case *big.Int:
		e.write(x.String())
	case float64:
		e.write(yamlFloat(x))
	case string:
		e.scalarString(x, indent, simpleKey)
	case *Datetime:
		if x.DateOnly {
			e.write(x.isoformat("T", "auto"))
		} else {
			e.write(x.isoformat(" ", "auto"))
		}
	default:
		return false, nil
	}
	return true, nil
}

func yamlItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case *py.List:
		return x.Items, true
	case py.Tuple:
		return x, true
	}
	return nil, false
}

// node writes v at the current position; indent is the block indentation.
func (e *yamlEmitter) node(v any, indent int, inSeq bool) error {
	if err := e.st.Enter(); err != nil {
		return err
	}
	defer e.st.Leave()
	if err := e.st.CheckStringLen(int64(e.b.Len())); err != nil {
		return err
	}
	if t, ok := v.(py.Tuple); ok && e.pyTags {
		// A tagged sequence starts its items on the next line.
		e.write("!!python/tuple")
		if len(t) == 0 {
			e.write(" []")
			return nil
		}
		for _, it := range t {
			e.write("\n" + strings.Repeat(" ", indent) + "- ")
			if err := e.node(it, indent+2, true); err != nil {
				return err
			}
		}
		return nil
	}
	if items, ok := yamlItems(v); ok {
		if len(items) == 0 {
			e.write("[]")
			return nil
		}
		for i, it := range items {
			if i > 0 || !inSeq {
				e.write("\n" + strings.Repeat(" ", indent))
			}
			e.write("- ")
			if err := e.node(it, indent+2, true); err != nil {
				return err
			}
		}
		return nil
	}
	if d, ok := v.(*py.Dict); ok {
		if d.Len() == 0 {
			e.write("{}")
			return nil
		}
		items := d.Items()
		if e.sort {
			idx := make([]any, len(items))
			for i := range idx {
				idx[i] = int64(i)
			}
			err := sortBy(e.st, idx, func(i any) (any, error) { return items[i.(int64)][0], nil }, false)
			var pe *py.Error
			switch {
			case err == nil:
				sorted := make([]py.Tuple, len(items))
				for i, j := range idx {
					sorted[i] = items[j.(int64)]
				}
				items = sorted
			case errors.As(err, &pe) && pe.Kind == py.TypeError:
				// PyYAML keeps the order when keys do not compare.
			default:
				return err
			}
		}
		for i, it := range items {
			if i > 0 || !inSeq {
				e.write("\n" + strings.Repeat(" ", indent))
			}
			ok, err := e.scalar(it[0], indent+2, true)
			if err != nil {
				return err
			}
			if !ok {
				return py.Errorf("RepresenterError", "cannot represent a %s mapping key", tn(it[0]))
			}
			e.write(":")
			val := it[1]
			if sub, ok := yamlItems(val); ok && len(sub) > 0 {
				if _, isTuple := val.(py.Tuple); isTuple && e.pyTags {
					e.write(" ")
				}
				if err := e.node(val, indent, false); err != nil {
					return err
				}
				continue
			}
			if sd, ok := val.(*py.Dict); ok && sd.Len() > 0 {
				if err := e.node(val, indent+2, false); err != nil {
					return err
				}
				continue
			}
			e.write(" ")
			if err := e.node(val, indent+2, true); err != nil {
				return err
			}
		}
		return nil
	}
	ok, err := e.scalar(v, indent, false)
	if err != nil {
		return err
	}
	if !ok {
		return py.Errorf("RepresenterError", "cannot represent an object: %s", py.ShortRepr(v))
	}
	return nil
}

func yamlDump(st *py.State, v any, sortKeys bool) (string, error) {
	return yamlDumpTags(st, v, sortKeys, false)
}

// yamlDumpTags is yamlDump; with pyTags tuples are tagged as yaml.dump does.
func yamlDumpTags(st *py.State, v any, sortKeys, pyTags bool) (string, error) {
	e := &yamlEmitter{st: st, sort: sortKeys, pyTags: pyTags}
	indent := 0
	if _, isStr := v.(string); isStr {
		indent = 2 // continuation lines of a root scalar
	}
	if err := e.node(v, indent, true); err != nil {
		return "", err
	}
	out := e.b.String() + "\n"
	_, isColl := yamlItems(v)
	if _, isDict := v.(*py.Dict); !isColl && !isDict {
		// A plain root scalar ends the document explicitly.
		if s, ok := v.(string); !ok || yamlStyle(s, false) == 'p' {
			out += "...\n"
		}
	}
	if err := st.CheckBuilt([]byte(out)); err != nil {
		return "", err
	}
	return out, nil
}

// yamlModule is the yaml module.
func yamlModule() *py.Module {
	return newModule("yaml", map[string]builtinFunc{
		"load":      yamlLoadFunc("load"),
		"safe_load": yamlLoadFunc("safe_load"),
		"dump":      yamlDumpFunc("dump"),
		"safe_dump": yamlDumpFunc("safe_dump"),
	}, nil)
}

// yamlLoadFunc returns yaml.load, safe_load or load_yaml (name, for messages).
func yamlLoadFunc(name string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind(name, args, kw, []string{"stream", "Loader"}, 1)
		if err != nil {
			return nil, err
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, typeErr("%s() argument must be str, not %s", name, tn(a[0]))
		}
		if err := checkHelperInput(name, s); err != nil {
			return nil, err
		}
		// yaml.safe_load and yaml.load are PyYAML's (YAML 1.1); Julep's
		// load_yaml helper is its ruamel loader (YAML 1.2).
		return yamlLoadSchema(st, s, name != "load_yaml")
	}
}

// yamlDumpFunc returns yaml.dump, safe_dump or dump_yaml (name, for messages): PyYAML's
// safe_dump defaults; options other than sort_keys are refused.
func yamlDumpFunc(name string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind(name, args, kw, []string{"data", "stream", "sort_keys", "default_flow_style", "allow_unicode", "indent", "width"}, 1)
		if err != nil {
			return nil, err
		}
		if given(a[1]) && a[1] != nil {
			return nil, py.Errorf(py.NotImplementedError, "%s(): streams are not supported", name)
		}
		for i, opt := range []string{"default_flow_style", "allow_unicode", "indent", "width"} {
			if v := a[3+i]; given(v) && v != nil && !(opt == "default_flow_style" && v == false) && !(opt == "allow_unicode" && v == false) {
				return nil, py.Errorf(py.NotImplementedError, "%s(): option %s is not supported", name, opt)
			}
		}
		sortKeys := !given(a[2]) || py.Truth(a[2])
		// yaml.dump is PyYAML's full dumper (tuples tagged); safe_dump and
		// Julep's dump_yaml write them as lists.
		return yamlDumpTags(st, a[0], sortKeys, name == "dump")
	}
}
