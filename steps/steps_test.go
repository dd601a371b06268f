package steps_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/steps"
)

const nested = `name: nested
tools:
  - name: fetch_page
    type: api_call
    api_call:
      method: GET
      url: https://example.com
      headers:
        Authorization: "$ f'Bearer {secrets.PAGE_TOKEN}'"
main:
  - tool: fetch_page
    arguments:
      q: $ _.query
  - if: $ len(_) > 0
    then:
      evaluate:
        n: $ len(_)
    else:
      log: empty
  - foreach:
      in: $ _.items
      do:
        set:
          last: $ _
  - switch:
      - case: $ _.kind == "a"
        then:
          get: last
      - case: _
        then:
          error: unknown kind
  - over: $ _.items
    map:
      prompt: $ f"Summarize {_}"
    reduce: $ results + [_]
    parallelism: 4
  - parallel:
      - sleep:
          minutes: 1
          seconds: 30
      - wait_for_input:
          info:
            question: $ secrets.ASK
  - workflow: fetch
    arguments:
      url: $ _.url
fetch:
  - label: first
    evaluate:
      key: $ secrets["API_KEY"] + secrets.get('OTHER')
  - return:
      done: $ True
`

func TestWalkPathsAndKinds(t *testing.T) {
	task, err := steps.Parse("nested.yaml", []byte(nested))
	require.NoError(t, err)
	var got []string
	require.NoError(t, task.Walk(func(path string, s steps.Step) error {
		got = append(got, path+" "+string(s.Kind()))
		assert.Equal(t, path, s.Path())
		assert.Positive(t, s.Pos().Line)
		return nil
	}))
	assert.Equal(t, []string{
		"main[0] tool_call", "main[1] if_else", "main[1].then evaluate", "main[1].else log",
		"main[2] foreach", "main[2].foreach.do set", "main[3] switch", "main[3].switch[0].then get",
		"main[3].switch[1].then error", "main[4] map_reduce", "main[4].map prompt", "main[5] parallel",
		"main[5].parallel[0] sleep", "main[5].parallel[1] wait_for_input", "main[6] yield",
		"fetch[0] evaluate", "fetch[1] return",
	}, got)

	// Walk stops at the first error and returns it.
	stop := errors.New("stop")
	n := 0
	assert.ErrorIs(t, task.Walk(func(string, steps.Step) error { n++; return stop }), stop)
	assert.Equal(t, 1, n)

	assert.Equal(t, "workflows.main.steps[1].then", task.Location("main[1].then"))
	assert.Equal(t, []string{"main", "fetch"}, []string{task.Workflows[0].Name, task.Workflows[1].Name})
	require.NotNil(t, task.Tool("fetch_page"))
	assert.Equal(t, "api_call", task.Tool("fetch_page").Type)

	// Typed fields.
	sleep := task.Step("main[5].parallel[0]").(*steps.SleepStep)
	assert.Equal(t, 90.0, sleep.TotalSeconds)
	mr := task.Step("main[4]").(*steps.MapReduceStep)
	assert.Equal(t, "4", mr.Parallelism.Raw)
	assert.Equal(t, "$ results + [_]", mr.Reduce.Raw)
	sw := task.Step("main[3]").(*steps.SwitchStep)
	require.Len(t, sw.Cases, 2)
	assert.False(t, sw.Cases[0].Default)
	assert.True(t, sw.Cases[1].Default)
	y := task.Step("main[6]").(*steps.YieldStep)
	assert.Equal(t, "fetch", y.Workflow.Raw)
	lbl := task.Step("fetch[0]").(*steps.EvaluateStep)
	assert.Equal(t, "first", lbl.Label.Raw)
	ie := task.Step("main[1]").(*steps.IfElseStep)
	assert.Equal(t, steps.ModeExpr, ie.If.Mode)
	require.NotNil(t, ie.If.Field, "evaluated strings are compiled by the engine")
	assert.Equal(t, "len(_) > 0", ie.If.Code)

	// The switch default gets a note, nothing else is reported.
	require.Len(t, task.Findings, 1)
	assert.Equal(t, steps.SeverityNote, task.Findings[0].Severity)
	assert.Equal(t, 29, task.Findings[0].Line)
}

