package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine/internal/py"
)

// evalFull evaluates src on a fresh engine with limits l and returns the
// repr of the value, or the error's kind, message and offset.
func evalFull(t *testing.T, src string, vars map[string]any, l Limits, opts ...Option) string {
	t.Helper()
	p, err := New(append([]Option{WithCacheSize(0), WithLimits(l)}, opts...)...).Compile(src)
	if err == nil {
		var v any
		if v, err = p.Eval(context.Background(), vars); err == nil {
			return py.Repr(v)
		}
	}
	var e *Error
	require.True(t, errors.As(err, &e), "%s: %v", src, err)
	return fmt.Sprintf("!%s: %s @%d", e.Kind, e.Msg, e.Offset)
}

// TestFusedComprehensions checks that fused comprehensions give exactly
// what the general translation gives: values, errors, error positions and
// budget errors.
func TestFusedComprehensions(t *testing.T) {
	docs, err := py.DecodeJSON([]byte(`[{"title": "a", "score": 0.7, "n": 3, "tags": ["x", "y"], "sub": {"k": 1}},
		{"title": "b", "score": 0.2, "n": -1, "tags": [], "sub": {"k": 2}},
		{"title": "c", "score": 0.9, "n": 5, "tags": ["z"], "sub": {"k": 3}, "items": 4}]`))
	require.NoError(t, err)
	mixed, err := py.DecodeJSON([]byte(`[{"score": 1}, {"score": "x"}, {"title": "no score"}, 7, [1, 2], "str", null]`))
	require.NoError(t, err)
	vars := map[string]any{"docs": docs, "mixed": mixed, "n": int64(3), "s": "abc", "d": py.NewDict(0)}
	cases := []string{
		`[d['title'] for d in docs if d['score'] > 0.5]`,
		`[d['title'] for d in docs if d['score'] >= 0.2 and d['n'] < 4]`,
		`[d['title'] for d in docs if not d['score'] <= 0.5 or d['n'] == -1]`,
		`[d['title'] for d in docs if d['score'] > 0.5 if d['n'] != 3]`,
		`[d.title for d in docs if d.score]`,
		`[d['tags'][0] for d in docs if d['tags']]`,
		`[d['tags'][-1] for d in docs if d['tags']]`,
		`[d['tags'][-1] for d in docs]`,
		`[d['sub']['k'] for d in docs]`,
		`[d.sub.k for d in docs]`,
		`[d.items for d in docs]`,
		`[d.get for d in docs]`,
		`[d.missing for d in docs]`,
		`[d['missing'] for d in docs]`,
		`[{'t': d['title'], 's': d['score']} for d in docs]`,
		`[{'t': d['title']} for d in docs]`,
		`[{'a': d['n'], 'b': d['n'], 'c': d['title'], 'd': 1, 'e': None} for d in docs]`,
		`[{'a': d['n'], 'a': d['title']} for d in docs]`,
		`[(d['title'], d['n']) for d in docs]`,
		`[[d['title']] for d in docs]`,
		`[(d['title'],) for d in docs]`,
		`{d['title'] for d in docs}`,
		`{d['tags'] for d in docs}`,
		`sum(d['score'] for d in docs)`,
		`max(d['n'] for d in docs)`,
		`list(d['title'] for d in docs if d['n'] > 0)`,
		`set(d['n'] for d in docs)`,
		`' '.join(list(d['title'] for d in docs))`,
		`[x['score'] > 0 for x in mixed]`,
		`[x['score'] for x in mixed]`,
		`[x for x in mixed if x]`,
		`[x for x in mixed if x == 7]`,
		`[x for x in mixed if x < 7]`,
		`[x for x in [3, 1.5, True, 2] if x > 1]`,
		`[x for x in [3, 1.5, True, 2] if x > 1.5]`,
		`[x for x in [3, 1.5, True, 2] if 2 < x]`,
		`[x for x in [3, 1.5, 2] if x == x]`,
		`[x for x in ['b', 'a'] if x >= 'b']`,
		`[c for c in s if c != 'b']`,
		`[k for k in docs[0]]`,
		`[x for x in n]`,
		`[x for x in 5]`,
		`[1 for x in docs]`,
		`[None for x in docs if False]`,
		`[x for x in [] if x['a']]`,
		`[x for x in (1, 2) if x > None]`,
		`[x for x in [1, float('nan')] if x > 0.5]`,
		`[x['a'] for x in [d, d]]`,
		`[x[0] for x in ['ab', 'c']]`,
		`[x[5] for x in ['ab', 'c']]`,
		`[len for len in [1, 2]]`,
		`[json for json in [1, 2]]`,
		`[NEWLINE for NEWLINE in [1, 2]]`,
		`[_ for _ in [1, 2]]`,
		`[_['title'] for _ in docs]`,
		`sum(d['n'] for d in docs)`,
		`sum([d['score'] for d in docs if d['n'] > 0])`,
		`sum(d['title'] for d in docs)`,
		`sum(d['missing'] for d in docs)`,
		`max(d['tags'] for d in docs)`,
		`min(d['sub'] for d in docs)`,
		`max(d['n'] for d in docs if d['n'] > 100)`,
		`min(list(d['title'] for d in docs))`,
		`max(x for x in 5)`,
		`sum(x for x in [max(d['n'] for d in docs), min(d['n'] for d in docs)])`,
		`' '.join(list(d['title'] for d in docs))`,
		`'-'.join(d['title'] for d in docs if d['n'] > 0)`,
		`', '.join([d['title'] for d in docs])`,
		`' '.join(d['n'] for d in docs)`,
		`' '.join(list(d['n'] for d in docs))`,
		`''.join(c for c in s)`,
		`' '.join(list(x for x in 5))`,
		`[max(d['tags'] for d in docs), max(d['tags'] for d in docs)]`,
	}
	run := func(l Limits, opts ...Option) map[string]string {
		out := map[string]string{}
		for _, c := range cases {
			out[c] = evalFull(t, c, vars, l, opts...)
		}
		return out
	}
	for _, l := range []Limits{{}, {Runtime: RuntimeLimits{MaxOps: 2}}, {Runtime: RuntimeLimits{MaxCollectionLen: 2}}} {
		fused := run(l)
		general := run(l, withoutFusion())
		for _, c := range cases {
			assert.Equal(t, general[c], fused[c], "%s (limits %+v)", c, l.Runtime)
		}
	}
	// Errors and refused names keep their compile-time behaviour.
	for _, c := range []string{`[d._x for d in docs]`, `[_d for _d in docs]`, `[d for d in _docs]`, `[d['a'] for d in eval]`} {
		fused := evalFull(t, c, vars, Limits{})
		general := evalFull(t, c, vars, Limits{}, withoutFusion())
		assert.Equal(t, general, fused, c)
	}
}

