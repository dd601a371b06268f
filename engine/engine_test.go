package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine/internal/cpycorpus"
	"github.com/julepkit/julep/engine/internal/py"
)

// eval compiles and evaluates src and returns the repr of the value or
// "!Kind: msg".
func eval(t testing.TB, src string, vars map[string]any) string {
	t.Helper()
	p, err := Compile(src)
	if err == nil {
		var v any
		if v, err = p.Eval(context.Background(), vars); err == nil {
			return py.Repr(v)
		}
	}
	var e *Error
	if errors.As(err, &e) {
		return "!" + e.Kind + ": " + e.Msg
	}
	return "!?: " + err.Error()
}

// Deliberate deviations from CPython (JULEP.md, Our semantics), and values
// whose repr has an address.
var cpythonOverrides = map[string]string{
	"{'a': 1}.a": "1", // rule 1: attribute access reads a key
	"d.keys":     "<built-in method keys",
}

func TestCPythonCases(t *testing.T) {
	c, err := cpycorpus.Load(filepath.Join("testdata", "cpython_cases.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, c.Cases)
	envs := map[string]map[string]any{}
	for name, raw := range c.Envs {
		v, err := py.DecodeJSON(raw)
		require.NoError(t, err)
		env := map[string]any{}
		v.(*py.Dict).Range(func(k, v any) bool { env[k.(string)] = v; return true })
		envs[name] = env
	}
	for _, k := range c.Group("expr") {
		src, err := k.Str(0)
		require.NoError(t, err)
		t.Run(src, func(t *testing.T) {
			got := eval(t, src, envs[k.Env])
			if want, ok := cpythonOverrides[src]; ok {
				assert.True(t, strings.HasPrefix(got, want), "%s: got %s, want %s...", k.Where, got, want)
				return
			}
			if k.Repr != nil {
				assert.Equal(t, *k.Repr, got, k.Where)
				return
			}
			assert.True(t, strings.HasPrefix(got, "!"+k.Error+":"), "%s: want %s, got %s", k.Where, k.Error, got)
		})
	}
}

func TestErrorsArePositioned(t *testing.T) {
	tests := []struct {
		src, kind string
		col       int
		msg       string
	}{
		{"1 +", "SyntaxError", 4, ""},
		{"x + 1", "NameError", 1, "name 'x' is not defined"},
		{"1 + 'a'", "TypeError", 3, "unsupported operand type(s) for +: 'int' and 'str'"},
		{"{'a': 1}['b']", "KeyError", 1, "'b'"},
		{"[1][5]", "IndexError", 1, "list index out of range"},
		{"1 // 0", "ZeroDivisionError", 3, ""},
		{"[x for x in [1, 0] if 1 / x]", "ZeroDivisionError", 25, ""},
		{"int('x')", "ValueError", 1, ""},
		{"'a'.nope()", "AttributeError", 5, ""},
		{"sorted([1, 0], key=lambda v: 1 / v)", "ZeroDivisionError", 32, ""},
		{"nosuchfn(1)", "NameError", 1, "name 'nosuchfn' is not defined"},
		{"(1, 2)[0] < 'a'", "TypeError", 11, ""},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := Compile(tt.src)
			if err == nil {
				_, err = p.Eval(context.Background(), nil)
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.kind, e.Kind, e.Error())
			assert.Equal(t, 1, e.Line)
			assert.Equal(t, tt.col, e.Column, e.Error())
			assert.Equal(t, tt.src, e.Source)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, e.Msg)
			}
			assert.Contains(t, e.Error(), fmt.Sprintf("(line 1, column %d)", tt.col))
			assert.Contains(t, e.Snippet(), "^")
		})
	}
}