func TestSecretRefs(t *testing.T) {
	task, err := steps.Parse("nested.yaml", []byte(nested))
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"main[0]":             {"PAGE_TOKEN"}, // from the called tool's spec
		"main[5].parallel[1]": {"ASK"},
		"fetch[0]":            {"API_KEY", "OTHER"},
	}, task.SecretRefs())
	assert.Equal(t, []string{"PAGE_TOKEN"}, task.Tool("fetch_page").Secrets)

	var uses []string
	for _, u := range task.SecretUses() {
		uses = append(uses, fmt.Sprintf("%s %s %d:%d %s", u.Name, u.Path, u.Pos.Line, u.Pos.Column, u.Location))
	}
	assert.Equal(t, []string{
		"PAGE_TOKEN  9:37 tools[0].api_call.headers.Authorization",
		"ASK main[5].parallel[1] 43:25 workflows.main.steps[5].parallel[1].wait_for_input.info.question",
		"API_KEY fetch[0] 50:14 workflows.fetch.steps[0].evaluate.key",
		"OTHER fetch[0] 50:35 workflows.fetch.steps[0].evaluate.key",
	}, uses)
}

// seedSteps are the seeds' examples of the kind form (000_*.txt).
const seedSteps = `steps:
- kind: tool_call
  tool: openai
  operation: chat
  arguments:
    model: "gpt-4"
    messages:
    - role: "user"
      content: "What's the weather like in San Francisco?"
  secret_name: openai_api_key
- kind: tool_call
  tool: email
  operation: send
  arguments:
    to: "recipient@example.com"
  secrets:
    service_api_key: "email_service_api_key"
    sender_address: "email_sender_address"
- kind: transform
  expression: "$ f'https://api.example.com/v1?api_key={secrets.api_key}&query={input}'"
  input: "search query"
  output: api_url
- kind: prompt
  model: gpt-4
  prompt: "Access the database at {{ db_url }} with credentials {{ credentials }}"
  template_variables:
    db_url: "$ secrets.db_host"
    credentials: "$ f'User: {secrets.db_username}, Password: {secrets.db_password}'"
`

func TestKindForm(t *testing.T) {
	task, err := steps.Parse("seed.yaml", []byte(seedSteps))
	require.NoError(t, err)
	assert.Equal(t, steps.FormKind, task.Form)
	assert.Equal(t, map[string][]string{
		"steps[0]": {"openai_api_key"},
		"steps[1]": {"email_sender_address", "email_service_api_key"},
		"steps[2]": {"api_key"},
		"steps[3]": {"db_host", "db_password", "db_username"},
	}, task.SecretRefs())
	tc := task.Step("steps[0]").(*steps.ToolCallStep)
	assert.True(t, tc.KindForm)
	assert.Equal(t, "chat", tc.Operation.Raw)
	tr := task.Step("steps[2]").(*steps.TransformStep)
	assert.Equal(t, "api_url", tr.Output.Raw)
	p := task.Step("steps[3]").(*steps.PromptStep)
	assert.Equal(t, "gpt-4", p.Model.Raw)
	// Each secret sent to the model is a warning at its reference.
	var warned []string
	for _, f := range task.Findings {
		require.Equal(t, steps.SeverityWarning, f.Severity, f.Error())
		assert.Equal(t, steps.TypeSecret, f.Type)
		warned = append(warned, f.Msg[:strings.Index(f.Msg, " flows")])
	}
	assert.Equal(t, []string{`secret "db_host"`, `secret "db_username"`, `secret "db_password"`}, warned)
}

// TestExpressionPositions checks that an error inside a string points at
// its line and column in the file, for every scalar style.
func TestExpressionPositions(t *testing.T) {
	for _, tc := range []struct {
		name      string
		value     string // the YAML text after "      x: "
		line, col int
	}{
		{"plain", `$ 1 +* 2`, 4, 15},
		{"plain leading spaces after $", `$   1 +* 2`, 4, 17},
		{"single quoted with '' escape", `'$ ''a'' +* 1'`, 4, 20},
		{"double quoted with escapes", `"$ \"\\\u00e9\" +* 1"`, 4, 27},
		{"literal block", "|\n        $ [1,\n           2] +* 3", 6, 16},
		{"literal block keep", "|+\n        $ (1 +\n        * 2)\n\n", 6, 9},
		{"folded block", ">-\n        $ [1,\n        2] +* 3", 6, 13},
		{"folded block more indented", ">\n        $ (1 +\n          2) +* 3", 6, 15},
		{"plain multi-line", "$ (1 +\n        2) +* 3", 5, 13},
		{"template", `"Hi {{ _.x +* 1 }}"`, 4, 22},
		{"f-string", `"Hi {_.x +* 1}"`, 4, 20},
		{"legacy", `_.x +* 1`, 4, 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "name: t\nmain:\n  - evaluate:\n      x: " + tc.value + "\n"
			_, err := steps.Parse("p.yaml", []byte(src))
			var errs steps.Errors
			require.ErrorAs(t, err, &errs, "source:\n%s", src)
			require.Len(t, errs, 1, errs.Error())
			assert.Equal(t, steps.TypeExpression, errs[0].Type)
			assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{errs[0].Line, errs[0].Column}, "%s\nsource:\n%s", errs[0], src)
			assert.Equal(t, "main[0]", errs[0].Path)
			assert.Equal(t, "workflows.main.steps[0].evaluate.x", errs[0].Location)
		})
	}
}

