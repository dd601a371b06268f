package redact

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// writeChunked writes in to a new Writer of r in chunks whose sizes come
// from sizes (cyclically; a size byte of 0 is an empty write) and returns
// what came out after Close.
func writeChunked(t *testing.T, r *Redactor, in []byte, sizes []byte) string {
	t.Helper()
	var out bytes.Buffer
	w := r.Writer(&out)
	for i, k := 0, 0; i < len(in); k++ {
		n := 1 + len(in)
		if len(sizes) > 0 {
			n = int(sizes[k%len(sizes)]) % 40
		}
		n = min(n, len(in)-i)
		if _, err := w.Write(in[i : i+n]); err != nil {
			t.Fatal(err)
		}
		i += n
		if k > 10*len(in)+10 { // only empty writes: write the rest
			sizes = nil
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// FuzzWriterChunking: for any values, any text and any way of cutting the
// text into writes, the streaming writer's output is Redact of the whole.
func FuzzWriterChunking(f *testing.F) {
	f.Add("tok-123456|tok-1234|p@ss word/1", []byte("Bearer tok-123456 and p%40ss+word%2F1, tok-1234"), []byte{3, 1, 7})
	f.Add("line-one\nline-two|abcdef", []byte("x line-one y\nline-two\nabcdefline-one"), []byte{1})
	f.Add("aaaa|aaaaaa", []byte("aaaaaaaaaaaaaaa"), []byte{0, 2, 0, 5})
	f.Add("c2VjcmV0|secret-value", []byte("blob:c2VjcmV0LXZhbHVl and "), []byte{4, 4, 4})
	f.Fuzz(func(t *testing.T, values string, in []byte, sizes []byte) {
		if len(in) > 4096 || len(values) > 512 {
			return
		}
		r := New()
		for i, v := range strings.Split(values, "|") {
			r.Add(fmt.Sprintf("s%d", i), v)
		}
		want := r.Redact(string(in))
		if got := writeChunked(t, r, in, sizes); got != want {
			t.Fatalf("chunked output differs from Redact\n got %q\nwant %q", got, want)
		}
	})
}

// FuzzOverlappingValues: values over a two-letter alphabet share prefixes,
// contain one another and overlap in the text in every way; whatever the
// chunking, the writer agrees with Redact and no value is left in the
// output (the masks hold neither letter).
func FuzzOverlappingValues(f *testing.F) {
	f.Add([]byte{0b1010, 0b1011, 0b0110}, []byte("abababbababaabbbaabab"), []byte{1, 3})
	f.Add([]byte{0xff, 0x0f, 0xf0}, []byte("aaaabbbbaaaabbbbbbbbaaaa"), []byte{2})
	f.Fuzz(func(t *testing.T, spec []byte, text []byte, sizes []byte) {
		if len(text) > 2048 || len(spec) > 64 {
			return
		}
		// Each spec byte is a value: its 4..11 low bits as a and b, with
		// lengths shifting so values are prefixes of one another.
		r := New()
		var values []string
		for i, c := range spec {
			n := 4 + i%8
			var v strings.Builder
			for k := range n {
				if (uint(c)>>(k%8))&1 == 1 {
					v.WriteByte('b')
				} else {
					v.WriteByte('a')
				}
			}
			values = append(values, v.String())
			r.Add(fmt.Sprintf("v%d", i), v.String())
		}
		in := bytes.Map(func(c rune) rune {
			if c&1 == 1 {
				return 'b'
			}
			return 'a'
		}, text)
		want := r.Redact(string(in))
		if got := writeChunked(t, r, in, sizes); got != want {
			t.Fatalf("chunked output differs from Redact\n got %q\nwant %q", got, want)
		}
		for _, v := range values {
			if strings.Contains(want, v) {
				t.Fatalf("value %d survived in the output", len(v))
			}
		}
	})
}
