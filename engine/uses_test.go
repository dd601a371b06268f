package engine_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine"
)

// at returns the offset of the n-th (0-based) occurrence of sub in s.
func at(t *testing.T, s, sub string, n int) int {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(s[off:], sub)
		require.GreaterOrEqual(t, j, 0, "%q not in %q", sub, s)
		if i == n {
			return off + j
		}
		off += j + len(sub)
	}
}

func TestReadField(t *testing.T) {
	cases := []struct {
		in     string
		kind   engine.FieldKind
		legacy bool
		code   string
	}{
		{"  $ x + 1 ", engine.FieldExpression, false, "x + 1"},
		{"$", engine.FieldLiteral, false, "$"},
		{"$x", engine.FieldLiteral, false, "$x"},
		{"_.a", engine.FieldExpression, true, "_.a"},
		{"[1, 2]", engine.FieldExpression, true, "[1, 2]"},
		{"see inputs[0]", engine.FieldExpression, true, "see inputs[0]"},
		{"Hi {{ name }}!", engine.FieldTemplate, false, "Hi { name }!"},
		{"Hi {name}", engine.FieldFString, false, "Hi {name}"},
		{`a\tb`, engine.FieldFString, false, `a\tb`},
		{"\u00a0plain\u001f", engine.FieldLiteral, false, "plain"},
	}
	for _, c := range cases {
		ff := engine.ReadField(c.in)
		assert.Equal(t, c.kind, ff.Kind, c.in)
		assert.Equal(t, c.legacy, ff.Legacy, c.in)
		assert.Equal(t, c.code, ff.Code, c.in)
		// Code's last byte maps to the same byte of the field string.
		if n := len(ff.Code); n > 0 && c.kind != engine.FieldTemplate {
			assert.Equal(t, ff.Code[n-1], c.in[ff.TextOffset(n-1)], c.in)
		}
	}
	// A template's offsets skip the doubled braces.
	ff := engine.ReadField(" {{a}} and {{ b }}")
	assert.Equal(t, strings.Index(" {{a}} and {{ b }}", "b"), ff.TextOffset(strings.Index(ff.Code, "b")))
}

func TestFieldReads(t *testing.T) {
	src := `  $ steps[0].output + steps["fetch"].input + secrets.api_key + secrets.get("x", "") + inputs[2] + len(outputs) + [s for s in _]`
	f, err := engine.CompileField(src)
	require.NoError(t, err)
	got := f.Reads()
	want := []engine.Read{
		{Name: "steps", Offset: at(t, src, "steps", 0), Form: engine.ReadItem, Index: 0, HasIndex: true, KeyOffset: at(t, src, "0]", 0), Attr: "output"},
		{Name: "steps", Offset: at(t, src, "steps", 1), Form: engine.ReadItem, Key: "fetch", KeyOffset: at(t, src, `"fetch"`, 0), Attr: "input"},
		{Name: "secrets", Offset: at(t, src, "secrets", 0), Form: engine.ReadAttr, Key: "api_key", KeyOffset: at(t, src, "api_key", 0)},
		{Name: "secrets", Offset: at(t, src, "secrets", 1), Form: engine.ReadGet, Key: "x", KeyOffset: at(t, src, `"x"`, 0)},
		{Name: "inputs", Offset: at(t, src, "inputs", 0), Form: engine.ReadItem, Index: 2, HasIndex: true, KeyOffset: at(t, src, "2]", 0)},
		{Name: "outputs", Offset: at(t, src, "outputs", 0), Form: engine.ReadName, KeyOffset: at(t, src, "outputs", 0)},
		{Name: "_", Offset: at(t, src, "_]", 0), Form: engine.ReadName, KeyOffset: at(t, src, "_]", 0)},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"_", "inputs", "outputs", "secrets", "steps"}, f.FreeNames())
}

func TestFieldConstructsAndReplacements(t *testing.T) {
	src := `$ sorted(x, key=lambda v: -v) + {*y} + f(**z) + "{}".format(1) + {a for a in w} + [(n := 1)]`
	// f is not a builtin: compile the constructs without it.
	src = strings.Replace(src, "f(**z)", "dict(**z)", 1)
	f, err := engine.CompileField(src)
	require.NoError(t, err)
	var got []string
	for _, c := range f.Constructs() {
		got = append(got, c.Kind.String()+":"+c.Name+":"+src[c.Offset:c.Offset+2])
	}
	assert.Equal(t, []string{
		"call:sorted:so", "lambda::la", "starred::*y", "call:dict:di", "double star::**",
		"method call:format:fo", "set comprehension::{a", "walrus::n ",
	}, got)

	tpl := ` Reply {{"answer": 1}} as {{ name }} and {{"x"}}`
	f, err = engine.CompileField(tpl)
	require.NoError(t, err)
	assert.Equal(t, engine.FieldTemplate, f.Kind())
	rs := f.Replacements()
	require.Len(t, rs, 3)
	assert.Equal(t, engine.Replacement{Offset: at(t, tpl, "{{", 0), End: at(t, tpl, "}}", 0) + 2, Code: `{"answer": 1}`, Constant: true}, rs[0])
	assert.Equal(t, `{ name }`, rs[1].Code)
	assert.False(t, rs[1].Constant)
	assert.Equal(t, engine.Replacement{Offset: at(t, tpl, "{{", 2), End: len(tpl), Code: `{"x"}`, Constant: true}, rs[2])

	lit, err := engine.CompileField("plain")
	require.NoError(t, err)
	assert.Nil(t, lit.Reads())
	assert.Nil(t, lit.Constructs())
	assert.Nil(t, lit.Replacements())
}
