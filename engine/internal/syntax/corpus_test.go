package syntax

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusPath is the shared corpus of every expression of Julep's own task
// files (read-only reference material, outside the repository).
const corpusPath = "../../../../shared/corpus/julep-expressions.jsonl"

type corpusRecord struct {
	File   string `json:"file"`
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Legacy bool   `json:"legacy_unprefixed"`
}

// corpusRejected lists the corpus strings that CPython 3.12 (and so Julep)
// rejects too, with our message.
var corpusRejected = map[string]string{
	// A Jinja template ({% for %}) in a task string: as an f-string it is invalid.
	"src/agents-api/tests/sample_tasks/reclaim-example.yaml main[0].map.prompt[0].content": "f-string: expecting a valid expression after '{'",
}

func loadCorpus(tb testing.TB) []corpusRecord {
	tb.Helper()
	f, err := os.Open(corpusPath)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("corpus %s is absent: skipping", corpusPath)
	}
	require.NoError(tb, err)
	defer f.Close()
	var recs []corpusRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r corpusRecord
		require.NoError(tb, json.Unmarshal(sc.Bytes(), &r))
		recs = append(recs, r)
	}
	require.NoError(tb, sc.Err())
	return recs
}

// parseCorpusRecord parses a record as Julep reads the task string. ok is
// false for strings that are neither expressions nor templates.
func parseCorpusRecord(r corpusRecord) (src string, n Node, err error, ok bool) {
	text := strings.TrimSpace(r.Text)
	switch {
	case strings.HasPrefix(text, "$ "):
		src = text[2:]
		n, err = Parse(src)
	case r.Legacy:
		src = text
		n, err = Parse(src)
	case r.Kind == "template" && strings.Contains(text, "{{"):
		src = strings.ReplaceAll(strings.ReplaceAll(text, "{{", "{"), "}}", "}")
		n, err = ParseFStringBody(src)
	default:
		return "", nil, nil, false
	}
	return src, n, err, true
}

func TestCorpus(t *testing.T) {
	recs := loadCorpus(t)
	require.NotEmpty(t, recs)
	parsed := 0
	for _, r := range recs {
		key := r.File + " " + r.Path
		src, n, err, ok := parseCorpusRecord(r)
		if !assert.True(t, ok, "%s: neither an expression nor a template: %q", key, r.Text) {
			continue
		}
		if want, rejected := corpusRejected[key]; rejected {
			var se *Error
			if assert.ErrorAs(t, err, &se, key) {
				assert.Equal(t, want, se.Msg, key)
			}
			continue
		}
		if !assert.NoError(t, err, "%s: %q", key, src) {
			continue
		}
		checkSpans(t, src, n)
		parsed++
	}
	assert.Equal(t, len(recs)-len(corpusRejected), parsed)
}
