package steps_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/steps"
)

// corpusDir is the reference corpus of real Julep task files (read-only,
// outside the repository).
const corpusDir = "../../shared/corpus/julep-tasks"

func corpusFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus %s not present: %v", corpusDir, err)
	}
	var files []string
	require.NoError(t, filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	}))
	require.NotEmpty(t, files)
	return files
}

type defect struct {
	line int
	msg  string // substring of the error at that line
}

// corpusDefects lists the corpus files that are valid YAML but that Julep's
// task schema (or our engine) refuses, with the real defect of each.
var corpusDefects = map[string][]defect{
	// "response_format" is a chat setting, not a prompt step key.
	"cookbooks/advanced/00-Devfest-Email-Assistant.ipynb.task1.yaml": {{89, `unknown key "response_format" in a prompt step`}},
	// Headers indented at the level of api_call's keys instead of under headers.
	"cookbooks/advanced/08-rag-chatbot.ipynb.task1.yaml": {{30, `unknown key "x-return-format" in the api_call spec`}, {35, `unknown key "Authorization"`}},
	// over/parallelism written inside map: the map step mixes two kinds.
	"cookbooks/basics/04-Parallel-Steps.ipynb.task1.yaml": {{5, `map_reduce step: missing required key "over"`}, {8, `step mixes two kinds`}},
	// No name; prompt given as a mapping {role, content} instead of a list.
	"documentation/advanced/agentic-patterns.mdx.task1.yaml": {{1, `missing required key "name"`}, {4, `prompt must be a string or a list of messages, got a mapping`}},
	// foreach do given a list of steps.
	"documentation/advanced/python-expression.mdx.task2.yaml":   {{16, `a step must be a mapping, got a list`}},
	"documentation/advanced/types-of-task-steps.mdx.task1.yaml": {{2, `missing required key "name"`}},
	// Calls a tool it does not define.
	"documentation/concepts/tools.mdx.task1.yaml": {{14, `undefined tool "list_agents"`}},
	"documentation/concepts/tools.mdx.task2.yaml": {{1, `missing required key "name"`}},
	// "method" belongs in arguments.
	"documentation/integrations/webbrowser/remote-browser.mdx.task1.yaml": {{23, `unknown key "method" in a tool_call step`}},
	"documentation/integrations/webbrowser/spider.mdx.task1.yaml":         {{12, `unknown key "method" in a tool_call step`}},
	"documentation/sdks/nodejs/tasks.mdx.task1.yaml":                      {{10, `undefined tool "web_search"`}},
	// try/catch is not a Julep step; then/else/switch branches given as lists.
	"documentation/sdks/python/advanced-usage.mdx.task1.yaml": {{24, `unknown step kind (keys: try, catch)`}, {39, `a step must be a mapping, got a list`}, {53, `a step must be a mapping, got a list`}},
	"documentation/sdks/python/tasks.mdx.task2.yaml":          {{1, `missing required key "name"`}, {5, `a step must be a mapping, got a list`}, {23, `unknown step kind (keys: try, catch)`}},
	// Yields to a workflow the document does not contain (an excerpt).
	"documentation/tutorials/julep-assistant.mdx.task2.yaml": {{1, `missing required key "name"`}, {3, `undefined tool "spider_crawler"`}, {19, `yield to undefined workflow "process_single_page"`}},
	"documentation/tutorials/rag-chatbot.mdx.task1.yaml":     {{29, `unknown key "x-return-format" in the api_call spec`}},
	// parameters' content de-indented out of parameters.
	"src/agents-api/tests/sample_tasks/integration_example.yaml": {{16, `function parameters must be a mapping`}, {17, `unknown key "type" in the function spec`}},
	// A Jinja {% for %} block in a {{ }} template.
	"src/agents-api/tests/sample_tasks/reclaim-example.yaml": {{24, `Jinja blocks {% %} are not supported`}},
	// "result" not indented under evaluate.
	"src/agents-api/tests/sample_tasks/simple_parameter_extractor.yaml": {{33, `evaluate must be a mapping, got null`}, {34, `unknown key "result" in an evaluate step`}},
}

