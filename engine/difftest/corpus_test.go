package difftest

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/julepkit/julep/engine"
)

// julepRejects lists the corpus strings that Julep itself cannot evaluate
// either, keyed by file and step path, with the reason. Every other string of
// the real Julep tasks must compile.
var julepRejects = map[string]string{
	"src/agents-api/tests/sample_tasks/reclaim-example.yaml main[0].map.prompt[0].content": "a Jinja {% for %} block inside a {{ }} template: Julep turns it into an f-string whose field is not an expression (CPython: f-string: expecting a valid expression after '{')",
}

// TestJulepCorpusCompiles compiles every expression and template of the real
// Julep task files (../shared/corpus/julep-expressions.jsonl) by Julep's field
// rules.
func TestJulepCorpusCompiles(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "julep-expressions.jsonl")
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("Julep corpus not found at %s (it lives in the shared folder beside the repository)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, rejected := 0, 0
	for sc.Scan() {
		var rec struct {
			File, Path, Kind, Text string
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("corpus line %d: %v", n+1, err)
		}
		n++
		key := rec.File + " " + rec.Path
		field, err := engine.CompileField(rec.Text)
		reason, expectReject := julepRejects[key]
		switch {
		case expectReject && err == nil:
			t.Errorf("%s: compiled, but Julep rejects it (%s)", key, reason)
		case expectReject:
			rejected++
			var ee *engine.Error
			if !errors.As(err, &ee) || ee.Kind != "SyntaxError" {
				t.Errorf("%s: want a positioned SyntaxError, got %v", key, err)
			}
		case err != nil:
			t.Errorf("%s: %v\n%s", key, err, rec.Text)
		case rec.Kind == "expr" && field.Kind() == engine.FieldLiteral:
			t.Errorf("%s: compiled as a literal, want an expression or f-string: %q", key, rec.Text)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Fatalf("read only %d corpus records", n)
	}
	t.Logf("%d Julep corpus strings: %d compile, %d rejected as Julep rejects them", n, n-rejected, rejected)
}
