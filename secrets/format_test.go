package secrets_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

const probe = "probe-value-4f1c9a"

func TestSecretNeverPrintsValue(t *testing.T) {
	s := secrets.Secret{ID: "id-1", DeveloperID: "dev", Name: "API_KEY", Value: probe, Version: 3, Metadata: map[string]any{"a": "b"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%T"} {
		for _, arg := range []any{s, &s, []any{s}, map[string]any{"s": &s}, struct{ S secrets.Secret }{s}} {
			out := fmt.Sprintf(verb, arg)
			assert.False(t, strings.Contains(out, probe), "verb %s on %T leaks the value", verb, arg)
		}
	}
	assert.Contains(t, fmt.Sprint(s), "API_KEY")
	assert.Contains(t, fmt.Sprint(s), secrets.Redacted)
	assert.Contains(t, fmt.Sprintf("%#v", s), `Name:"API_KEY"`)
	var nilSecret *secrets.Secret
	assert.Equal(t, "<nil>", fmt.Sprint(nilSecret))

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("got secret", "secret", s, "ptr", &s)
	}
	assert.False(t, strings.Contains(buf.String(), probe), "slog leaks the value")
	assert.Contains(t, buf.String(), "API_KEY")

	// JSON keeps the value: the owner's get returns it.
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.True(t, bytes.Contains(b, []byte(probe)), "MarshalJSON includes the value")

	// The listing placeholder is not secret and shows as is.
	l := secrets.Secret{Name: "A", Value: secrets.EncryptedPlaceholder}
	assert.Contains(t, l.String(), secrets.EncryptedPlaceholder)
}

func TestMasterKeyNeverPrinted(t *testing.T) {
	enc := secrets.GenerateMasterKey()
	m, err := secrets.ParseMasterKey(enc, "TEST_VAR")
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, m)
		assert.False(t, strings.Contains(out, enc), "verb %s leaks the master key", verb)
		assert.Contains(t, out, "TEST_VAR")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("key", "k", m)
	assert.False(t, strings.Contains(buf.String(), enc))
}

// captureT collects what a failing testify assertion would print.
type captureT struct{ out strings.Builder }

func (c *captureT) Errorf(format string, args ...any) { fmt.Fprintf(&c.out, format, args...) }

// TestTestifyDiffHidesMasterKey: testify's failure diff dumps structs with
// go-spew, bypassing String and Format; it must still not show a master key.
func TestTestifyDiffHidesMasterKey(t *testing.T) {
	encA := secrets.GenerateMasterKey()
	a, err := secrets.ParseMasterKey(encA, "A")
	require.NoError(t, err)
	b, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "B")
	require.NoError(t, err)
	type holder struct {
		Key secrets.MasterKey
		N   int
	}
	var c captureT
	assert.Equal(&c, holder{a, 1}, holder{b, 2})
	out := c.out.String()
	require.Contains(t, out, "Diff:", "testify printed a diff")
	raw, err := base64.StdEncoding.DecodeString(encA)
	require.NoError(t, err)
	for _, form := range []string{
		encA,
		hex.EncodeToString(raw),
		fmt.Sprintf("%02x %02x %02x %02x", raw[0], raw[1], raw[2], raw[3]), // spew's hex dump
		fmt.Sprint(raw)[:12],
	} {
		if strings.Contains(out, form) {
			t.Errorf("a testify failure message shows the master key (message withheld)")
		}
	}
	// Keys still work after the change of representation.
	assert.False(t, a.IsZero())
	assert.NotEqual(t, a.Fingerprint(), b.Fingerprint())
}
