package resolver_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/julepkit/julep/internal/leakcheck"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/steps"
)

// exprGen builds an expression over secrets from fuzz bytes by a small
// grammar of what tasks (and attackers) write: insertion into text,
// slices, methods, comparisons, lengths, iteration, conversions, keys,
// arithmetic, format specs, conditions.
type exprGen struct {
	data  []byte
	depth int
}

func (g *exprGen) pick(n int) int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b) % n
}

var genSecrets = []string{"secrets.api_key", "secrets.api_pre", "secrets.short", "secrets.short3", "secrets.quote", "secrets.uni", "secrets.nl", "secrets.pw", "secrets['pw']", "secrets.get('short')"}

// str returns an expression whose value is (usually) a str.
func (g *exprGen) str() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 4 {
		return genSecrets[g.pick(len(genSecrets))]
	}
	switch g.pick(22) {
	case 0, 1:
		return genSecrets[g.pick(len(genSecrets))]
	case 2:
		return "'Bearer ' + " + g.str()
	case 3:
		return "f'{" + g.str() + "}-{" + g.str() + "}'"
	case 4:
		return g.str() + "[" + g.num() + ":" + g.num() + "]"
	case 5:
		return g.str() + "[::-1]"
	case 6:
		return g.str() + [...]string{".upper()", ".lower()", ".strip('s')", ".replace('a', 'b')", ".title()", ".swapcase()"}[g.pick(6)]
	case 7:
		return "' '.join(" + g.str() + ")"
	case 8:
		return "str(" + g.any() + ")"
	case 9:
		return "'%s:%s' % (" + g.str() + ", " + g.str() + ")"
	case 10:
		return "'{}|{!r}'.format(" + g.str() + ", " + g.str() + ")"
	case 11:
		return "f'{" + g.str() + ":>" + g.num() + "}'"
	case 12:
		return "(" + g.str() + " if " + g.cond() + " else 'no')"
	case 13:
		return "json.dumps(" + g.any() + ")"
	case 14:
		return "base64.b64encode(" + g.str() + ")"
	case 15:
		return "urllib.parse.quote(" + g.str() + ")"
	case 16:
		return "chr(" + g.num() + " % 200 + 32)"
	case 17:
		return "''.join(sorted(" + g.str() + "))"
	case 18:
		return "'-'.join([str(ord(c)) for c in " + g.str() + "])"
	case 19:
		return "{'a': 'x', 'b': 'y'}.get(" + g.str() + "[:1], 'z')"
	case 20:
		return "f'{" + g.str() + "!s}'"
	}
	return "str(" + g.str() + ")"
}

func (g *exprGen) num() string {
	switch g.pick(8) {
	case 0:
		return "len(" + g.str() + ")"
	case 1:
		return "ord(" + g.str() + "[0])"
	case 2:
		return g.str() + ".find('" + [...]string{"k", "L", "q", "ü", "'"}[g.pick(5)] + "')"
	case 3:
		return "int(" + g.cond() + ")"
	case 4:
		return "sum(ord(c) for c in " + g.str() + ")"
	case 5:
		return "(" + g.num() + " * 7 + 1)"
	}
	return []string{"0", "1", "2", "3", "-1", "5"}[g.pick(6)]
}

func (g *exprGen) cond() string {
	switch g.pick(7) {
	case 0:
		return g.str() + ".startswith('sk-')"
	case 1:
		return g.str() + " == 'Zq'"
	case 2:
		return "'L' in " + g.str()
	case 3:
		return g.num() + " > 3"
	case 4:
		return "not " + g.str()
	case 5:
		return g.str() + ".isdigit()"
	}
	return g.str() + " < " + g.str()
}

// any returns an expression of any type.
func (g *exprGen) any() string {
	switch g.pick(9) {
	case 0:
		return g.num()
	case 1:
		return g.cond()
	case 2:
		return "[" + g.str() + ", " + g.num() + "]"
	case 3:
		return "{" + g.str() + ": " + g.num() + "}"
	case 4:
		return "[c for c in " + g.str() + "]"
	case 5:
		return "[ord(c) >> i & 1 for c in " + g.str() + " for i in range(8)]"
	case 6:
		return "{'auth': 'Bearer ' + " + g.str() + ", 'n': [1, " + g.str() + "]}"
	case 7:
		return "None if " + g.cond() + " else " + g.str()
	}
	return g.str()
}

// FuzzSecretDisplay generates expressions over secrets from a grammar and
// resolves each with two sets of hard values: what a person may see (the
// history JSON, String, Display, error messages) holds no 4-character run
// of any form of any value and nothing the decoders rebuild one from; a
// field over secrets shows only marks and its expression's text (or one
// [REDACTED], or an error that hides its message); and apart from whether
// the field failed, it is the same for both sets of values.
func FuzzSecretDisplay(f *testing.F) {
	for _, s := range []string{"", "\x02\x00", "\x03\x04\x05\x06", "\x0b\x01\x08\x02\x07", "\x12\x00\x13\x00\x0c\x05\x00", "\x08\x05\x03", "\x13\x06"} {
		f.Add([]byte(s))
	}
	a, b := attackSecrets(f, "a"), attackSecrets(f, "b")
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &exprGen{data: data}
		expr := g.any()
		if !strings.Contains(expr, "secrets") {
			return // the grammar's leaves may be numbers
		}
		task := "name: fuzz\nmain:\n  - evaluate:\n      q: " + yamlQuote("$ "+expr) + "\n  - log: " + yamlQuote("$ "+expr) + "\n"
		tk, err := steps.Parse("fuzz.yaml", []byte(task))
		if err != nil || tk == nil || len(tk.Findings.Filter(steps.SeverityError)) > 0 {
			return // not a valid expression (the grammar may build one)
		}
		va, vb := resolveAll(t, task, a), resolveAll(t, task, b)
		for path, views := range va {
			for i, v := range views {
				for _, fd := range append(leakcheck.Scan(v, a), leakcheck.Rebuilt(v, a)...) {
					t.Errorf("%s: %s view %d: %s", expr, path, i, fd)
				}
			}
			for i, v := range vb[path] {
				for _, fd := range append(leakcheck.Scan(v, b), leakcheck.Rebuilt(v, b)...) {
					t.Errorf("%s: %s view %d (values b): %s", expr, path, i, fd)
				}
			}
			na := fieldOutcome.ReplaceAllString(views[0], `"X"`)
			nb := fieldOutcome.ReplaceAllString(vb[path][0], `"X"`)
			if na != nb {
				t.Errorf("%s: the display depends on the values:\n a: %s\n b: %s", expr, na, nb)
			}
		}
		plan, err := resolver.New(resolver.MapSource(a)).Prepare(tk)
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := plan.ResolveStep(context.Background(), "dev", "main[0]", resolver.Scope{})
		ev, _ := rs.Display().Get("evaluate")
		v, _ := ev.(*resolver.Object).Get("q")
		checkMarksOnly(t, expr, v)
		if b, _ := json.Marshal(v); strings.Contains(string(b), "true") || strings.Contains(string(b), "false") {
			t.Errorf("%s shows a boolean", expr)
		}
	})
}
