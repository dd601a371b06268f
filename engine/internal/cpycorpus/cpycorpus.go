// Package cpycorpus reads the CPython comparison corpora of the engine's
// tests: cases whose expected outcome real CPython computed, written by a
// generator script committed beside each corpus. Every corpus has the one
// format read here, and every generator writes it with cpycorpus.py (this
// directory), so a test reads any corpus the same way.
//
// # Format
//
// A corpus is a JSON Lines file (gzip-compressed when its name ends in
// .gz). The first line is the header:
//
//	{"corpus": "syntax", "python": "3.12.1", "generator": "engine/internal/syntax/testdata/gen.py", "envs": {...}}
//
// where envs (optional) names JSON objects of variables that cases refer
// to. Every other line is one case:
//
//	{"group": "arith", "in": ["+", ["i", "1"], ["f", "0.5"]], "value": ["f", "1.5"]}
//	{"group": "expr", "in": ["d['x']"], "env": "basic", "error": "KeyError", "msg": "'x'", "bases": ["LookupError", "Exception"]}
//	{"group": "parse", "in": ["a + b"], "repr": "(+ a b)"}
//
// group names the kind of case (a corpus may hold several); in holds the
// inputs, in the group's encoding (a test knows how to decode them); env
// names the header's variables the case runs with. The outcome is one of:
// repr (the repr, str or dump CPython gave), value (a value in the corpus'
// tagged encoding), or error (the exception's type name, with msg its
// message and bases its base classes when the generator records them).
package cpycorpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Header is the first line of a corpus.
type Header struct {
	Corpus    string                     `json:"corpus"`
	Python    string                     `json:"python"`
	Generator string                     `json:"generator"`
	Envs      map[string]json.RawMessage `json:"envs,omitempty"`
}

// Case is one line of a corpus after the header.
type Case struct {
	Group string            `json:"group"`
	In    []json.RawMessage `json:"in"`
	Env   string            `json:"env,omitempty"`
	Repr  *string           `json:"repr,omitempty"`
	Value json.RawMessage   `json:"value,omitempty"`
	Error string            `json:"error,omitempty"`
	Msg   string            `json:"msg,omitempty"`
	Bases []string          `json:"bases,omitempty"`

	// Where is "file:line" of the case, for messages.
	Where string `json:"-"`
}

// Corpus is a loaded corpus.
type Corpus struct {
	Header
	Cases []Case
}

// Load reads the corpus at path.
func Load(path string) (*Corpus, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	return Read(path, r)
}

// Read reads a corpus from r; name is used in messages and Where.
func Read(name string, r io.Reader) (*Corpus, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	c := &Corpus{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if line == 1 {
			if err := strictUnmarshal(b, &c.Header); err != nil {
				return nil, fmt.Errorf("%s:1: header: %w", name, err)
			}
			if c.Corpus == "" || c.Python == "" || c.Generator == "" {
				return nil, fmt.Errorf("%s:1: header needs corpus, python and generator", name)
			}
			continue
		}
		var k Case
		if err := strictUnmarshal(b, &k); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		outcomes := 0
		if k.Repr != nil {
			outcomes++
		}
		if k.Value != nil {
			outcomes++
		}
		if k.Error != "" {
			outcomes++
		}
		if k.Group == "" || outcomes != 1 {
			return nil, fmt.Errorf("%s:%d: a case needs a group and exactly one of repr, value and error", name, line)
		}
		if k.Env != "" {
			if _, ok := c.Envs[k.Env]; !ok {
				return nil, fmt.Errorf("%s:%d: unknown env %q", name, line, k.Env)
			}
		}
		k.Where = fmt.Sprintf("%s:%d", name, line)
		c.Cases = append(c.Cases, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty corpus", name)
	}
	return c, nil
}

func strictUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// Group returns the cases of group g, in file order.
func (c *Corpus) Group(g string) []Case {
	var out []Case
	for _, k := range c.Cases {
		if k.Group == g {
			out = append(out, k)
		}
	}
	return out
}

// Str returns input i decoded as a JSON string.
func (k Case) Str(i int) (string, error) {
	if i >= len(k.In) {
		return "", fmt.Errorf("%s: no input %d", k.Where, i)
	}
	var s string
	if err := json.Unmarshal(k.In[i], &s); err != nil {
		return "", fmt.Errorf("%s: input %d: %w", k.Where, i, err)
	}
	return s, nil
}

// Kinds returns the error type and its bases: the error kinds a result may
// have to agree with CPython (nil when the outcome is not an error).
func (k Case) Kinds() []string {
	if k.Error == "" {
		return nil
	}
	return append([]string{k.Error}, k.Bases...)
}
