package engine_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/julepkit/julep/engine"
)

func Example() {
	p, err := engine.Compile("[d['title'].upper() for d in _ if d['score'] > 0.5]")
	if err != nil {
		panic(err)
	}
	docs := []any{
		map[string]any{"title": "go", "score": 0.9},
		map[string]any{"title": "python", "score": 0.2},
	}
	v, err := p.Eval(context.Background(), map[string]any{"_": docs})
	if err != nil {
		panic(err)
	}
	out, _ := engine.ToJSON(v)
	fmt.Println(string(out))
	fmt.Println(p.FreeNames())
	// Output:
	// ["GO"]
	// [_]
}

func ExampleCompileField() {
	vars := map[string]any{"name": "Ann", "_": map[string]any{"n": 2}}
	for _, s := range []string{"$ _.n * 10", "Hello {name}!", "Hi {{ name }}", "plain text"} {
		f, err := engine.CompileField(s)
		if err != nil {
			panic(err)
		}
		v, err := f.Eval(context.Background(), vars)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %v\n", f.Kind(), v)
	}
	// Output:
	// expression: 20
	// fstring: Hello Ann!
	// template: Hi Ann
	// literal: plain text
}

func ExampleProgram_Refs() {
	p, _ := engine.Compile("f'Bearer {secrets.api_token}' if secrets.get('mode') else secrets['fallback']")
	keys, dynamic := p.Refs("secrets")
	fmt.Println(keys, dynamic)
	// Output: [mode api_token fallback] false
}

func ExampleError() {
	_, err := engine.Compile("steps[0].__class__")
	var e *engine.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Line, e.Column)
		fmt.Println(e.Snippet())
	}
	p, _ := engine.Compile("1 + _")
	_, err = p.Eval(context.Background(), map[string]any{"_": "x"})
	fmt.Println(err)
	// Output:
	// SecurityError 1 10
	// steps[0].__class__
	//          ^
	// TypeError: unsupported operand type(s) for +: 'int' and 'str' (line 1, column 3)
}

func ExampleCompileTemplate() {
	t, _ := engine.CompileTemplate("Summarize {{ topic }} for {{user}}.")
	s, _ := t.Render(map[string]string{"topic": "Go", "user": "Ann"})
	fmt.Println(t.Vars(), s)
	// Output: [topic user] Summarize Go for Ann.
}

// Variables converted once with FromGo (or decoded with DecodeJSON, which
// keeps JSON's key order and int/float distinction) are used as they are by
// every evaluation; results convert back with ToGo, ToJSON or Repr.
func ExampleFromGo() {
	steps, err := engine.FromGo([]any{map[string]any{"output": map[string]any{"n": 2, "tags": []any{"a", "b"}}}})
	if err != nil {
		panic(err)
	}
	p, _ := engine.Compile("{'n': steps[0].output.n * 1.5, 'tags': steps[0].output.tags[::-1]}")
	v, err := p.Eval(context.Background(), map[string]any{"steps": steps})
	if err != nil {
		panic(err)
	}
	fmt.Println(engine.Repr(v), engine.TypeName(v))
	fmt.Println(engine.ToGo(v))
	// Output:
	// {'n': 3.0, 'tags': ['b', 'a']} dict
	// map[n:3 tags:[b a]]
}

func ExampleDecodeJSON() {
	v, err := engine.DecodeJSON([]byte(`{"b": 1, "a": 1.0, "big": 123456789012345678901234567890}`))
	if err != nil {
		panic(err)
	}
	d, _ := engine.AsDict(v)
	d.Range(func(k, v any) bool {
		fmt.Println(k, engine.TypeName(v), engine.Repr(v))
		return true
	})
	_, err = engine.DecodeJSON([]byte(`{"b": }`))
	fmt.Println(err)
	// Output:
	// b int 1
	// a float 1.0
	// big int 123456789012345678901234567890
	// ValueError: Expecting value: line 1 column 7 (char 6)
}

func ExampleNewDict() {
	secrets := engine.NewDict(1)
	if err := secrets.SetStr("api_token", "tok"); err != nil {
		panic(err)
	}
	f, _ := engine.CompileField("Bearer {secrets.api_token}")
	v, _ := f.Eval(context.Background(), map[string]any{"secrets": secrets})
	fmt.Println(v)
	// Output: Bearer tok
}

// A compiled field tells, with positions in the field string, which
// variables it reads and how: what a loader needs for its static checks.
func ExampleField_Reads() {
	text := "$ steps[0].output + steps['fetch'].input + secrets.get('token')"
	f, _ := engine.CompileField(text)
	for _, r := range f.Reads() {
		fmt.Printf("%s %s key=%q index=%d(%v) attr=%q at %q\n", r.Name, r.Form, r.Key, r.Index, r.HasIndex, r.Attr, text[r.KeyOffset:])
	}
	// Output:
	// steps item key="" index=0(true) attr="output" at "0].output + steps['fetch'].input + secrets.get('token')"
	// steps item key="fetch" index=0(false) attr="input" at "'fetch'].input + secrets.get('token')"
	// secrets get key="token" index=0(false) attr="" at "'token')"
}

func ExampleField_Constructs() {
	text := "$ sorted(xs, key=lambda x: -x)"
	f, _ := engine.CompileField(text)
	for _, c := range f.Constructs() {
		fmt.Printf("%s %q at column %d\n", c.Kind, c.Name, c.Offset+1)
	}
	// Output:
	// call "sorted" at column 3
	// lambda "" at column 18
}

func ExampleReadField() {
	for _, s := range []string{"$ x + 1", "_.title", "Hi {{ name }}", "Hi {name}", "plain"} {
		ff := engine.ReadField(s)
		fmt.Printf("%-10s legacy=%-5v code=%q\n", ff.Kind, ff.Legacy, ff.Code)
	}
	// Output:
	// expression legacy=false code="x + 1"
	// expression legacy=true  code="_.title"
	// template   legacy=false code="Hi { name }"
	// fstring    legacy=false code="Hi {name}"
	// literal    legacy=false code="plain"
}