func TestFileLevelErrors(t *testing.T) {
	big := "name: big\nmain:\n  - log: " + strings.Repeat("x", 100) + "\n"
	for _, tc := range []struct {
		name      string
		data      string
		opts      steps.Options
		line, col int
		msg       string
	}{
		{"empty", "", steps.Options{}, 1, 1, "empty task file"},
		{"comments only", "# nothing\n", steps.Options{}, 1, 1, "empty task file"},
		{"null document", "---\n~\n", steps.Options{}, 2, 1, "empty task file"},
		{"too big", big, steps.Options{MaxFileSize: 50}, 0, 0, "larger than 50 bytes"},
		{"utf-16", "\xff\xfen\x00", steps.Options{}, 1, 1, "UTF-16"},
		{"invalid utf-8", "name: a\nmain:\n  - log: \"\xc3\x28\"\n", steps.Options{}, 3, 11, "invalid UTF-8 byte 0xc3"},
		{"two documents", "name: a\nmain: [{log: x}]\n---\nname: b\n", steps.Options{}, 3, 1, "more than one YAML document"},
		{"not a mapping", "- a\n- b\n", steps.Options{}, 0, 0, ""},
		{"mis-indented key", "name: x\nmain:\n  - evaluate:\n      a: $ 1\n     b: $ 2\n", steps.Options{}, 5, 6, "not allowed"},
		{"tab", "name: x\nmain:\n\t- log: a\n", steps.Options{}, 3, 1, "tab character"},
		{"unclosed quote", "name: 'x\nmain: []\n", steps.Options{}, 0, 0, "invalid YAML"},
		{"null main", "name: x\nmain:\n", steps.Options{}, 0, 0, "main must be a list of steps, got null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, err := tc.opts.Parse("f.yaml", []byte(tc.data))
			var errs steps.Errors
			require.ErrorAs(t, err, &errs)
			var e *steps.Error
			require.ErrorAs(t, err, &e, "Errors unwraps to each *Error")
			switch tc.name {
			case "not a mapping":
				require.NotNil(t, task)
				assert.Contains(t, e.Msg, "a task document must be a mapping, got a list")
				return
			case "null main":
				require.NotNil(t, task)
				require.Len(t, errs, 1, errs.Error())
				assert.Equal(t, tc.msg, errs[0].Msg)
				return
			}
			assert.Nil(t, task)
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Msg, tc.msg)
			if tc.line > 0 {
				assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{errs[0].Line, errs[0].Column}, errs[0].Error())
			}
		})
	}
}

func TestBOMIsStripped(t *testing.T) {
	task, err := steps.Parse("bom.yaml", []byte("\xef\xbb\xbfname: bom\nmain:\n  - log: hi\n"))
	require.NoError(t, err)
	assert.Equal(t, "bom", task.Name.Raw)
	assert.Equal(t, 1, task.Name.At.Line)
	assert.Equal(t, 7, task.Name.At.Column)
}

func TestAllProblemsInOnePass(t *testing.T) {
	src := `name: many
main:
  - evalute: {x: $ 1}
  - evaluate: [x]
  - sleep: {seconds: 0}
  - workflow: nowhere
  - log: $ 1 +
`
	_, err := steps.Parse("many.yaml", []byte(src))
	var errs steps.Errors
	require.ErrorAs(t, err, &errs)
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	assert.Equal(t, []int{3, 4, 5, 6, 7}, lines, errs.Error())
	assert.Equal(t, "many.yaml:3:5: error: unknown step kind: \"evalute\" is not a step kind; did you mean \"evaluate\"? (in main[0])", errs[0].Error())
}

