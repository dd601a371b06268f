package redact

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	r := New()
	r.Add("api_token", "tok-123456")
	r.Add("db_password", "p@ss word/1")
	r.Add("short", "abc")
	r.Add("pem", "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD\n-----END KEY-----")
	r.Add("tok_prefix", "tok-1234")

	tests := []struct{ name, in, want string }{
		{"plain", "Authorization: Bearer tok-123456", "Authorization: Bearer [REDACTED:api_token]"},
		{"twice", "tok-123456 and tok-123456", "[REDACTED:api_token] and [REDACTED:api_token]"},
		{"longest first", "x tok-123456 y tok-1234 z", "x [REDACTED:api_token] y [REDACTED:tok_prefix] z"},
		{"nothing", "hello world", "hello world"},
		{"short not masked", "abc abc", "abc abc"},
		{"query escaped", "u?pw=" + url.QueryEscape("p@ss word/1"), "u?pw=[REDACTED:db_password]"},
		{"path escaped", "/x/" + url.PathEscape("p@ss word/1"), "/x/[REDACTED:db_password]"},
		{"base64", "basic " + base64.StdEncoding.EncodeToString([]byte("p@ss word/1")), "basic [REDACTED:db_password]"},
		{"pem line", "line MIIBOgIBAAJBAKj34GkxFhD end", "line [REDACTED:pem] end"},
		{"pem whole", "k=-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD\n-----END KEY-----.", "k=[REDACTED:pem]."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.Redact(tt.in))
			assert.Equal(t, tt.want, string(r.RedactBytes([]byte(tt.in))))
		})
	}
}

func TestOverlapMerged(t *testing.T) {
	r := New()
	r.Add("a", "abcdef")
	r.Add("b", "defghijk")
	// b starts inside a: the whole region is masked, nothing of b leaks.
	assert.Equal(t, "<[REDACTED:a]>", r.Redact("<abcdefghijk>"))
}

func TestJSONEscaped(t *testing.T) {
	r := New()
	v := "line1\n\"quoted\"<tag>&"
	r.Add("multi", v)
	j, err := json.Marshal(map[string]string{"v": v})
	require.NoError(t, err)
	out := r.Redact(string(j))
	assert.Equal(t, `{"v":"[REDACTED:multi]"}`, out)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	assert.Equal(t, "\"[REDACTED:multi]\"\n", r.Redact(buf.String()))
}

func TestAddDerived(t *testing.T) {
	r := New()
	r.Add("api_token", "tok-123456")
	r.AddDerived("Bearer tok-123456")
	r.AddDerived("tok-12") // a slice of the secret: no name, masked whole
	r.AddDerived("zzzzzz")
	assert.Equal(t, "H: Bearer [REDACTED:api_token]", r.Redact("H: Bearer tok-123456"))
	assert.Equal(t, "H: [REDACTED]!", r.Redact("H: tok-12!"))
	assert.Equal(t, "[REDACTED]", r.Redact("zzzzzz"))
	enc := base64.StdEncoding.EncodeToString([]byte("Bearer tok-123456"))
	assert.Equal(t, "[REDACTED]", r.Redact(enc))

	// a derived value whose rest repeats part of the secret is masked whole
	r.AddDerived("tok-123456/tok-1")
	assert.Equal(t, "[REDACTED]", r.Redact("tok-123456/tok-1"))

	n, ok := r.Lookup("zzzzzz")
	assert.True(t, ok)
	assert.Equal(t, "", n)
	n, ok = r.Lookup("tok-123456")
	assert.True(t, ok)
	assert.Equal(t, "api_token", n)
	_, ok = r.Lookup("nope")
	assert.False(t, ok)
}

func TestShortValuesKnownButNotMasked(t *testing.T) {
	r := New()
	r.Add("pin", "123")
	assert.Equal(t, "pin 123", r.Redact("pin 123"))
	n, ok := r.Lookup("123")
	assert.True(t, ok)
	assert.Equal(t, "pin", n)
	assert.Equal(t, len(Forms("123")), r.Len(), "only the derived forms of at least MinLen bytes")
	r.Add("empty", "")
	_, ok = r.Lookup("")
	assert.False(t, ok)
}

func TestFirstNameWins(t *testing.T) {
	r := New()
	r.Add("one", "same-value")
	r.Add("two", "same-value")
	assert.Equal(t, "[REDACTED:one]", r.Redact("same-value"))
	r.AddDerived("same-value")
	assert.Equal(t, "[REDACTED:one]", r.Redact("same-value"))
}

// embedShifted returns value's base64 embedded at byte offset shift of a
// larger blob, with random bytes around it.
func embedShifted(t *testing.T, enc *base64.Encoding, value []byte, shift int) string {
	pre := make([]byte, 3+shift)
	post := make([]byte, 5)
	_, _ = rand.Read(pre)
	_, _ = rand.Read(post)
	return enc.EncodeToString(append(append(pre, value...), post...))
}

