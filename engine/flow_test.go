package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var flowSens = map[string]Sensitivity{"secrets": SensitiveMembers, "tok": SensitiveWhole, "derived": SensitiveOpaque}

// TestFlow: which uses of sensitive variables insert them whole.
func TestFlow(t *testing.T) {
	cases := []struct {
		field string
		want  Flow
	}{
		// no sensitive variable
		{"$ 1 + 2", FlowNone},
		{"$ steps[0].output", FlowNone},
		{"plain text", FlowNone},
		{"Hello {name}", FlowNone},
		{"$ [s for s in x]", FlowNone},
		// whole insertions
		{"$ secrets.api_key", FlowWhole},
		{"$ secrets['api_key']", FlowWhole},
		{`$ secrets.get("api_key")`, FlowWhole},
		{"$ f'Bearer {secrets.api_key}'", FlowWhole},
		{"$ f'Bearer {secrets.api_key!s}'", FlowWhole},
		{"$ f'{secrets.a}{secrets.b}'", FlowWhole},
		{"Bearer {secrets.api_key}", FlowWhole},
		{"Bearer {{ secrets.api_key }}", FlowWhole},
		{"$ 'Bearer ' + secrets.api_key", FlowWhole},
		{"$ secrets.a + ':' + secrets.b", FlowWhole},
		{"$ '%s:%s' % (secrets.a, secrets.b)", FlowWhole},
		{"$ '%s' % secrets.a", FlowWhole},
		{"$ '%d items, key %s' % (n, secrets.a)", FlowWhole},
		{"$ '{}:{}'.format(secrets.a, secrets.b)", FlowWhole},
		{"$ '{0} {0}'.format(secrets.a)", FlowWhole},
		{"$ '{k!s} {n:>5}'.format(k=secrets.a, n=3)", FlowWhole},
		{"$ str(secrets.a)", FlowWhole},
		{"$ ' '.join(['Bearer', secrets.a])", FlowWhole},
		{"$ f'{secrets.a}' if steps[0].input.auth else 'none'", FlowWhole},
		{"$ {'Authorization': 'Bearer ' + secrets.a, 'n': len(x)}", FlowWhole},
		{"$ [secrets.a, 'x', (secrets.b, 1)]", FlowWhole},
		{"$ f'{f\"{secrets.a}\"}!'", FlowWhole},
		{"$ tok", FlowWhole},
		{"$ f'use {tok}'", FlowWhole},
		// derived: anything else
		{"$ secrets", FlowDerived},
		{"$ secrets.keys()", FlowDerived},
		{"$ secrets.get('a', 'default')", FlowDerived},
		{"$ secrets.a[::-1]", FlowDerived},
		{"$ secrets.a + ' ' + secrets.a[::-1]", FlowDerived},
		{"$ secrets.a.upper()", FlowDerived},
		{"$ secrets.a.startswith('sk-')", FlowDerived},
		{"$ secrets.a == 'x'", FlowDerived},
		{"$ len(secrets.a)", FlowDerived},
		{"$ [c for c in secrets.a]", FlowDerived},
		{"$ [ord(c) >> i & 1 == 1 for c in secrets.pw for i in range(8)]", FlowDerived},
		{"$ int(secrets.a)", FlowDerived},
		{"$ {secrets.a: 1}", FlowDerived},
		{"$ {secrets.a}", FlowDerived},
		{"$ secrets.a * 2", FlowDerived},
		{"$ f'{secrets.a!r}'", FlowDerived},
		{"$ f'{secrets.a:>40}'", FlowDerived},
		{"$ f'{1:{secrets.a}}'", FlowDerived},
		{"$ f'{secrets.a=}'", FlowDerived},
		{"$ '%5s' % secrets.a", FlowDerived},
		{"$ '%r' % secrets.a", FlowDerived},
		{"$ '%(k)s' % {'k': secrets.a}", FlowDerived},
		{"$ '{:>9}'.format(secrets.a)", FlowDerived},
		{"$ '{0[0]}'.format(secrets.a)", FlowDerived},
		{"$ '{!r}'.format(secrets.a)", FlowDerived},
		{"$ secrets.a.join(['x', 'y'])", FlowDerived},
		{"$ ','.join(secrets.a)", FlowDerived},
		{"$ 'x' if secrets.a else 'y'", FlowDerived},
		{"$ secrets.a or 'default'", FlowDerived},
		{"$ str([secrets.a])", FlowDerived},
		{"$ f'{[secrets.a]}'", FlowDerived},
		{"$ (t := secrets.a) + t", FlowDerived},
		{"$ (lambda: secrets.a)()", FlowDerived},
		{"$ json.dumps(secrets.a)", FlowDerived},
		{"$ [*secrets.a]", FlowDerived},
		{"$ {'k': 1}[secrets.a]", FlowDerived},
		{"$ tok[1:]", FlowDerived},
		{"$ tok.x", FlowDerived},
		{"$ derived", FlowDerived},
		{"$ f'{derived}'", FlowDerived},
		{"$ str(secrets.a) + str(len(secrets.b))", FlowDerived},
	}
	for _, c := range cases {
		f, err := CompileField(c.field)
		require.NoError(t, err, c.field)
		assert.Equal(t, c.want.String(), f.Flow(flowSens).String(), c.field)
	}
}