// TestBuiltinsDisabled pins that expr's builtins are unreachable: Python
// names resolve to our functions, expr-only builtins are unknown names.
func TestBuiltinsDisabled(t *testing.T) {
	tests := map[string]string{
		"len([1, 2, 3])":                     "3",
		"len('héllo')":                       "5", // code points, not bytes (expr's len counts bytes)
		"any([0, ''])":                       "False",
		"all([])":                            "True",
		"list(map(str, [1, 2]))":             "['1', '2']",
		"list(filter(None, [0, 1, 2]))":      "[1, 2]",
		"max([1, 5, 2])":                     "5",
		"sum([1, 2], 10)":                    "13",
		"abs(-2)":                            "2",
		"one([1])":                           "!NameError: name 'one' is not defined",
		"none([1])":                          "!NameError: name 'none' is not defined",
		"count([1], 1)":                      "!NameError: name 'count' is not defined",
		"upper('a')":                         "!NameError: name 'upper' is not defined",
		"now()":                              "!NameError: name 'now' is not defined",
		"toJSON(1)":                          "!NameError: name 'toJSON' is not defined",
		"first([1])":                         "!NameError: name 'first' is not defined",
		"7 // 2":                             "3", // // is floor division, not an expr comment
		"2 ** 3 ** 2":                        "512",
		"1 if [] else 2":                     "2",
		"[x for x in [1, 2] if x] or 'none'": "[1, 2]",
	}
	for src, want := range tests {
		assert.Equal(t, want, eval(t, src, nil), src)
	}
	// The helpers are not reachable by name either.
	for _, src := range []string{"$fstr(1)", "$env", "#"} {
		assert.True(t, strings.HasPrefix(eval(t, src, nil), "!SyntaxError:"), src)
	}
}

func TestSecurity(t *testing.T) {
	tests := []struct{ src, kind string }{
		{"().__class__", "SecurityError"},
		{"''.__class__.__mro__", "SecurityError"},
		{"__import__('os')", "SecurityError"},
		{"_x", "SecurityError"},
		{"x._y", "SecurityError"},
		{"open('/etc/passwd')", "SecurityError"},
		{"eval('1')", "SecurityError"},
		{"exec('1')", "SecurityError"},
		{"getattr(1, 'real')", "SecurityError"},
		{"globals()", "SecurityError"},
		{"type(1)", "SecurityError"},
		{"input()", "SecurityError"},
		{"[c for c in ().__class__.__bases__]", "SecurityError"},
		{"9**9**9", "LimitError"},
		{"'a' * 10**10", "LimitError"},
		{"[0] * 10**9", "LimitError"},
		{"range(10**12)", "LimitError"},
		{"[x for x in range(10**6) for y in range(10**6)]", "LimitError"},
		{"len([x for x in range(10**5) for y in range(10**5)])", "LimitError"},
		{strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000), "LimitError"},
		{strings.Repeat("-", 5000) + "1", "LimitError"},
		{strings.Repeat("[", 300) + strings.Repeat("]", 300), "LimitError"},
	}
	for _, tt := range tests {
		name := tt.src
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			p, err := Compile(tt.src)
			if err == nil {
				_, err = p.Eval(context.Background(), map[string]any{"x": 1})
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.kind, e.Kind, e.Error())
			assert.Less(t, time.Since(start), 5*time.Second)
		})
	}
}

func TestInputIsAVariable(t *testing.T) {
	assert.Equal(t, "3", eval(t, "input['a'] + 1", map[string]any{"input": map[string]any{"a": 2}}))
}

func TestBareBuiltinNameShadowedByVariable(t *testing.T) {
	// Not called, a builtin or module name is the variable when one is given
	// (as CPython); a call by name still uses the builtin (JULEP.md rule 3).
	vars := map[string]any{"len": 5, "json": "text"}
	assert.Equal(t, "(5, 'TEXT', 2)", eval(t, "(len, json.upper(), len([1, 2]))", vars))
	assert.Equal(t, "(<built-in function len>, <module 'json'>)", eval(t, "(len, json)", nil))
	assert.Equal(t, "[5]", eval(t, "(lambda: [len])()", vars))
}

func TestCancel(t *testing.T) {
	p, err := Compile("[x for x in range(10**6) for y in range(100)]")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Eval(ctx, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "LimitError", e.Kind)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestGoValues(t *testing.T) {
	// encoding/json with UseNumber keeps ints (plain Unmarshal makes every
	// number a float64, which is a Python float).
	var decoded map[string]any
	dec := json.NewDecoder(strings.NewReader(`{"n": 2, "f": 2.5, "l": [1, "a"], "m": {"k": true}}`))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&decoded))
	vars := map[string]any{"v": decoded, "i": 3, "s": []string{"x"}}
	assert.Equal(t, "(2, 2.5, [1, 'a'], True, 3, ['x'])", eval(t, "(v.n, v['f'], v.l, v.m.k, i, s)", vars))
}

