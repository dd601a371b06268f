package steps_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/steps"
)

// malformed returns generated task files that once took seconds to minutes
// and gigabytes to reject (or still would, without the loader's limits),
// each as large as the file size limit allows.
func malformed() map[string]string {
	const size = steps.DefaultMaxFileSize - 64
	fill := func(prefix, unit, suffix string) string {
		n := (size - len(prefix) - len(suffix)) / len(unit)
		return prefix + strings.Repeat(unit, n) + suffix
	}
	var indent strings.Builder
	for i := 0; indent.Len() < size-400; i++ {
		fmt.Fprintf(&indent, "%sa:\n", strings.Repeat(" ", i%300))
	}
	var steps1 strings.Builder
	steps1.WriteString("name: t\nmain:\n")
	for steps1.Len() < size-40 {
		steps1.WriteString("- evaluate: {x: [1, 2, 3]}\n")
	}
	steps1.WriteString("  bad: : x\n")
	return map[string]string{
		"nested brackets":         fill("main:\n- evaluate:\n    x: ", "[", "\n"),
		"nested flow mappings":    fill("", "{a: ", ""),
		"nested dashes":           fill("", "- ", "x\n"),
		"nested indentation":      indent.String(),
		"brackets then lines":     fill("x: "+strings.Repeat("[1, ", 150)+"\n", "y: 1\n", ""),
		"shallow bracket + lines": fill("x: [1, 2\n", "y: 1\n", ""),
		"unclosed quote":          fill(`a: "`, "x", ""),
		"colons":                  fill("", "k: a: b\n", ""),
		"long line colon":         fill("a: ", "x", ": y: z\n"),
		"error at the end":        steps1.String(),
		"tab at the end":          fill("name: t\nmain:\n", "- evaluate: {x: 1}\n", "\tbad: 1\n"),
		"many aliases":            fill("a: &a [1]\nb: [", "*a, ", "]\n"),
		"many keys":               fill("{", "k: 1, ", "}\n"),
	}
}

// TestMalformedIsCheap loads each generated malformed file and checks that
// it is refused with a positioned error, with bounded memory (allocations
// below 100 MB) and time. The time bound is loose because tests share the
// machine; measured alone with /usr/bin/time -v on julep-run validate, each
// answers within a second in under 100 MB of peak memory.
func TestMalformedIsCheap(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 1 MiB inputs")
	}
	for name, src := range malformed() {
		t.Run(name, func(t *testing.T) {
			require.LessOrEqual(t, len(src), steps.DefaultMaxFileSize)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := steps.Parse("big.yaml", []byte(src))
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			var errs steps.Errors
			require.True(t, errors.As(err, &errs), "%v", err)
			require.NotEmpty(t, errs)
			assert.Positive(t, errs[0].Line, "error without a position: %v", errs[0])
			allocated := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, allocated, uint64(100<<20), "allocated %d MB", allocated>>20)
			assert.Less(t, elapsed, 5*time.Second)
			t.Logf("%v, %d MB allocated: %s", elapsed.Round(time.Millisecond), allocated>>20, errs[0].Msg)
		})
	}
}

// TestNestingLimit pins the depth limit's message, position and option.
func TestNestingLimit(t *testing.T) {
	src := "name: t\nmain:\n- evaluate:\n    x: " + strings.Repeat("[", 300) + "\n"
	_, err := steps.Parse("deep.yaml", []byte(src))
	require.Error(t, err)
	assert.Equal(t, "deep.yaml:4:206: error: nesting deeper than 200 levels here (lists, mappings and brackets, 201 so far): refusing to parse the file (loader limit MaxDepth)", err.Error())

	// Just under the limit the file parses (and fails for its own reasons).
	src = "name: t\nmain:\n- evaluate:\n    x: " + strings.Repeat("[", 190) + strings.Repeat("]", 190) + "\n"
	_, err = steps.Parse("deep.yaml", []byte(src))
	assert.NoError(t, err)

	_, err = steps.Options{MaxDepth: 3}.Parse("deep.yaml", []byte("a:\n  b:\n    c:\n      d: 1\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "deep.yaml:4:7: error: nesting deeper than 3 levels")

	// Brackets in quoted scalars, comments and block scalars do not count.
	quoted := "name: t\nmain:\n- evaluate:\n    a: \"" + strings.Repeat("[", 300) + "\"\n    b: '" + strings.Repeat("{", 300) + "'\n" +
		"    # " + strings.Repeat("[", 300) + "\n    c: |\n      " + strings.Repeat("- [", 300) + "\n"
	_, err = steps.Parse("quoted.yaml", []byte(quoted))
	assert.NoError(t, err)
}

// TestNodeLimitMessage: a task with too many nodes and no alias says which
// limit it hit, not "alias bomb?".
func TestNodeLimitMessage(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: t\nmain:\n")
	for range 100_000 {
		b.WriteString("- evaluate: {x: 1}\n")
	}
	_, err := steps.Options{MaxFileSize: 4 << 20}.Parse("big.yaml", []byte(b.String()))
	require.Error(t, err)
	assert.Equal(t, "big.yaml:1:1: error: the task has more than 200000 YAML nodes (every key, value and list item counts): refusing to load it (loader limit MaxNodes); split it into smaller tasks", err.Error())
	assert.NotContains(t, err.Error(), "alias")
}

// TestYAMLMessagesOurs: syntax errors speak our language, with a position,
// not the parser's raw text.
func TestYAMLMessagesOurs(t *testing.T) {
	for src, want := range map[string]string{
		"a: [1, 2\n":          `t.yaml:1:4: error: invalid YAML: unclosed "[": no matching "]" before the end of the file`,
		"a: {x: 1\n":          `t.yaml:1:4: error: invalid YAML: unclosed "{": no matching "}" before the end of the file`,
		"a: \"x\n":            `t.yaml:1:4: error: invalid YAML: unclosed double-quoted string: no closing "`,
		"a: 'x\n":             `t.yaml:1:4: error: invalid YAML: unclosed single-quoted string: no closing '`,
		"a:\n  b: 1\n c: 2\n": `t.yaml:3:2: error: invalid YAML: a key or value is not allowed here: check this line's indentation against the lines above`,
		"a: &x 1\nb: *y\n":    `t.yaml:2:4: error: invalid YAML: alias *y refers to no anchor &y defined before it`,
	} {
		_, err := steps.Parse("t.yaml", []byte(src))
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}
