package syntax

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine/internal/cpycorpus"
)

// TestCPythonGolden compares our trees with CPython 3.12's. The corpus
// (cpycorpus format, group "parse") holds generated expressions (random
// operator soups, displays, comprehensions, lambdas, string and f-string
// literals with escapes and nested quotes) with the Dump of the tree that
// Python 3.12.1's ast.parse gave for them (converted to our notation), or
// the SyntaxError it raised: we must build the same tree or reject the same
// sources (our messages may differ where ours say more).
func TestCPythonGolden(t *testing.T) {
	c, err := cpycorpus.Load("testdata/cpython312.jsonl")
	require.NoError(t, err)
	var accepted, rejected int
	for _, k := range c.Group("parse") {
		src, err := k.Str(0)
		require.NoError(t, err)
		e, err := Parse(src)
		if k.Repr != nil {
			accepted++
			if assert.NoError(t, err, "%s: %q", k.Where, src) {
				assert.Equal(t, *k.Repr, Dump(e), "%s: %q", k.Where, src)
			}
			continue
		}
		rejected++
		var se *Error
		assert.ErrorAs(t, err, &se, "%s: %q (CPython: %s: %s)", k.Where, src, k.Error, k.Msg)
	}
	assert.Equal(t, len(c.Cases), accepted+rejected, "every case is of group parse")
	assert.Greater(t, accepted, 1000)
	assert.Greater(t, rejected, 100)
}
