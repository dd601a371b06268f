package py_test

import (
	"context"
	"fmt"

	"github.com/julepkit/julep/engine/internal/py"
)

// Example evaluates a few Python operations with CPython's results.
func Example() {
	st := py.NewState(context.Background(), py.Limits{})

	sum, _ := py.Add(st, int64(9223372036854775807), int64(1)) // no silent wrap
	fmt.Println(py.Repr(sum))

	q, _ := py.FloorDiv(st, int64(-7), int64(2))
	r, _ := py.Mod(st, -7.5, int64(2))
	fmt.Println(py.Repr(q), py.Repr(r))

	f, _ := py.Add(st, 0.1, 0.2)
	fmt.Println(py.Repr(f))

	s, _ := py.Format(st, 1234567.891, ",.2f")
	fmt.Println(s)

	v, _ := py.DecodeJSON([]byte(`{"b": [1, 1.0, "it's"], "a": null}`))
	fmt.Println(py.Repr(v))

	_, err := py.GetItem(st, v, "missing")
	fmt.Println(err)

	_, err = py.Mul(st, "a", int64(10_000_000_000))
	fmt.Println(err)
	// Output:
	// 9223372036854775808
	// -4 0.5
	// 0.30000000000000004
	// 1,234,567.89
	// {'b': [1, 1.0, "it's"], 'a': None}
	// KeyError: 'missing'
	// LimitError: string too long (repetition exceeds 2048000 characters)
}
