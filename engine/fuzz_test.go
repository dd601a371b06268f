package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzEval compiles and evaluates arbitrary text: the only acceptable
// outcomes are a value or an *Error of a known kind (never a panic, an
// internal error or a hang).
func FuzzEval(f *testing.F) {
	for _, s := range []string{
		"1 + 2", "[x for x in xs if x]", "f'{a!r:>{w}}'", "sorted(xs, key=lambda v: -v)", "{**d, 'k': [*xs]}",
		"(y := 3) and y", "_.a.b[0]", "any(1 / x for x in xs)", "a < b < c", "'%s' % 1", "{x: y for x, y in zip(xs, xs)}",
		"lambda *a, **k: (a, k)", "[[y for y in range(x)] for x in range(3)]", "'abc'[::-1]", "not a or b and c",
	} {
		f.Add(s)
	}
	vars := map[string]any{"xs": []any{1, 0, 2}, "a": 1, "b": "s", "c": 2.5, "d": map[string]any{"k": 1}, "w": 5,
		"_": map[string]any{"a": map[string]any{"b": []any{1}}}}
	e := New(WithCacheSize(0))
	f.Fuzz(func(t *testing.T, src string) {
		p, err := e.Compile(src)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err = p.Eval(ctx, vars)
			cancel()
		}
		if err == nil {
			return
		}
		var ee *Error
		if !errors.As(err, &ee) {
			t.Fatalf("%q: error is %T, not *Error: %v", src, err, err)
		}
		if ee.Kind == KindInternal {
			t.Fatalf("%q: internal error: %v", src, err)
		}
	})
}

// FuzzCompileField checks Julep's string rules on arbitrary field text: a
// value or a non-internal *Error whose position lies inside the field.
func FuzzCompileField(f *testing.F) {
	for _, s := range []string{
		"$ 1 + 2", "  $ _.a  ", "Hello {name}", "{{ name }} and {{ x", "_[0]", "see outputs[0] for details",
		"plain", "{{}}", "a }} b", "$ ", "{x!r:>{w}}", "tab\\t{1}", "{{ {1} }}",
	} {
		f.Add(s)
	}
	vars := map[string]any{"name": "Ann", "x": 1, "w": 3, "_": map[string]any{"a": 1}, "outputs": []any{1}}
	e := New(WithCacheSize(0))
	f.Fuzz(func(t *testing.T, s string) {
		fld, err := e.CompileField(s)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err = fld.Eval(ctx, vars)
			cancel()
		}
		if err == nil {
			return
		}
		var ee *Error
		if !errors.As(err, &ee) {
			t.Fatalf("%q: error is %T, not *Error: %v", s, err, err)
		}
		if ee.Kind == KindInternal {
			t.Fatalf("%q: internal error: %v", s, err)
		}
		if ee.Line > 0 && (ee.Source != s || ee.Offset < 0 || ee.Offset > len(s)) {
			t.Fatalf("%q: error position %d outside the field (source %q)", s, ee.Offset, ee.Source)
		}
	})
}