// corpusInvalid lists the *.invalid.yaml files (not YAML at all) with the
// real place of each syntax error (the same as PyYAML's) and its cause.
var corpusInvalid = map[string]defect{
	// input_schema's and tools' children are not indented; a "- name:" item at column 1 inside the mapping.
	"cookbooks/advanced/11-hacker-news-personalized-generator.ipynb.task1.invalid.yaml": {31, `unexpected list item "-"`},
	// "then:" indented deeper than "case:", so it continues the case's plain value.
	"documentation/advanced/agentic-patterns.mdx.task2.invalid.yaml": {11, `mapping values are not allowed here`},
	// "do:" indented deeper than "over:".
	"documentation/advanced/agentic-patterns.mdx.task3.invalid.yaml": {19, `mapping values are not allowed here`},
	"documentation/advanced/agentic-patterns.mdx.task4.invalid.yaml": {13, `mapping values are not allowed here`},
	// An unquoted "$ f'''... task: {_.task}'''": the ": " inside the plain value.
	"documentation/advanced/agentic-patterns.mdx.task5.invalid.yaml": {5, `mapping values are not allowed here`},
	"documentation/advanced/agentic-patterns.mdx.task6.invalid.yaml": {32, `mapping values are not allowed here`},
	// A tool's "description:" indented deeper than its "- name:".
	"documentation/concepts/docs.mdx.task1.invalid.yaml": {10, `a key or value is not allowed here: check this line's indentation`},
	// A "- over:" step at column 1 after a mapping.
	"documentation/guides/getting-started/create-and-execute-julep-task.mdx.task1.invalid.yaml": {45, `unexpected list item "-"`},
	"documentation/guides/getting-started/create-and-execute-julep-task.mdx.task2.invalid.yaml": {45, `unexpected list item "-"`},
	// "content: Research the topic: {{_.topic}}": the second ": " in a plain value.
	"documentation/sdks/python/tasks.mdx.task1.invalid.yaml": {17, `mapping values are not allowed here`},
}

// TestCorpus loads every task file of the corpus: files without a known
// defect load with no error; the others report exactly their defects.
func TestCorpus(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range corpusFiles(t) {
		rel, err := filepath.Rel(corpusDir, f)
		require.NoError(t, err)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".invalid.yaml") {
			continue
		}
		seen[rel] = true
		t.Run(rel, func(t *testing.T) {
			task, err := steps.Load(f)
			require.NotNil(t, task, "every corpus file is YAML and yields a Task: %v", err)
			require.NotEmpty(t, task.Workflows)
			errs := task.Findings.Filter(steps.SeverityError)
			want, known := corpusDefects[rel]
			if !known {
				assert.NoError(t, err)
				assert.Empty(t, errs)
				return
			}
			require.Error(t, err)
			for _, d := range want {
				found := false
				for _, e := range errs {
					if e.Line == d.line && strings.Contains(e.Msg, d.msg) {
						found = true
					}
				}
				assert.True(t, found, "want an error at line %d containing %q; got:\n%v", d.line, d.msg, errs)
			}
		})
	}
	for f := range corpusDefects {
		assert.True(t, seen[f], "corpusDefects names a missing file %s", f)
	}
}

// TestCorpusInvalid checks that every *.invalid.yaml fails with its syntax
// error at the real line.
func TestCorpusInvalid(t *testing.T) {
	n := 0
	for _, f := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpusDir, f)
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(rel, ".invalid.yaml") {
			continue
		}
		n++
		t.Run(rel, func(t *testing.T) {
			want, ok := corpusInvalid[rel]
			require.True(t, ok, "new invalid file: add it to corpusInvalid with its defect")
			task, err := steps.Load(f)
			assert.Nil(t, task)
			var errs steps.Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, 1)
			assert.Equal(t, steps.TypeSyntax, errs[0].Type)
			assert.Equal(t, want.line, errs[0].Line, errs[0].Error())
			assert.Contains(t, errs[0].Msg, want.msg)
		})
	}
	assert.Equal(t, len(corpusInvalid), n)
}

// TestCorpusExpressions checks, against the corpus's list of every string
// Julep evaluates as an expression or template (julep-expressions.jsonl),
// that the loader marks the same strings as evaluated, at the same path.
func TestCorpusExpressions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "..", "julep-expressions.jsonl"))
	if err != nil {
		t.Skipf("corpus expressions not present: %v", err)
	}
	tasks := map[string]map[string]string{} // file -> path -> raw
	missing := 0
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for _, line := range lines {
		var rec struct{ File, Path, Text string }
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		vals, ok := tasks[rec.File]
		if !ok {
			task, _ := steps.Load(filepath.Join(corpusDir, rec.File))
			require.NotNil(t, task, rec.File)
			vals = map[string]string{}
			require.NoError(t, task.WalkValues(func(_, loc string, v *steps.Value) error {
				vals[corpusPath(loc)] = v.Raw
				return nil
			}))
			tasks[rec.File] = vals
		}
		raw, ok := vals[rec.Path]
		if !ok {
			missing++
			_, defective := corpusDefects[rec.File]
			switch {
			case strings.HasSuffix(rec.Path, ".case") && strings.TrimSpace(rec.Text) == "_":
				// Our default branch: deliberately not evaluated (JULEP.md, Traps).
			case defective:
				// Inside a step we reject (see corpusDefects).
			default:
				t.Errorf("%s: %s is evaluated by Julep but not by us", rec.File, rec.Path)
			}
			continue
		}
		assert.Equal(t, strings.TrimSpace(rec.Text), strings.TrimSpace(raw), "%s: %s", rec.File, rec.Path)
	}
	t.Logf("%d corpus expressions checked, %d missing", len(lines), missing)
}

// corpusPath turns our location (workflows.main.steps[2].evaluate.x) into
// the corpus's path form (main[2].evaluate.x).
func corpusPath(loc string) string {
	loc = strings.TrimPrefix(loc, "workflows.")
	return strings.Replace(loc, ".steps[", "[", 1)
}
