package syntax_test

import (
	"errors"
	"fmt"

	"github.com/julepkit/julep/engine/internal/syntax"
)

func ExampleParse() {
	src := `f"{user.name!r:>10}" if user else "nobody"`
	e, err := syntax.Parse(src)
	if err != nil {
		panic(err)
	}
	fmt.Println(syntax.Dump(e))

	// Every node knows its place in the source.
	cond := e.(*syntax.IfExp)
	pos, end := cond.Test.Span()
	fmt.Printf("test %q at offset %d\n", src[pos:end], pos)
	// Output:
	// (if user (fstr (fv (. user name) !r spec=(fstr ">10"))) "nobody")
	// test "user" at offset 24
}

func ExampleParse_error() {
	src := "[x for x in items\n if x > ]"
	_, err := syntax.Parse(src)
	var se *syntax.Error
	if errors.As(err, &se) {
		fmt.Println(se)
		fmt.Println(se.Snippet(src))
	}
	// Output:
	// SyntaxError: invalid syntax (line 2, column 9)
	//  if x > ]
	//         ^
}

func ExampleParseFStringBody() {
	js, err := syntax.ParseFStringBody(`Hello {name}, you have {n:d} new messages`)
	if err != nil {
		panic(err)
	}
	fmt.Println(syntax.Dump(js))
	// Output:
	// (fstr "Hello " (fv name) ", you have " (fv n spec=(fstr "d")) " new messages")
}

func ExampleInspect() {
	e, _ := syntax.Parse(`secrets.API_KEY + secrets["OTHER"] + x`)
	syntax.Inspect(e, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.Attribute); ok {
			if base, ok := a.Value.(*syntax.Name); ok && base.Id == "secrets" {
				fmt.Println("secret:", a.Attr)
			}
		}
		return true
	})
	// Output:
	// secret: API_KEY
}

func ExampleParseWithLimits() {
	_, err := syntax.ParseWithLimits("((((1))))", syntax.Limits{MaxDepth: 3})
	fmt.Println(err)
	// Output:
	// LimitError: expression is nested too deeply (more than 3 levels) (line 1, column 4)
}
