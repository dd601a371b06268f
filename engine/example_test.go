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
