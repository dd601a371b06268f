package resolver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/steps"
)

func Example() {
	task, err := steps.Parse("task.yaml", []byte(`
name: Example
tools:
  - name: api
    type: api_call
    api_call:
      method: GET
      url: https://api.example.com/items
      headers: {Authorization: "$ f'Bearer {secrets.api_token}'"}
main:
  - tool: api
    arguments:
      params: {id: "$ _.id"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	src := resolver.NewCache(resolver.MapSource{"api_token": "tok-123456"}, time.Minute)
	r := resolver.New(src)
	plan, _ := r.Prepare(task)
	if err := plan.Check(context.Background(), "dev-1"); err != nil {
		fmt.Println(err) // every missing secret, with the steps that need it
	}
	rs, _ := plan.ResolveStep(context.Background(), "dev-1", "main[0]", resolver.Scope{Vars: map[string]any{"_": map[string]any{"id": 7}}})

	fmt.Println(rs.Value())        // what the tool gets
	history, _ := json.Marshal(rs) // what a history keeps
	fmt.Println(string(history))
	fmt.Println(r.Redactor().Redact("log: Bearer tok-123456"))
	// Output:
	// {"tool":"api","type":"api_call","method":"GET","url":"https://api.example.com/items","headers":{"Authorization":"Bearer tok-123456"},"params":{"id":7}}
	// {"path":"main[0]","kind":"tool_call","resolved":{"tool":"api","type":"api_call","method":"GET","url":"https://api.example.com/items","headers":{"Authorization":"Bearer [REDACTED:api_token]"},"params":{"id":7}},"secrets":["api_token"],"provider_key":null,"deferred":[]}
	// log: Bearer [REDACTED:api_token]
}

// ExamplePresent checks which secrets exist without reading a value (a
// store lists names, never decrypts).
func ExamplePresent() {
	src := resolver.Chain(resolver.EnvSource{LookupEnv: func(string) (string, bool) { return "", false }},
		resolver.MapSource{"api_token": "tok-123456"})
	present, err := resolver.Present(context.Background(), src, "dev-1", []string{"api_token", "db_password"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(present["api_token"], present["db_password"])
	// Output:
	// true false
}