// TestFlowWholeFromMarks: for FlowWhole fields, the value computed with
// marks is the real value with each value replaced by its mark.
func TestFlowWholeFromMarks(t *testing.T) {
	real := map[string]string{"a": "it's \"q\" ü", "b": "sk"}
	for _, src := range []string{
		"$ f'Bearer {secrets.a}'", "$ secrets.a + '|' + secrets.b", "$ '%s=%s' % (secrets.b, secrets.a)",
		"$ '{}{k}'.format(secrets.a, k=secrets.b)", "$ str(secrets.a)", "$ '-'.join([secrets.a, secrets.b])",
		"x {{secrets.b}} y",
	} {
		f, err := CompileField(src)
		require.NoError(t, err)
		require.Equal(t, FlowWhole, f.Flow(flowSens), src)
		vals, marks := NewDict(2), NewDict(2)
		for k, v := range real {
			require.NoError(t, vals.SetStr(k, v))
			require.NoError(t, marks.SetStr(k, "<"+k+">"))
		}
		got, err := f.Eval(context.Background(), map[string]any{"secrets": vals.Value()})
		require.NoError(t, err)
		disp, err := f.Eval(context.Background(), map[string]any{"secrets": marks.Value()})
		require.NoError(t, err)
		d := disp.(string)
		for k, v := range real {
			d = strings.ReplaceAll(d, "<"+k+">", v)
		}
		assert.Equal(t, got, d, src)
	}
}

func TestPercentConversions(t *testing.T) {
	for _, c := range []struct {
		f    string
		want []bool
		ok   bool
	}{
		{"%s", []bool{true}, true},
		{"%s %d %5s %-s %.2s %%", []bool{true, false, false, false, false}, true},
		{"%*s", []bool{false, false}, true},
		{"%(a)s", nil, false},
		{"50%", nil, false},
	} {
		got, ok := percentConversions(c.f)
		assert.Equal(t, c.ok, ok, c.f)
		assert.Equal(t, c.want, got, c.f)
	}
}

// TestBudget: a shared budget caps each evaluation by what is left and
// stops the next ones once spent.
func TestBudget(t *testing.T) {
	f, err := CompileField("$ sum(i for i in range(100000))")
	require.NoError(t, err)
	_, err = f.EvalBudget(context.Background(), nil, nil) // nil budget: only MaxOps
	require.NoError(t, err)
	b := NewBudget(700_000) // one run costs about 300,000 units
	for i := 0; i < 2; i++ {
		_, err = f.EvalBudget(context.Background(), nil, b, nil)
		require.NoError(t, err, "run %d", i)
	}
	_, err = f.EvalBudget(context.Background(), nil, b)
	require.ErrorIs(t, err, ErrBudgetSpent)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, KindLimit, e.Kind)
	used := b.Used()
	_, err = f.EvalBudget(context.Background(), nil, b)
	require.ErrorIs(t, err, ErrBudgetSpent)
	assert.Equal(t, used, b.Used(), "a spent budget stops before evaluating")
	// an unlimited budget counts
	u := NewBudget(0)
	_, err = f.EvalBudget(context.Background(), nil, u)
	require.NoError(t, err)
	assert.Greater(t, u.Used(), int64(100_000))
}
