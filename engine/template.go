package engine

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/valyala/fasttemplate"
)

// Template is a prompt template with {{ var }} placeholders (spaces inside
// the braces are ignored), rendered by plain substitution: no expression is
// evaluated. It is immutable and safe for concurrent use.
type Template struct {
	text string
	tpl  *fasttemplate.Template
	vars []string
}

// CompileTemplate compiles a prompt template:
//
//	t, _ := engine.CompileTemplate("Summarize {{ topic }} for {{user}}.")
//	t.Vars()                                                   // ["topic", "user"]
//	s, _ := t.Render(map[string]string{"topic": "Go", "user": "Ann"})
//
// An unterminated "{{" or an empty placeholder is an *Error (SyntaxError)
// with its position.
func CompileTemplate(text string) (*Template, error) {
	tpl, err := fasttemplate.NewTemplate(text, "{{", "}}")
	if err != nil {
		off := strings.LastIndex(text, "{{")
		return nil, newError("SyntaxError", "unterminated '{{' in template", text, max(off, 0), err)
	}
	t := &Template{text: text, tpl: tpl}
	pos := 0
	for {
		i := strings.Index(text[pos:], "{{")
		if i < 0 {
			break
		}
		i += pos
		j := strings.Index(text[i+2:], "}}")
		name := strings.TrimSpace(text[i+2 : i+2+j])
		if name == "" {
			return nil, newError("SyntaxError", "empty placeholder '{{}}' in template", text, i, nil)
		}
		if !slices.Contains(t.vars, name) {
			t.vars = append(t.vars, name)
		}
		pos = i + 2 + j + 2
	}
	return t, nil
}

// Text returns the template's source text.
func (t *Template) Text() string { return t.text }

// Vars returns the names of the template's placeholders, in order of first
// use, without duplicates. The caller must not modify the slice.
func (t *Template) Vars() []string { return t.vars }

// Render substitutes the placeholders. A placeholder without a value is an
// error naming it.
func (t *Template) Render(values map[string]string) (string, error) {
	return t.tpl.ExecuteFuncStringWithErr(func(w io.Writer, tag string) (int, error) {
		name := strings.TrimSpace(tag)
		v, ok := values[name]
		if !ok {
			return 0, fmt.Errorf("template variable %q has no value", name)
		}
		return io.WriteString(w, v)
	})
}
