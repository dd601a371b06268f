package pylib

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine/internal/py"
)

func callBuiltin(t *testing.T, st *py.State, name string, args ...any) (any, error) {
	t.Helper()
	f, ok := testLib.Builtin(name)
	require.True(t, ok, "builtin %s", name)
	return f.Call(st, args, nil)
}

func callModule(t *testing.T, st *py.State, dotted string, args []any, kw *py.Kwargs) (any, error) {
	t.Helper()
	f, err := resolveDotted(st, dotted)
	require.NoError(t, err)
	return py.Call(st, f, args, kw)
}

func callMethod(t *testing.T, st *py.State, recv any, name string, args ...any) (any, error) {
	t.Helper()
	m, ok := testLib.Method(py.TypeName(recv), name)
	require.True(t, ok, "%s.%s", py.TypeName(recv), name)
	var kw *py.Kwargs
	if n := len(args); n > 0 {
		if k, isKw := args[n-1].(*py.Kwargs); isKw {
			args, kw = args[:n-1], k
		}
	}
	return m(st, recv, args, kw)
}

// testLib is the library under test.
var testLib = Library()

func newState(t *testing.T) *py.State { return libState(py.NewState(t.Context(), py.Limits{})) }

// libState gives st the library under test.
func libState(st *py.State) *py.State {
	st.SetLibrary(testLib)
	return st
}

func kindOf(err error) string {
	var pe *py.Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ""
}

func TestRegistered(t *testing.T) {
	for _, name := range strings.Fields(`abs all any bool dict enumerate float int len list map max min round set str sum
		tuple zip reduce range sorted reversed filter repr format chr ord divmod pow hex oct bin isinstance load_json load_yaml
		dump_json dump_yaml extract_json search_regex match_regex nlp chunk_doc markdown_to_html html_to_markdown`) {
		_, ok := testLib.Builtin(name)
		assert.True(t, ok, "builtin %s", name)
	}
	mods := map[string]string{
		"re":           "fullmatch search escape findall finditer match split sub subn compile I M S X A",
		"json":         "loads dumps",
		"yaml":         "load safe_load dump safe_dump",
		"string":       "ascii_letters ascii_lowercase ascii_uppercase digits hexdigits octdigits punctuation printable whitespace",
		"datetime":     "datetime date timedelta timezone",
		"math":         "pi e tau inf nan sqrt floor ceil trunc log log2 log10 exp pow fabs isnan isinf isfinite gcd lcm factorial comb perm prod fsum sin cos tan asin acos atan atan2 degrees radians hypot copysign",
		"statistics":   "mean median mode stdev pstdev variance pvariance median_low median_high geometric_mean quantiles fmean",
		"base64":       "b64encode b64decode urlsafe_b64encode urlsafe_b64decode",
		"urllib.parse": "urlparse urlsplit urlencode quote quote_plus unquote unquote_plus parse_qs parse_qsl urlunparse urlunsplit",
		"random":       "random randint choice sample uniform shuffle",
		"time":         "time sleep strftime",
		"csv":          "reader DictReader",
	}
	for mod, names := range mods {
		m, ok := testLib.Module(mod)
		require.True(t, ok, "module %s", mod)
		for _, n := range strings.Fields(names) {
			_, ok := m.Attrs[n]
			assert.True(t, ok, "%s.%s", mod, n)
		}
	}
	for name, m := range testLib.Modules {
		assert.Equal(t, name, m.Name, "module key")
	}
	assert.NotSame(t, testLib, Library(), "a new library on every call")
	c := testLib.Constants
	assert.Equal(t, "\n", c["NEWLINE"])
	assert.Equal(t, true, c["true"])
	assert.Equal(t, false, c["false"])
	v, ok := c["null"]
	assert.True(t, ok)
	assert.Nil(t, v)
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		run  func(st *py.State) (any, error)
	}{
		{"center", func(st *py.State) (any, error) { return callMethod(t, st, "a", "center", int64(10_000_000_000)) }},
		{"ljust", func(st *py.State) (any, error) { return callMethod(t, st, "a", "ljust", int64(1<<40), "x") }},
		{"zfill", func(st *py.State) (any, error) { return callMethod(t, st, "1", "zfill", int64(1<<40)) }},
		{"expandtabs", func(st *py.State) (any, error) { return callMethod(t, st, "\t\t", "expandtabs", int64(1<<30)) }},
		{"replace", func(st *py.State) (any, error) {
			return callMethod(t, st, strings.Repeat("a", 2000), "replace", "", strings.Repeat("b", 2000))
		}},
		{"join", func(st *py.State) (any, error) {
			items := make([]any, 3000)
			for i := range items {
				items[i] = strings.Repeat("x", 1000)
			}
			return callMethod(t, st, "", "join", py.NewList(items))
		}},
		{"range", func(st *py.State) (any, error) { return callBuiltin(t, st, "range", int64(10_000_000)) }},
		{"factorial", func(st *py.State) (any, error) {
			return callModule(t, st, "math.factorial", []any{int64(1_000_000)}, nil)
		}},
		{"comb", func(st *py.State) (any, error) {
			return callModule(t, st, "math.comb", []any{int64(90_000), int64(45_000)}, nil)
		}},
		{"re.sub", func(st *py.State) (any, error) {
			return callModule(t, st, "re.sub", []any{"", strings.Repeat("y", 5000), strings.Repeat("a", 1000)}, nil)
		}},
		{"load_json size", func(st *py.State) (any, error) {
			return callBuiltin(t, st, "load_json", "\""+strings.Repeat("a", 1_000_001)+"\"")
		}},
		{"json depth", func(st *py.State) (any, error) {
			return callBuiltin(t, st, "load_json", strings.Repeat("[", 5000)+strings.Repeat("]", 5000))
		}},
		{"json.dumps indent", func(st *py.State) (any, error) {
			return callModule(t, st, "json.dumps", []any{py.NewList([]any{int64(1)})}, &py.Kwargs{Names: []string{"indent"}, Values: []any{int64(1 << 40)}})
		}},
		{"format width", func(st *py.State) (any, error) {
			return callMethod(t, st, "{:>{w}}", "format", "x", &py.Kwargs{Names: []string{"w"}, Values: []any{int64(100_000_000)}})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.run(newState(t))
			require.Error(t, err)
			assert.Equal(t, py.LimitError, kindOf(err), "%v", err)
		})
	}
}