func TestFreeNamesAndRefs(t *testing.T) {
	p, err := Compile("f'{secrets.api_key}:{secrets[\"other\"]}' + secrets.get('third', '') + steps[0].output + str([s for s in inputs]) + str(len(_))")
	require.NoError(t, err)
	assert.Equal(t, []string{"_", "inputs", "secrets", "steps"}, p.FreeNames())
	keys, dyn := p.Refs("secrets")
	assert.Equal(t, []string{"api_key", "other", "third"}, keys)
	assert.False(t, dyn)
	_, dyn = p.Refs("steps")
	assert.True(t, dyn)
	keys, dyn = p.Refs("nothing")
	assert.Nil(t, keys)
	assert.False(t, dyn)

	for _, src := range []string{"secrets", "secrets[k]", "[v for v in secrets]", "secrets.items()", "(lambda: secrets.x)()", "len(secrets)"} {
		p, err := Compile(src)
		require.NoError(t, err, src)
		_, dyn := p.Refs("secrets")
		assert.True(t, dyn, src)
	}
	// Locally bound names are not free.
	p, err = Compile("[x for x in xs] + (lambda y: y)(1) + [(z := 1)] + [len]")
	require.NoError(t, err)
	assert.Equal(t, []string{"xs"}, p.FreeNames())
}

func TestCompileField(t *testing.T) {
	vars := map[string]any{"_": map[string]any{"a": 1}, "name": "Ann", "inputs": []any{map[string]any{"x": "X"}}}
	tests := []struct {
		field string
		kind  FieldKind
		want  string
	}{
		{"$ 1 + 2", FieldExpression, "3"},
		{"  $ _.a  ", FieldExpression, "1"},
		{"_", FieldExpression, "{'a': 1}"},
		{"_.a", FieldExpression, "1"},
		{"_['a']", FieldExpression, "1"},
		{"[1, 2]", FieldExpression, "[1, 2]"},
		{"inputs[0].x", FieldExpression, "'X'"},
		{"Hello {name}", FieldFString, "'Hello Ann'"},
		{"Hello {{ name }}", FieldTemplate, "'Hello Ann'"},
		{"{{name}} and {{ _.a + 1 }}", FieldTemplate, "'Ann and 2'"},
		{"plain text", FieldLiteral, "'plain text'"},
		{"  padded  ", FieldLiteral, "'padded'"},
		{"tab\\there", FieldLiteral, "'tab\\there'"},
		{"{{literal}}", FieldTemplate, "!NameError: name 'literal' is not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			f, err := CompileField(tt.field)
			require.NoError(t, err)
			assert.Equal(t, tt.kind, f.Kind())
			v, err := f.Eval(context.Background(), vars)
			got := ""
			var e *Error
			if errors.As(err, &e) {
				got = "!" + e.Kind + ": " + e.Msg
			} else {
				require.NoError(t, err)
				got = py.Repr(v)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCompileFieldErrorOffsets(t *testing.T) {
	tests := []struct {
		field string
		off   int // byte offset in the field string
	}{
		{"$ 1 +", 5},
		{"   $ x +* 2", 8},
		{"  Hello {name!}", 14},
		{"a {{ 1 + }} b", 9},
		{"x {{ _.a }} {{ 1 +* 2 }}", 18},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			_, err := CompileField(tt.field)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "SyntaxError", e.Kind)
			assert.Equal(t, tt.field, e.Source)
			assert.Equal(t, tt.off, e.Offset, e.Error())
		})
	}
	// Runtime errors too.
	f, err := CompileField("  $ 1 + x")
	require.NoError(t, err)
	_, err = f.Eval(context.Background(), map[string]any{"x": "s"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 6, e.Offset)
	assert.Equal(t, 7, e.Column)
}

func TestTemplate(t *testing.T) {
	tpl, err := CompileTemplate("Hi {{ name }}, about {{topic}} ({{ name }})")
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "topic"}, tpl.Vars())
	s, err := tpl.Render(map[string]string{"name": "Ann", "topic": "Go"})
	require.NoError(t, err)
	assert.Equal(t, "Hi Ann, about Go (Ann)", s)
	_, err = tpl.Render(map[string]string{"name": "Ann"})
	require.ErrorContains(t, err, `"topic"`)
	_, err = CompileTemplate("broken {{ x")
	require.Error(t, err)
	_, err = CompileTemplate("empty {{ }}")
	require.Error(t, err)
}

