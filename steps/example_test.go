package steps_test

import (
	"errors"
	"fmt"

	"github.com/julepkit/julep/steps"
)

func Example() {
	src := `name: Fetch and summarize
tools:
  - name: fetch
    type: api_call
    api_call:
      method: GET
      url: https://example.com/api
      headers:
        Authorization: "$ f'Bearer {secrets.API_TOKEN}'"
main:
  - tool: fetch
    arguments:
      q: $ steps[0].input.topic
  - if: $ len(_["items"]) > 0
    then:
      workflow: summarize
      arguments:
        items: $ _["items"]
    else:
      log: nothing found
summarize:
  - prompt: $ f"Summarize {_.items}"
`
	task, err := steps.Parse("task.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = task.Walk(func(path string, s steps.Step) error {
		fmt.Printf("%-14s %-10s line %d\n", path, s.Kind(), s.Pos().Line)
		return nil
	})
	fmt.Println("secrets:", task.SecretRefs())

	// A broken file: every problem is reported with its place.
	_, err = steps.Parse("bad.yaml", []byte("name: bad\nmain:\n  - evalute: {x: $ 1}\n  - log: $ len(_ +\n"))
	var errs steps.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
		}
	}
	// Output:
	// main[0]        tool_call  line 11
	// main[1]        if_else    line 14
	// main[1].then   yield      line 16
	// main[1].else   log        line 20
	// summarize[0]   prompt     line 22
	// secrets: map[main[0]:[API_TOKEN]]
	// bad.yaml:3:5: error: unknown step kind: "evalute" is not a step kind; did you mean "evaluate"? (in main[0])
	// bad.yaml:4:15: error: invalid expression: SyntaxError: '(' was never closed (in main[1])
}
