package secrets_test

import (
	"bytes"
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
