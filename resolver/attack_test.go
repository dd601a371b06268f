package resolver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/leakcheck"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/steps"
)

// The attack suite of issue 9: expressions over secrets with hard content
// (short values, prefixes of others, quotes, unicode, newlines) that try
// to get a value, or any bit of one, out of what a resolved step shows.

// AttackSecrets reads testdata/attack/secrets_a.json or secrets_b.json:
// the same names, other values (other lengths and contents).
func attackSecrets(t testing.TB, which string) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/attack/secrets_" + which + ".json")
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

// attackExprs returns every template of testdata/attack/expressions.txt
// applied to every secret name.
func attackExprs(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/attack/expressions.txt")
	require.NoError(t, err)
	defer f.Close()
	names := sortedNames(attackSecrets(t, "a"))
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, n := range names {
			out = append(out, strings.ReplaceAll(line, "NAME", n))
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func sortedNames(m map[string]string) []string {
	var ns []string
	for n := range m {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// hiddenError is the only error a field over secrets may show.
var hiddenError = regexp.MustCompile(`^[A-Za-z]+ \(message hidden: the expression reads [^()]*(\(computed from secrets\)[^()]*)*\)$`)

// attackTask puts the expressions in evaluate steps, 8 fields a step.
func attackTask(exprs []string) string {
	var b strings.Builder
	b.WriteString("name: attack\nmain:\n")
	for i, e := range exprs {
		if i%8 == 0 {
			b.WriteString("  - evaluate:\n")
		}
		fmt.Fprintf(&b, "      q%d: %s\n", i, yamlQuote("$ "+e))
	}
	return b.String()
}

func yamlQuote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// resolveAll resolves every step of task with values and returns, by step
// path, what a person may see: the history JSON, String, Display and the
// error messages.
func resolveAll(t testing.TB, task string, values map[string]string) map[string][]string {
	t.Helper()
	tk, err := steps.Parse("attack.yaml", []byte(task))
	require.NoError(t, err)
	plan, err := resolver.New(resolver.MapSource(values)).Prepare(tk)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, path := range plan.Paths() {
		rs, err := plan.ResolveStep(context.Background(), "dev", path, resolver.Scope{})
		var se resolver.StepErrors
		if err != nil {
			require.ErrorAs(t, err, &se)
		}
		hist, err := json.Marshal(rs)
		require.NoError(t, err)
		disp, err := json.Marshal(rs.Display())
		require.NoError(t, err)
		views := []string{string(hist), rs.String(), fmt.Sprintf("%v %+v", rs, rs), string(disp)}
		for _, e := range se {
			if !hiddenError.MatchString(e.Message) {
				t.Errorf("%s %s: the error of an expression over secrets shows more than its kind: %q", path, e.At, strings.SplitN(e.Message, " ", 2)[0])
			}
			views = append(views, e.Error())
		}
		views = append(views, err2s(err))
		out[path] = views
	}
	return out
}

func err2s(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fieldOutcome matches a field that is one mask or an error: whether an
// expression over secrets fails is what a display may tell of it.
var fieldOutcome = regexp.MustCompile(`\{"\$error":"[^"]*"\}|"\[REDACTED\]"`)

// TestAttackResolver: for 49 attack templates over 8 secrets (392
// expressions), what a resolved step shows holds no run of any form of any
// value and nothing the decoders can rebuild one from, and is the same for
// two sets of values (a display never depends on a value; only whether an
// expression failed may).
func TestAttackResolver(t *testing.T) {
	exprs := attackExprs(t)
	require.GreaterOrEqual(t, len(exprs), 100)
	task := attackTask(exprs)
	a, b := attackSecrets(t, "a"), attackSecrets(t, "b")
	va, vb := resolveAll(t, task, a), resolveAll(t, task, b)
	for path, views := range va {
		for i, v := range views {
			for _, f := range append(leakcheck.Scan(v, a), leakcheck.Rebuilt(v, a)...) {
				t.Errorf("%s view %d: %s", path, i, f)
			}
		}
		for i, v := range vb[path] {
			for _, f := range append(leakcheck.Scan(v, b), leakcheck.Rebuilt(v, b)...) {
				t.Errorf("%s view %d (values b): %s", path, i, f)
			}
		}
		// history and display, the outcome of masked fields normalized,
		// are the same for both
		for _, i := range []int{0, 3} {
			na := fieldOutcome.ReplaceAllString(views[i], `"X"`)
			nb := fieldOutcome.ReplaceAllString(vb[path][i], `"X"`)
			if na != nb {
				t.Errorf("%s view %d depends on the values:\n a: %s\n b: %s", path, i, na, nb)
			}
		}
	}
	// each field shows only marks (and the expression's own text), an
	// error, or nothing else: no booleans, numbers, None, keys
	tk, err := steps.Parse("attack.yaml", []byte(task))
	require.NoError(t, err)
	plan, err := resolver.New(resolver.MapSource(a)).Prepare(tk)
	require.NoError(t, err)
	i := 0
	for _, path := range plan.Paths() {
		rs, _ := plan.ResolveStep(context.Background(), "dev", path, resolver.Scope{})
		ev, _ := rs.Display().Get("evaluate")
		o := ev.(*resolver.Object)
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			checkMarksOnly(t, exprs[i], v)
			i++
		}
	}
	require.Equal(t, len(exprs), i)
}

// checkMarksOnly fails unless v (a displayed field over secrets) is made
// of strings that are marks and text of the expression, or an error.
func checkMarksOnly(t *testing.T, expr string, v any) {
	t.Helper()
	switch x := v.(type) {
	case string:
		if !leakcheck.OnlyMarks(x, expr) {
			t.Errorf("%s shows more than marks: a %d-byte string", expr, len(x))
		}
	case map[string]string:
		if _, ok := x["$error"]; !ok {
			t.Errorf("%s shows an object", expr)
		}
	case []any:
		for _, it := range x {
			checkMarksOnly(t, expr, it)
		}
	case map[string]any:
		for k, it := range x {
			if !strings.Contains(expr, k) {
				t.Errorf("%s shows a key not written in it", expr)
			}
			checkMarksOnly(t, expr, it)
		}
	case *resolver.Object:
		for _, k := range x.Keys() {
			if !strings.Contains(expr, k) {
				t.Errorf("%s shows a key not written in it", expr)
			}
			it, _ := x.Get(k)
			checkMarksOnly(t, expr, it)
		}
	case int64, float64:
		// a number written in the expression, inside a display it builds
		if !strings.Contains(expr, fmt.Sprint(x)) {
			t.Errorf("%s shows a %T", expr, v)
		}
	default:
		t.Errorf("%s shows a %T", expr, v)
	}
}
