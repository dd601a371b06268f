package leakcheck

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var vals = map[string]string{"api_key": "sk-LIVE-abc123", "pw": "Zq"}

// TestScanAndDecoders: each channel of issue 9, as the old dry-run printed
// it, is caught; a display of marks is not.
func TestScanAndDecoders(t *testing.T) {
	v := vals["api_key"]
	bits := func(s string) string {
		var out []string
		for _, c := range []byte(s) {
			for i := 0; i < 8; i++ {
				out = append(out, fmt.Sprint(c>>i&1 == 1))
			}
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	codes := func(s string) string {
		var out []string
		for _, c := range s {
			out = append(out, fmt.Sprint(int(c)))
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	keys := func(s string) string {
		var out []string
		for _, c := range s {
			b, _ := json.Marshal(map[string]int{string(c): 0})
			out = append(out, string(b))
		}
		return "[" + strings.Join(out, ",") + "]"
	}
	leaky := []struct{ name, text string }{
		{"partial", `"[REDACTED:api_key] 321cba-EVIL-ks"`},
		{"base64", base64.StdEncoding.EncodeToString([]byte("x" + v))},
		{"bits", bits(v)},
		{"bits of a short value", bits("Zq")},
		{"codes", codes(v)},
		{"codes of a short value", codes("Zq")},
		{"keys", keys(v)},
		{"keys of a short value", keys("Zq")},
		{"fragments", `["[REDACTED]sk-", "LIV", "E-a", "bc1", "23"]`},
		{"short value beside a mark", `"[REDACTED:api_key]Zq"`},
	}
	for _, c := range leaky {
		found := append(Scan(c.text, vals), Rebuilt(c.text, vals)...)
		assert.NotEmpty(t, found, c.name)
	}
	for _, clean := range []string{`{"a": "[REDACTED]", "b": "Bearer [REDACTED:api_key]", "n": [1, 2]}`, `[true, false]`} {
		assert.Empty(t, append(Scan(clean, vals), Rebuilt(clean, vals)...), clean)
	}
}

func TestOnlyMarks(t *testing.T) {
	assert.True(t, OnlyMarks("Bearer [REDACTED:x]", "'Bearer ' + secrets.x"))
	assert.True(t, OnlyMarks("[REDACTED]"))
	assert.False(t, OnlyMarks("[REDACTED:x]Zq", "secrets.x"))
}