// TestFusedIsUsed checks that the shapes of the benchmark are fused.
func TestFusedIsUsed(t *testing.T) {
	for _, src := range []string{
		`[d['title'] for d in _ if d['score'] > 0.5]`,
		`[{'snippet': r['snippet'], 'title': r['title']} for r in _['result']]`,
		`sum(d['score'] for d in _)`,
	} {
		p, err := New(WithCacheSize(0)).Compile(src)
		require.NoError(t, err)
		assert.NotContains(t, p.prog.Disassemble(), "OpBegin", "%s is not fused", src)
	}
	for _, src := range []string{
		`f'My topic is: {steps[0].input.topic}. Here are the search results: {_}'`,
		`f'Bearer {secrets.api_token}'`,
	} {
		p, err := New(WithCacheSize(0)).Compile(src)
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(p.prog.Disassemble(), "OpCallTyped"), "%s is not fused:\n%s", src, p.prog.Disassemble())
	}
}

// TestFusedFStrings checks that fused f-strings give exactly what the
// general translation gives, including FreeNames and Refs.
func TestFusedFStrings(t *testing.T) {
	steps, err := py.DecodeJSON([]byte(`[{"input": {"topic": "space", "n": 3, "f": 2.5}, "output": ["a", "b"]}]`))
	require.NoError(t, err)
	secrets, err := py.DecodeJSON([]byte(`{"api_token": "tok", "items": "not a method"}`))
	require.NoError(t, err)
	vars := map[string]any{"steps": steps, "secrets": secrets, "_": "three", "x": int64(42), "w": int64(6), "s": "hé"}
	cases := []string{
		`f'Bearer {secrets.api_token}'`,
		`f'Bearer {secrets["api_token"]}!'`,
		`f'{secrets.api_token}'`,
		`f'{secrets.missing}'`,
		`f'{secrets["missing"]}'`,
		`f'{secrets.items}'`,
		`f'{nope.api_token}'`,
		`f'My topic is: {steps[0].input.topic}. Here are the search results: {_}'`,
		`f'{steps[0].input.n:>5}|{steps[0].input.f:.3f}|{x!r}|{s!a}|{_=}'`,
		`f'{steps[0].input.n:zz}{nope}'`,
		`f'{steps[1].input}'`,
		`f'{steps[-1].output[-1]}{steps[0]["input"]["topic"]}'`,
		`f'{steps.x}'`,
		`f'{x:{w}}'`,
		`f'{json.dumps}'`,
		`f'{len}'`,
		`f'{true}{null}{NEWLINE}'`,
		`f'{(y := 3)}{y}'`,
		`f'{x}{x}{x}{x}{x}{x}{x}{x}{x}'`,
		`[f'{d}' for d in steps]`,
		`f'{_}'`,
		`f'{x:{w}} {secrets.api_token}'`,
	}
	for _, l := range []Limits{{}, {Runtime: RuntimeLimits{MaxStringLen: 4}}} {
		for _, c := range cases {
			fused := evalFull(t, c, vars, l)
			general := evalFull(t, c, vars, l, withoutFusion())
			assert.Equal(t, general, fused, c)
		}
	}
	for _, c := range append(cases, `f'{_x}'`, `f'{a._b}'`, `f'{a.b}{c["d"]}{a.e}{c[0]}'`, `f'{a.get}{a.keys}'`) {
		pf, errF := New(WithCacheSize(0)).Compile(c)
		pg, errG := New(WithCacheSize(0), withoutFusion()).Compile(c)
		if errG != nil {
			require.Error(t, errF, c)
			assert.Equal(t, errG.Error(), errF.Error(), c)
			continue
		}
		require.NoError(t, errF, c)
		assert.Equal(t, pg.FreeNames(), pf.FreeNames(), c)
		for _, name := range pg.FreeNames() {
			kg, dg := pg.Refs(name)
			kf, df := pf.Refs(name)
			assert.Equal(t, kg, kf, "%s: refs of %s", c, name)
			assert.Equal(t, dg, df, "%s: dynamic %s", c, name)
		}
	}
}

