package secrets_test

import (
	"strings"
	"testing"

	"github.com/julepkit/julep/secrets"
)

// FuzzParseMasterKey: any text either parses to a usable key or gives an
// ErrEncryption error that does not repeat the text.
func FuzzParseMasterKey(f *testing.F) {
	for _, s := range []string{secrets.GenerateMasterKey(), "", "not base64!", "c2hvcnQ=", " \n" + secrets.GenerateMasterKey() + "\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := secrets.ParseMasterKey(s, "SRC")
		if err != nil {
			if !m.IsZero() {
				t.Fatal("a failed parse returned a key")
			}
			if trimmed := strings.TrimSpace(s); len(trimmed) >= 24 && strings.Contains(err.Error(), trimmed) {
				t.Fatal("the error repeats the input (withheld)")
			}
			return
		}
		if m.IsZero() || len(m.Fingerprint()) != 16 {
			t.Fatalf("parsed key unusable: zero %v, fingerprint %q", m.IsZero(), m.Fingerprint())
		}
	})
}

// FuzzDecodeMetadata: stored metadata of any shape decodes to a non-nil
// object or an error, and merging into it never panics.
func FuzzDecodeMetadata(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `[1]`, `null`, `"x"`, `{"a":{"b":[1,"\u00e9"]}}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := secrets.DecodeMetadata(b)
		if err != nil {
			return
		}
		if m == nil {
			t.Fatal("nil metadata without error")
		}
		merged, err := secrets.MergeMetadata(b, map[string]any{"k": "v"})
		if err != nil {
			return
		}
		back, err := secrets.DecodeMetadata(merged)
		if err != nil || back["k"] != "v" {
			t.Fatalf("merge result does not decode with the merged key: %v", err)
		}
	})
}