// TestEveryDerivedFormMasked: random values, each derived form embedded in
// text, must not survive Redact.
func TestEveryDerivedFormMasked(t *testing.T) {
	for i := 0; i < 200; i++ {
		raw := make([]byte, 4+i%40)
		_, _ = rand.Read(raw)
		value := string(raw)
		if i%2 == 0 {
			value = hex.EncodeToString(raw)[:len(raw)] + "/+ &\"é"
		}
		r := New()
		r.Add("s", value)
		for _, f := range append(Forms(value), value) {
			text := "<<" + f + ">>"
			out := r.Redact(text)
			assert.NotContains(t, out, f, "form of value #%d not masked", i)
			assert.Contains(t, out, "[REDACTED:s]")
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			for shift := 0; shift < 3; shift++ {
				blob := embedShifted(t, enc, []byte(value), shift)
				inner := stableBase64(enc, []byte(value), shift)
				require.Contains(t, blob, inner)
				out := r.Redact(blob)
				assert.NotContains(t, out, inner)
				assert.Contains(t, out, "[REDACTED:s]", "shift %d", shift)
			}
		}
	}
}

func TestStableBase64(t *testing.T) {
	// "hello" at offset 1 of "Xhello...": the chars after the first two are fixed.
	v := []byte("hello world")
	for shift := 0; shift < 3; shift++ {
		s := stableBase64(base64.StdEncoding, v, shift)
		for _, pre := range []string{"", "a", "ab", "abc"} {
			if len(pre)%3 != shift {
				continue
			}
			for _, post := range []string{"", "x", "yz", "!!!"} {
				enc := base64.StdEncoding.EncodeToString([]byte(pre + string(v) + post))
				assert.Contains(t, enc, s, "shift %d pre %q post %q", shift, pre, post)
			}
		}
	}
}

func TestHandler(t *testing.T) {
	r := New()
	r.Add("api_token", "tok-123456")
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		log := slog.New(r.Handler(h))
		log = log.With("bound", "tok-123456").WithGroup("g")
		log.Info("calling with tok-123456",
			"s", "x tok-123456",
			"err", fmt.Errorf("auth failed for %s", "tok-123456"),
			"stringer", stringer("tok-123456"),
			"bytes", []byte("tok-123456"),
			"map", map[string]string{"k": "tok-123456"},
			slog.Group("nested", slog.String("deep", "tok-123456"), slog.Group("deeper", "x", "tok-123456")),
			"valuer", valuer{},
			"num", 42,
		)
	}
	out := buf.String()
	assert.NotContains(t, out, "tok-123456")
	assert.Contains(t, out, "[REDACTED:api_token]")
	assert.Contains(t, out, "num=42")
	assert.Equal(t, 2, strings.Count(out, "calling with [REDACTED:api_token]"))
	assert.True(t, r.Handler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})).Enabled(t.Context(), slog.LevelError))
}

type stringer string

func (s stringer) String() string { return string(s) }

type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("tok-123456") }

func TestWriterSplit(t *testing.T) {
	r := New()
	r.Add("api_token", "tok-123456")
	in := "a tok-123456 b tok-123456"
	for chunk := 1; chunk <= len(in); chunk++ {
		var out bytes.Buffer
		w := r.Writer(&out)
		for i := 0; i < len(in); i += chunk {
			n, err := w.Write([]byte(in[i:min(i+chunk, len(in))]))
			require.NoError(t, err)
			require.Equal(t, min(i+chunk, len(in))-i, n)
		}
		require.NoError(t, w.Close())
		assert.Equal(t, "a [REDACTED:api_token] b [REDACTED:api_token]", out.String(), "chunk %d", chunk)
	}
	w := r.Writer(&bytes.Buffer{})
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
	_, err := w.Write([]byte("x"))
	assert.ErrorIs(t, err, ErrClosed)
}

func TestWriterNoSecrets(t *testing.T) {
	var out bytes.Buffer
	w := New().Writer(&out)
	_, err := w.Write([]byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, "hello", out.String())
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterError(t *testing.T) {
	r := New()
	r.Add("x", "abcd")
	w := r.Writer(failWriter{})
	_, err := w.Write([]byte("hello world, long enough"))
	assert.Error(t, err)
}

func TestConcurrent(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				v := fmt.Sprintf("secret-%d-%d", g, i)
				r.Add(fmt.Sprintf("n%d_%d", g, i), v)
				out := r.Redact("x " + v + " y")
				if strings.Contains(out, v) {
					t.Errorf("value added by this goroutine not masked")
				}
				r.AddDerived("derived-" + v)
				var b bytes.Buffer
				w := r.Writer(&b)
				_, _ = w.Write([]byte(v))
				_ = w.Close()
				if strings.Contains(b.String(), v) {
					t.Errorf("writer leaked a value")
				}
			}
		}(g)
	}
	wg.Wait()
}