// FuzzFused checks that fused comprehensions and f-strings give exactly what
// the general translation gives (value or error kind, message and offset).
func FuzzFused(f *testing.F) {
	for _, s := range []string{
		"[d['a'] for d in xs if d['b'] > 0.5]", "[{'k': d.a, 'j': d['b']} for d in xs]", "sum(d['b'] for d in xs)",
		"' '.join(list(d['s'] for d in xs))", "f'{d.a}: {xs[0].b}'", "{d['a'] for d in xs if not d['b'] == 1}",
		"max([(d['a'], d['b']) for d in xs if d['b'] or d['a'] < 2])", "f'{xs[-1].s!r:>8}{w}'",
	} {
		f.Add(s)
	}
	vars := map[string]any{"xs": []any{map[string]any{"a": 1, "b": 0.7, "s": "x"}, map[string]any{"a": 2, "b": 0.2, "s": "y"},
		map[string]any{"a": "z", "s": 3}}, "d": map[string]any{"a": 1}, "w": 5}
	fusingEng, generalEng := New(WithCacheSize(0)), New(WithCacheSize(0), withoutFusion())
	run := func(eng *Engine, src string) string {
		p, err := eng.Compile(src)
		if err == nil {
			var v any
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			v, err = p.Eval(ctx, vars)
			cancel()
			if err == nil {
				return py.Repr(v)
			}
		}
		var e *Error
		if !errors.As(err, &e) {
			return "!?" + err.Error()
		}
		return fmt.Sprintf("!%s: %s @%d", e.Kind, e.Msg, e.Offset)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fused := run(fusingEng, src)
		general := run(generalEng, src)
		if fused != general {
			t.Fatalf("%q: fused %s, general %s", src, fused, general)
		}
	})
}