func TestJulepHelpers(t *testing.T) {
	st := newState(t)
	v, err := callBuiltin(t, st, "extract_json", "Here:\n```json\n{\"a\": [1, 2]}\n```\nthanks")
	require.NoError(t, err)
	assert.Equal(t, "{'a': [1, 2]}", py.Repr(v))

	v, err = callBuiltin(t, st, "extract_json", `{"b": null}`)
	require.NoError(t, err)
	assert.Equal(t, "{'b': None}", py.Repr(v))

	_, err = callBuiltin(t, st, "extract_json", "no json here")
	assert.Equal(t, "JSONDecodeError", kindOf(err))

	v, err = callBuiltin(t, st, "search_regex", `\d+`, "abc 123 def")
	require.NoError(t, err)
	assert.Equal(t, "<re.Match object; span=(4, 7), match='123'>", py.Repr(v))

	v, err = callBuiltin(t, st, "search_regex", `\d+`, "none")
	require.NoError(t, err)
	assert.Nil(t, v)

	v, err = callBuiltin(t, st, "match_regex", `[a-z]+@[a-z]+\.com`, "ann@example.com")
	require.NoError(t, err)
	assert.Equal(t, true, v)
	v, err = callBuiltin(t, st, "match_regex", `[a-z]+`, "abc1")
	require.NoError(t, err)
	assert.Equal(t, false, v)

	v, err = callBuiltin(t, st, "load_yaml", "a: 1\nb:\n  - x\n  - yes\n")
	require.NoError(t, err)
	assert.Equal(t, "{'a': 1, 'b': ['x', 'yes']}", py.Repr(v), "YAML 1.2: yes stays a string, as in Julep")
	v, err = callModule(t, st, "yaml.safe_load", []any{"a: 012\nb:\n  - x\n  - yes\n"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "{'a': 10, 'b': ['x', True]}", py.Repr(v), "yaml.safe_load is PyYAML's YAML 1.1")

	d := py.NewDict(0)
	d.SetStr("b", int64(1))
	d.SetStr("a", py.NewList([]any{"x", 1.5}))
	v, err = callBuiltin(t, st, "dump_yaml", d)
	require.NoError(t, err)
	assert.Equal(t, "a:\n- x\n- 1.5\nb: 1\n", v)

	v, err = callBuiltin(t, st, "dump_json", d)
	require.NoError(t, err)
	assert.Equal(t, `{"b": 1, "a": ["x", 1.5]}`, v)

	_, err = callBuiltin(t, st, "chunk_doc", "One. Two.")
	assert.Equal(t, py.NotImplementedError, kindOf(err))
}

func TestRegexUnsupportedFeaturesExplain(t *testing.T) {
	for pat, want := range map[string]string{
		`(?<=a)b`:        "lookbehind is not supported",
		`(?<!a)b`:        "lookbehind is not supported",
		`a(?=b)`:         "lookahead is not supported",
		`a(?!b)`:         "lookahead is not supported",
		`(a)\1`:          "backreferences are not supported",
		`(?P<x>a)(?P=x)`: "backreferences (?P=name) are not supported",
		`a++`:            "possessive quantifiers are not supported",
		`(?>a)`:          "atomic groups are not supported",
	} {
		_, err := compileRegex(pat, 0)
		require.Error(t, err, pat)
		assert.Contains(t, err.Error(), want, pat)
	}
}

func TestRegexUnicodeClasses(t *testing.T) {
	st := newState(t)
	v, err := callModule(t, st, "re.findall", []any{`\w+`, "naïve café 東京 x_1"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "['naïve', 'café', '東京', 'x_1']", py.Repr(v))
	v, err = callModule(t, st, "re.findall", []any{`\w+`, "naïve"}, &py.Kwargs{Names: []string{"flags"}, Values: []any{int64(reFlagASCII)}})
	require.NoError(t, err)
	assert.Equal(t, "['na', 've']", py.Repr(v))
}

func TestRandomAndTime(t *testing.T) {
	st := newState(t)
	for i := 0; i < 50; i++ {
		v, err := callModule(t, st, "random.randint", []any{int64(1), int64(3)}, nil)
		require.NoError(t, err)
		n := v.(int64)
		assert.True(t, n >= 1 && n <= 3)
	}
	v, err := callModule(t, st, "random.choice", []any{"abc"}, nil)
	require.NoError(t, err)
	assert.Contains(t, "abc", v.(string))
	v, err = callModule(t, st, "random.sample", []any{py.NewList([]any{int64(1), int64(2), int64(3)}), int64(2)}, nil)
	require.NoError(t, err)
	assert.Len(t, v.(*py.List).Items, 2)
	_, err = callModule(t, st, "time.sleep", []any{int64(1)}, nil)
	assert.Equal(t, py.NotImplementedError, kindOf(err))
	v, err = callModule(t, st, "time.time", nil, nil)
	require.NoError(t, err)
	assert.Greater(t, v.(float64), 1.7e9)
}

func TestCSV(t *testing.T) {
	st := newState(t)
	v, err := callModule(t, st, "csv.reader", []any{"name,age\nann,31\n\"b,ob\",\"2\"\"7\"\n"}, nil)
	require.NoError(t, err)
	assert.Equal(t, `[['name', 'age'], ['ann', '31'], ['b,ob', '2"7']]`, py.Repr(v))
	v, err = callModule(t, st, "csv.DictReader", []any{"name,age\nann,31\nbob,27"}, nil)
	require.NoError(t, err)
	assert.Equal(t, `[{'name': 'ann', 'age': '31'}, {'name': 'bob', 'age': '27'}]`, py.Repr(v))
}

func TestSecurityInFormat(t *testing.T) {
	st := newState(t)
	for _, f := range []string{"{0._x}", "{0[_secret]}", "{_x}"} {
		_, err := callMethod(t, st, f, "format", py.NewDict(0), &py.Kwargs{Names: []string{"_x"}, Values: []any{int64(1)}})
		require.Error(t, err, f)
		assert.Equal(t, py.SecurityError, kindOf(err), f)
	}
}
