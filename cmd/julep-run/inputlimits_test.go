package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckInput(t *testing.T) {
	many := "[" + strings.Repeat("1,", maxInputItems) + "1]"
	assert.ErrorContains(t, checkInput([]byte(many)), "more than 1000000 items")
	keys := `{"a": 1` + strings.Repeat(`, "a": 1`, maxInputItems) + "}"
	assert.ErrorContains(t, checkInput([]byte(keys)), "more than 1000000 items")
	commasInStrings := `["` + strings.Repeat(",", 2*maxInputItems) + `\"", 2]`
	assert.NoError(t, checkInput([]byte(commasInStrings)))
	assert.NoError(t, checkInput([]byte("["+strings.Repeat("1,", maxInputItems-2)+"1]")))
}

// TestBatchLineCaps: an oversized line or a collection over the cap gets
// an error result and the batch goes on.
func TestBatchLineCaps(t *testing.T) {
	big := `{"expr": "1", "vars": {"x": "` + strings.Repeat("a", maxInputBytes) + `"}}`
	many := `{"expr": "len(x)", "vars": {"x": [` + strings.Repeat("0,", maxInputItems) + `0]}}`
	in := `{"expr": "1 + 1"}` + "\n" + big + "\n" + many + "\n" + `{"expr": "2 * 3"}` + "\n"
	var out, errb bytes.Buffer
	code := run([]string{"eval", "--batch"}, strings.NewReader(in), &out, &errb)
	require.Equal(t, exitOK, code, errb.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, `{"value":2}`, lines[0])
	assert.Equal(t, `{"error":{"kind":"ValueError","message":"input line is larger than 16777216 bytes (the limit of one --batch line)"}}`, lines[1])
	assert.Contains(t, lines[2], `more than 1000000 items`)
	assert.Equal(t, `{"value":6}`, lines[3])
}

func TestVarsCaps(t *testing.T) {
	file := filepath.Join(t.TempDir(), "vars.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"x": "`+strings.Repeat("a", maxInputBytes)+`"}`), 0o600))
	var out, errb bytes.Buffer
	code := run([]string{"eval", "--vars", "@" + file, "1"}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errb.String(), "--vars: input is larger than 16777216 bytes")
}
