package dryrun_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/resolver/dryrun"
	"github.com/julepkit/julep/steps"
)

const task = `name: scopes
main:
  - label: first
    evaluate:
      a: "$ _.x + 1"
  - evaluate:
      by_index: "$ steps[0].output.a"
      by_label: "$ outputs['first'].a"
      input: "$ steps[0].input.x"
      prev: "$ _.a"
  - set:
      total: "$ _.by_index * 10"
  - log: "$ f'total {state.total}, unknown {steps[9].output}'"
  - foreach:
      in: "$ [1, 2]"
      do:
        log: "$ f'item {_}'"
`

func load(t *testing.T, src string) *resolver.Plan {
	t.Helper()
	tk, err := steps.Parse("task.yaml", []byte(src))
	require.NoError(t, err)
	plan, err := resolver.New(resolver.MapSource{}).Prepare(tk)
	require.NoError(t, err)
	return plan
}

func display(t *testing.T, s dryrun.Step) string {
	t.Helper()
	b, err := json.Marshal(s.Resolved)
	require.NoError(t, err)
	return string(b)
}

// TestScopes: the input, outputs by index and label, state from set steps,
// deferred reads of what is unknown, the loop item unknown.
func TestScopes(t *testing.T) {
	plan := load(t, task)
	rep, err := dryrun.Run(context.Background(), plan, dryrun.Options{Input: map[string]any{"x": 41}})
	require.NoError(t, err)
	require.Len(t, rep.Steps, 6)
	want := []string{
		`{"evaluate":{"a":42}}`,
		`{"evaluate":{"by_index":42,"by_label":42,"input":41,"prev":42}}`,
		`{"set":{"total":420}}`,
		`{"log":{"$deferred":"$ f'total {state.total}, unknown {steps[9].output}'"}}`,
		`{"in":[1,2]}`,
		`{"log":{"$deferred":"$ f'item {_}'"}}`,
	}
	for i, w := range want {
		assert.Equal(t, w, display(t, rep.Steps[i]), rep.Steps[i].Path)
	}
	assert.False(t, rep.Failed())

	// a mocked output replaces the computed one
	rep, err = dryrun.Run(context.Background(), plan, dryrun.Options{Input: map[string]any{"x": 1}, Mocks: map[string]any{"main[0]": map[string]any{"a": 7}}})
	require.NoError(t, err)
	assert.Equal(t, `{"evaluate":{"by_index":7,"by_label":7,"input":1,"prev":7}}`, display(t, rep.Steps[1]))
	assert.True(t, rep.Steps[0].Mocked)

	// no input: what reads it is deferred
	rep, err = dryrun.Run(context.Background(), plan, dryrun.Options{})
	require.NoError(t, err)
	assert.Equal(t, `{"evaluate":{"a":{"$deferred":"$ _.x + 1"}}}`, display(t, rep.Steps[0]))
	assert.Len(t, rep.Steps[0].Deferred, 1)
}

func TestCheckMockPath(t *testing.T) {
	tk, err := steps.Parse("task.yaml", []byte(task))
	require.NoError(t, err)
	assert.NoError(t, dryrun.CheckMockPath(tk, "main[4].foreach.do"))
	assert.ErrorIs(t, dryrun.CheckMockPath(tk, "main[9]"), dryrun.ErrNoSuchStep)
	assert.ErrorIs(t, dryrun.CheckMockPath(tk, "main"), dryrun.ErrNotStepPath)
}

func Example() {
	tk, _ := steps.Parse("task.yaml", []byte(`name: hello
main:
  - evaluate:
      greeting: "$ f'Hello {_.name}'"
  - return:
      text: "$ _.greeting"
      auth: "$ 'Bearer ' + secrets.token"
`))
	plan, _ := resolver.New(resolver.MapSource{"token": "s3cr3t-value"}).Prepare(tk)
	rep, _ := dryrun.Run(context.Background(), plan, dryrun.Options{Input: map[string]any{"name": "Ann"}})
	for _, s := range rep.Steps {
		b, _ := json.Marshal(s.Resolved)
		fmt.Println(s.Path, string(b))
	}
	// Output:
	// main[0] {"evaluate":{"greeting":"Hello Ann"}}
	// main[1] {"return":{"text":"Hello Ann","auth":"Bearer [REDACTED:token]"}}
}

// heavyTask has n steps of one heavy field each (about 1.5 million work
// units a field), or one step of n fields.
func heavyTask(steps, fields int) string {
	var b strings.Builder
	b.WriteString("name: heavy\nmain:\n")
	for s := 0; s < steps; s++ {
		b.WriteString("  - evaluate:\n")
		for f := 0; f < fields; f++ {
			fmt.Fprintf(&b, "      f%d: \"$ sum(i for i in range(500000)) + %d\"\n", f, f)
		}
	}
	return b.String()
}

// TestBudgets: a step's fields share the step's budget (a LimitError names
// the step) and a dry run's steps share the dry run's (the steps after it
// is spent are not resolved), so that a task of 200 heavy fields answers
// in a bounded time.
func TestBudgets(t *testing.T) {
	start := time.Now()
	rep, err := dryrun.Run(context.Background(), load(t, heavyTask(1, 200)), dryrun.Options{})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Errors)
	assert.Contains(t, rep.Errors[len(rep.Errors)-1].String(), "LimitError: resolving main[0]: the step's fields spent its work budget of 10000000 units")

	rep, err = dryrun.Run(context.Background(), load(t, heavyTask(200, 1)), dryrun.Options{MaxOps: 20_000_000})
	require.NoError(t, err)
	last := rep.Errors[len(rep.Errors)-1].String()
	assert.Contains(t, last, "later step(s) not resolved: the dry run's work budget is spent")
	assert.Contains(t, rep.Errors[len(rep.Errors)-2].String(), "the shared work budget of 20000000 units is spent")
	assert.Less(t, len(rep.Steps), 20)
	t.Logf("both dry runs took %v", time.Since(start))
}
