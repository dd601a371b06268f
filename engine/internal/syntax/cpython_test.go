package syntax

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCPythonGolden compares our trees with CPython 3.12's. The golden file
// holds generated expressions (random operator soups, displays,
// comprehensions, lambdas, string and f-string literals with escapes and
// nested quotes) with the Dump of the tree that Python 3.12.1's ast.parse
// gave for them (converted to our notation), or the error it raised: we must
// build the same tree or reject the same sources (our messages may differ
// where ours say more).
func TestCPythonGolden(t *testing.T) {
	f, err := os.Open("testdata/cpython312.jsonl")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var accepted, rejected int
	for sc.Scan() {
		var r struct {
			Src   string  `json:"src"`
			Dump  *string `json:"dump"`
			Error *string `json:"error"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		e, err := Parse(r.Src)
		if r.Dump != nil {
			accepted++
			if assert.NoError(t, err, "%q", r.Src) {
				assert.Equal(t, *r.Dump, Dump(e), "%q", r.Src)
			}
			continue
		}
		rejected++
		var se *Error
		assert.ErrorAs(t, err, &se, "%q (CPython: %s)", r.Src, *r.Error)
	}
	require.NoError(t, sc.Err())
	assert.Greater(t, accepted, 1000)
	assert.Greater(t, rejected, 100)
}