func TestStrictOnlyWhenAsked(t *testing.T) {
	src := "name: s\nmain:\n  - evaluate:\n      x: \"$ sorted(_, key=lambda v: v)\"\n"
	_, err := steps.Parse("s.yaml", []byte(src))
	require.NoError(t, err, "we accept sorted and lambda")
	_, err = steps.Options{Strict: true}.Parse("s.yaml", []byte(src))
	var errs steps.Errors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, 2)
	assert.Equal(t, steps.TypeStrict, errs[0].Type)
	assert.Equal(t, 13, errs[0].Column) // sorted
	assert.Equal(t, 27, errs[1].Column) // lambda
}

func TestDuplicateAndMergeKeys(t *testing.T) {
	src := `name: m
base: &base
  - log: x
main:
  - evaluate:
      <<: {a: $ 1, b: $ 2}
      b: $ 3
`
	task, err := steps.Parse("m.yaml", []byte(src))
	require.NoError(t, err, "explicit keys override merged ones")
	ev := task.Step("main[0]").(*steps.EvaluateStep)
	require.Len(t, ev.Values.Entries, 2)
	assert.Equal(t, "$ 3", ev.Values.Get("b").(*steps.Value).Raw)
	require.NotNil(t, task.Workflow("base"), "an anchored workflow is still a workflow")
}

func TestCRLFPositions(t *testing.T) {
	src := "name: crlf\r\nmain:\r\n  - evaluate:\r\n      a: |\r\n        $ (1 +\r\n          2) +* 3\r\n      b: \"$ (1 +\r\n        2) +* 3\"\r\n"
	_, err := steps.Parse("crlf.yaml", []byte(src))
	var errs steps.Errors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, 2)
	assert.Equal(t, [2]int{6, 15}, [2]int{errs[0].Line, errs[0].Column})
	assert.Equal(t, [2]int{8, 13}, [2]int{errs[1].Line, errs[1].Column})
}

func TestBase(t *testing.T) {
	task, err := steps.Parse("nested.yaml", []byte(nested))
	require.NoError(t, err)
	b := steps.Base(task.Step("fetch[0]"))
	require.NotNil(t, b.Label)
	assert.Equal(t, "first", b.Label.Raw)
	assert.False(t, b.KindForm)
	assert.Nil(t, steps.Base(task.Step("fetch[1]")).Label)
}

func TestStrictFlagsBuiltinsJulepLacks(t *testing.T) {
	src := []byte("name: t\nmain:\n  - evaluate:\n      a: \"$ chr(65) + hex(255) + repr(_) + str(len(_)) + str(isinstance(_, list))\"\n")
	task, err := steps.Options{Strict: true}.Parse("t.yaml", src)
	require.Error(t, err)
	require.NotNil(t, task)
	var got []string
	for _, f := range task.Findings {
		if f.Type == steps.TypeStrict {
			got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Msg))
		}
	}
	assert.Equal(t, []string{
		"4:13 chr() is not supported by Julep (reported by --strict)",
		"4:23 hex() is not supported by Julep (reported by --strict)",
		"4:34 repr() is not supported by Julep (reported by --strict)",
		"4:62 isinstance() is not supported by Julep (reported by --strict)",
	}, got)
}

// The string rules are the engine's (engine.ReadField): whitespace Python
// strips (U+00A0, U+001C...) before "$ " makes an expression whose checks
// run and whose findings are placed in the scalar, where steps' former copy
// of the rules disagreed (it read "\x1c$ x" as a literal and skipped the
// checks, and placed findings after a U+00A0 two bytes off).
func TestFindingsFollowEngineStringRules(t *testing.T) {
	for _, tc := range []struct {
		value string // the YAML text after "      x: "
		col   int
	}{
		{`"\u00a0$ steps['nolabel']"`, 25},
		{`"\x1c$ steps['nolabel']"`, 23},
		{`"  $ steps['nolabel']"`, 21},
		{`" {{ steps['nolabel'] }}"`, 21},
	} {
		src := "name: t\nmain:\n  - evaluate:\n      x: " + tc.value + "\n"
		task, err := steps.Parse("p.yaml", []byte(src))
		require.NoError(t, err, tc.value)
		var got []string
		for _, f := range task.Findings {
			got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Msg))
		}
		assert.Equal(t, []string{fmt.Sprintf("4:%d no step has the label \"nolabel\"", tc.col)}, got, tc.value)
	}
}
