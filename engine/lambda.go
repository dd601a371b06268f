package engine

import (
	"slices"
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// lambdaProto is a compiled lambda body. Its frame slots are, in order: the
// parameters, the walrus targets of the body, the captured variables.
type lambdaProto struct {
	prog     *Program
	params   []syntax.Param
	ndefault int // parameters with a default (their values come first in $lambda's arguments)
	ncapture int
	name     string
}

func (l *lambdaProto) String() string { return "lambda" }

// helperLambda creates a lambda value: $lambda(env, proto, defaults..., captures...).
func helperLambda(a ...any) (any, error) {
	proto := a[1].(*lambdaProto)
	rest := a[2:]
	defaults := rest[:proto.ndefault]
	captures := rest[proto.ndefault:]
	return &py.Func{Name: "<lambda>", Call: func(s *py.State, args []any, kw *py.Kwargs) (any, error) {
		return proto.call(s, defaults, captures, args, kw)
	}}, nil
}

// call binds the arguments to the parameters and runs the body.
func (l *lambdaProto) call(s *py.State, defaults, captures, args []any, kw *py.Kwargs) (any, error) {
	if err := s.Charge(1); err != nil {
		return nil, err
	}
	if err := s.Enter(); err != nil {
		return nil, err
	}
	defer s.Leave()
	r := getRunner()
	defer putRunner(r)
	n := len(l.prog.slots)
	vals := slices.Grow(r.buf[:0], n)[:n]
	defer func() {
		clear(vals)
		r.buf = vals[:0]
	}()
	for i := range vals {
		vals[i] = unbound
	}
	if err := l.bind(vals, defaults, args, kw); err != nil {
		return nil, err
	}
	copy(vals[n-len(captures):], captures)
	return l.prog.run(r, s, vals)
}

func (l *lambdaProto) bind(vals, defaults, args []any, kw *py.Kwargs) error {
	defaultOf := func(p *syntax.Param) (any, bool) {
		if p.Default == nil {
			return nil, false
		}
		// defaults are stored in parameter order
		idx := 0
		for i := range l.params {
			if &l.params[i] == p {
				break
			}
			if l.params[i].Default != nil {
				idx++
			}
		}
		return defaults[idx], true
	}
	ai := 0
	var varargs, varkw = -1, -1
	for i, p := range l.params {
		switch p.Kind {
		case syntax.ParamPosOnly, syntax.ParamNormal:
			if ai < len(args) {
				vals[i] = args[ai]
				ai++
			}
		case syntax.ParamVarArgs:
			varargs = i
		case syntax.ParamVarKw:
			varkw = i
		}
	}
	if ai < len(args) {
		if varargs < 0 {
			npos := 0
			for _, p := range l.params {
				if p.Kind == syntax.ParamPosOnly || p.Kind == syntax.ParamNormal {
					npos++
				}
			}
			return py.Errorf(py.TypeError, "<lambda>() takes %d positional argument%s but %d %s given", npos, plural(npos), len(args), wereWas(len(args)))
		}
	}
	if varargs >= 0 {
		vals[varargs] = py.Tuple(slices.Clone(args[ai:]))
	}
	var extra *py.Dict
	if varkw >= 0 {
		extra = py.NewDict(0)
		vals[varkw] = extra
	}
	for k := 0; k < kw.Len(); k++ {
		name, v := kw.Names[k], kw.Values[k]
		found := false
		for i, p := range l.params {
			if p.Name != name || p.Kind == syntax.ParamVarArgs || p.Kind == syntax.ParamVarKw {
				continue
			}
			if p.Kind == syntax.ParamPosOnly {
				if extra == nil {
					return py.Errorf(py.TypeError, "<lambda>() got some positional-only arguments passed as keyword arguments: '%s'", name)
				}
				break
			}
			if vals[i] != unbound {
				return py.Errorf(py.TypeError, "<lambda>() got multiple values for argument '%s'", name)
			}
			vals[i] = v
			found = true
			break
		}
		if found {
			continue
		}
		if extra == nil {
			return py.Errorf(py.TypeError, "<lambda>() got an unexpected keyword argument '%s'", name)
		}
		extra.SetStr(name, v)
	}
	var missing, missingKw []string
	for i := range l.params {
		p := &l.params[i]
		if vals[i] != unbound || p.Kind == syntax.ParamVarArgs || p.Kind == syntax.ParamVarKw {
			continue
		}
		if d, ok := defaultOf(p); ok {
			vals[i] = d
			continue
		}
		if p.Kind == syntax.ParamKwOnly {
			missingKw = append(missingKw, "'"+p.Name+"'")
		} else {
			missing = append(missing, "'"+p.Name+"'")
		}
	}
	if len(missing) > 0 {
		return missingErr(missing, "positional")
	}
	if len(missingKw) > 0 {
		return missingErr(missingKw, "keyword-only")
	}
	return nil
}

func missingErr(names []string, what string) error {
	list := names[0]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return py.Errorf(py.TypeError, "<lambda>() missing %d required %s argument%s: %s", len(names), what, plural(len(names)), list)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func wereWas(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}
