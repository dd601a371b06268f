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