// FuzzWriter: chunked writes give the same output as Redact of the whole
// input, and no secret survives.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("a 1234567 b 7654321 c"), "1234567", "7654321", uint8(3))
	f.Add([]byte("1234512345"), "12345", "2345123", uint8(1))
	f.Add([]byte("MTIzNDU2Nzg5"), "123456789", "4444", uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, s1, s2 string, chunk uint8) {
		r := New()
		// Digits-only secrets cannot be built out of masks ("[REDACTED:a]").
		secrets := map[string]string{}
		for name, s := range map[string]string{"a": s1, "b": s2} {
			s = strings.Map(func(c rune) rune {
				if c >= '0' && c <= '9' {
					return c
				}
				return -1
			}, s)
			if len(s) >= MinLen {
				r.Add(name, s)
				secrets[name] = s
			}
		}
		want := r.Redact(string(in))
		var out bytes.Buffer
		w := r.Writer(&out)
		step := int(chunk)%17 + 1
		for i := 0; i < len(in); i += step {
			if _, err := w.Write(in[i:min(i+step, len(in))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("chunked output differs from Redact (chunk %d)", step)
		}
		for _, s := range secrets {
			if strings.Contains(out.String(), s) {
				t.Fatalf("a secret value survived in the output")
			}
		}
	})
}

func benchText(nSecrets int) (*Redactor, string, []string) {
	r := New()
	var vals []string
	for i := 0; i < nSecrets; i++ {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		v := hex.EncodeToString(b)
		vals = append(vals, v)
		r.Add(fmt.Sprintf("secret_%d", i), v)
	}
	var sb strings.Builder
	i := 0
	for sb.Len() < 64*1024 {
		sb.WriteString("lorem ipsum dolor sit amet, consectetur adipiscing elit; ")
		if i%20 == 0 {
			sb.WriteString(vals[(i/20)%len(vals)])
		}
		i++
	}
	return r, sb.String(), vals
}

func BenchmarkRedact64KiB100Secrets(b *testing.B) {
	r, text, _ := benchText(100)
	_ = r.Redact(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		_ = r.Redact(text)
	}
}

func BenchmarkWriter64KiB100Secrets(b *testing.B) {
	r, text, _ := benchText(100)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		w := r.Writer(&bytes.Buffer{})
		for i := 0; i < len(text); i += 4096 {
			_, _ = w.Write([]byte(text[i:min(i+4096, len(text))]))
		}
		_ = w.Close()
	}
}

// A derived string that holds a secret only in base64 is masked whole: the
// characters around a base64 form carry bits of the value.
func TestAddDerivedBase64MaskedWhole(t *testing.T) {
	r := New()
	r.Add("user", "crm-user-test")
	r.Add("pass", "crm-pass-test-8675309")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("crm-user-test:crm-pass-test-8675309"))
	r.AddDerived(basic)
	assert.Equal(t, "H: [REDACTED]", r.Redact("H: "+basic))
	// JSON and URL escapes keep their edges, so the template form is kept
	r.Add("q", `a"b&c d`)
	r.AddDerived(`x=a"b&c d`)
	assert.Equal(t, `x=[REDACTED:q]`, r.Redact(`x=a"b&c d`))
}

func BenchmarkAddDerived1000(b *testing.B) {
	r, _, vals := benchText(100)
	for b.Loop() {
		for i := 0; i < 1000; i++ {
			r.AddDerived(fmt.Sprintf("Bearer %s #%d", vals[i%len(vals)], i))
		}
	}
}

// The writer passes on at once everything a split value cannot need: only a
// tail that starts some value or form, or a masked region that could still
// grow, waits for the next write.
func TestWriterHoldsBackOnlyWhatASplitValueNeeds(t *testing.T) {
	r := New()
	r.Add("api_token", "tok-123456")
	r.Add("overlap", "3456-xyz")
	tests := []struct {
		name, write, passed string
	}{
		{"line", "request done\n", "request done\n"},
		{"no value starts here", "request done", "request done"},
		{"start of a value", "token tok-12", "token "},
		{"one byte of a value", "token t", "token "},
		{"whole value, a longer match may follow", "token tok-123456", "token "},
		{"whole value then newline", "token tok-123456\n", "token [REDACTED:api_token]\n"},
		{"masked region that could grow", "x tok-123456-x", "x "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := r.Writer(&out)
			_, err := w.Write([]byte(tt.write))
			require.NoError(t, err)
			assert.Equal(t, tt.passed, out.String())
			require.NoError(t, w.Close())
			assert.Equal(t, r.Redact(tt.write), out.String())
		})
	}
}
