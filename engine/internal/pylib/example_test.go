package pylib_test

import (
	"context"
	"fmt"

	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/pylib"
)

// Calling library functions directly, as the engine's compiled expressions
// do: a str method, a builtin and a module function.
func Example() {
	lib := pylib.Library()
	st := py.NewState(context.Background(), py.Limits{})
	st.SetLibrary(lib) // methods called through py.CallMethod come from here

	title, _ := lib.Method("str", "title")
	v, _ := title(st, "hello julep", nil, nil)
	fmt.Println(py.Repr(v))

	round, _ := lib.Builtin("round")
	v, _ = round.Call(st, []any{2.675, int64(2)}, nil)
	fmt.Println(py.Repr(v))

	re, _ := lib.Module("re")
	v, _ = py.Call(st, re.Attrs["search"], []any{`(?P<user>\w+)@`, "mail ann@example.com"}, nil)
	fmt.Println(py.Repr(v))

	_, err := py.Call(st, re.Attrs["search"], []any{`(?<=@)\w+`, "ann@example.com"}, nil)
	fmt.Println(err)
	// Output:
	// 'Hello Julep'
	// 2.67
	// <re.Match object; span=(5, 9), match='ann@'>
	// error: lookbehind is not supported by RE2 at position 0
}
