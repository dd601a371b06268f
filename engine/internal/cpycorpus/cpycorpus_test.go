package cpycorpus

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `{"corpus":"t","python":"3.12.1","generator":"gen.py","envs":{"e":{"x":1}}}
{"group":"expr","in":["x + 1"],"env":"e","repr":"2"}

{"group":"expr","in":["x[0]"],"env":"e","error":"TypeError","msg":"'int' object is not subscriptable","bases":["Exception"]}
{"group":"arith","in":["+",["i","1"]],"value":["i","1"]}
`

func TestRead(t *testing.T) {
	c, err := Read("s.jsonl", strings.NewReader(sample))
	require.NoError(t, err)
	assert.Equal(t, "3.12.1", c.Python)
	require.Len(t, c.Cases, 3)
	assert.Equal(t, "s.jsonl:4", c.Cases[1].Where)
	assert.Equal(t, []string{"TypeError", "Exception"}, c.Cases[1].Kinds())
	assert.Nil(t, c.Cases[0].Kinds())
	src, err := c.Cases[0].Str(0)
	require.NoError(t, err)
	assert.Equal(t, "x + 1", src)
	_, err = c.Cases[2].Str(1)
	assert.Error(t, err)
	_, err = c.Cases[2].Str(5)
	assert.Error(t, err)
	assert.Len(t, c.Group("expr"), 2)
	assert.Len(t, c.Group("none"), 0)
}

func TestReadErrors(t *testing.T) {
	head := `{"corpus":"t","python":"3","generator":"g"}` + "\n"
	for _, tc := range []struct{ in, msg string }{
		{"", "empty corpus"},
		{`{"corpus":"t"}`, "header needs"},
		{`{"corpus":"t","python":"3","generator":"g","extra":1}`, "unknown field"},
		{head + `{"group":"g","in":[]}`, "exactly one of"},
		{head + `{"group":"g","in":[],"repr":"1","error":"E"}`, "exactly one of"},
		{head + `{"in":[],"repr":"1"}`, "needs a group"},
		{head + `{"group":"g","in":[],"env":"nope","repr":"1"}`, `unknown env "nope"`},
		{head + `{"group":"g","in":[],"repr":1}`, "s.jsonl:2"},
	} {
		_, err := Read("s.jsonl", strings.NewReader(tc.in))
		if assert.Error(t, err, tc.in) {
			assert.Contains(t, err.Error(), tc.msg, tc.in)
		}
	}
}

func TestLoadGzip(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(sample))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	path := filepath.Join(t.TempDir(), "c.jsonl.gz")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	c, err := Load(path)
	require.NoError(t, err)
	assert.Len(t, c.Cases, 3)
	_, err = Load(filepath.Join(t.TempDir(), "absent.jsonl"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}