func TestCache(t *testing.T) {
	e := New(WithCacheSize(2))
	p1, err := e.Compile("1")
	require.NoError(t, err)
	p2, err := e.Compile("1")
	require.NoError(t, err)
	assert.Same(t, p1, p2)
	_, _ = e.Compile("2")
	_, _ = e.Compile("3")
	assert.Equal(t, 2, e.CacheLen())
	p3, err := e.Compile("1")
	require.NoError(t, err)
	assert.NotSame(t, p1, p3)
	_, err = e.Compile("1 +")
	require.Error(t, err)
}

func TestLimitsOption(t *testing.T) {
	e := New(WithLimits(Limits{MaxSourceLen: 10}))
	_, err := e.Compile("1 + 2 + 3 + 4")
	var ee *Error
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "LimitError", ee.Kind)

	e = New(WithLimits(Limits{Runtime: RuntimeLimits{MaxOps: 20_000}}))
	p, err := e.Compile("[x for x in range(100_000)]")
	require.NoError(t, err)
	_, err = p.Eval(context.Background(), nil)
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "LimitError", ee.Kind)
}

// TestConcurrentEval shares programs between goroutines (run with -race).
func TestConcurrentEval(t *testing.T) {
	srcs := map[string]string{
		"sorted(xs, key=lambda v: -v)[0]":        "9",
		"sum(x * n for x in xs)":                 "",
		"f'{n}:{len(xs)}'":                       "",
		"{k: v for k, v in zip('ab', xs)}['b']":  "",
		"[y for x in xs if x > 2 for y in [x]]":  "",
		"any(x > n for x in xs)":                 "",
		"(m := n * 2) + m":                       "",
		"[(lambda y: x + y)(n) for x in xs][-1]": "",
	}
	progs := map[string]*Program{}
	for src := range srcs {
		p, err := Compile(src)
		require.NoError(t, err)
		progs[src] = p
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vars := map[string]any{"xs": []any{1, 9, 3}, "n": g}
			for range 200 {
				for src, p := range progs {
					v, err := p.Eval(context.Background(), vars)
					if err != nil {
						errs <- fmt.Errorf("%s: %w", src, err)
						return
					}
					if src == "(m := n * 2) + m" && v != int64(4*g) {
						errs <- fmt.Errorf("%s = %v, want %d", src, v, 4*g)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestConcurrentCompile compiles in parallel (shared expr configuration and
// compile cache; run with -race).
func TestConcurrentCompile(t *testing.T) {
	uncached := New(WithCacheSize(0))
	cached := New(WithCacheSize(4))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				src := fmt.Sprintf("[x + %d for x in xs if x > %d] + [f'{y!r}' for y in 'ab']", i%7, g)
				for _, e := range []*Engine{uncached, cached} {
					p, err := e.Compile(src)
					if !assert.NoError(t, err) {
						return
					}
					_, err = p.Eval(context.Background(), map[string]any{"xs": []any{1, 2, 3}})
					assert.NoError(t, err)
				}
			}
		}()
	}
	wg.Wait()
}

// The runtime defaults documented on engine are the runtime's own, except
// MaxOps (DefaultMaxOps is tighter than the runtime's).
func TestRuntimeDefaultsMatchRuntime(t *testing.T) {
	want := py.DefaultLimits()
	want.MaxOps = DefaultMaxOps
	assert.Equal(t, want, DefaultLimits().Runtime.runtime())
	assert.Equal(t, want, New(WithLimits(Limits{})).Limits().Runtime.runtime())
	assert.Equal(t, int64(7), New(WithLimits(Limits{Runtime: RuntimeLimits{MaxIntBits: 7}})).Limits().Runtime.MaxIntBits)
}

// The Kind constants are the runtime's.
func TestKindsMatchRuntime(t *testing.T) {
	pairs := [][2]string{
		{KindSyntax, py.SyntaxError}, {KindName, py.NameError}, {KindType, py.TypeError},
		{KindKey, py.KeyError}, {KindIndex, py.IndexError}, {KindZeroDivision, py.ZeroDivisionError},
		{KindValue, py.ValueError}, {KindAttribute, py.AttributeError}, {KindOverflow, py.OverflowError},
		{KindNotImplemented, py.NotImplementedError}, {KindSecurity, py.SecurityError}, {KindLimit, py.LimitError},
	}
	for _, p := range pairs {
		assert.Equal(t, p[1], p[0])
	}
}
