package secrets_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"A", true},
		{"z", true},
		{"API_KEY_2", true},
		{"a" + strings.Repeat("_", 254), true},
		{"", false},
		{"1A", false},
		{"_A", false},
		{"A B", false},
		{"A-B", false},
		{"A.B", false},
		{"A" + strings.Repeat("b", 255), false},
		{"CLÉ", false},
		{"ÉA", false},
		{"A\x00", false},
		{"A\xff", false},
	}
	for _, tc := range tests {
		err := secrets.ValidateName(tc.name)
		if tc.ok {
			assert.NoError(t, err, "%q", tc.name)
			continue
		}
		require.Error(t, err, "%q", tc.name)
		assert.ErrorIs(t, err, secrets.ErrInvalid)
		var ve *secrets.ValidationError
		require.True(t, errors.As(err, &ve))
		assert.Equal(t, "name", ve.Field)
		assert.True(t, strings.HasPrefix(err.Error(), "invalid secret: name: "), err.Error())
	}
}

func TestValidateFields(t *testing.T) {
	assert.NoError(t, secrets.ValidateDescription(strings.Repeat("é", secrets.MaxDescriptionLen)))
	assert.ErrorIs(t, secrets.ValidateDescription(strings.Repeat("d", secrets.MaxDescriptionLen+1)), secrets.ErrInvalid)
	assert.ErrorIs(t, secrets.ValidateDescription("\xff"), secrets.ErrInvalid)
	assert.NoError(t, secrets.ValidateValue(strings.Repeat("v", secrets.MaxValueBytes)))
	err := secrets.ValidateValue(strings.Repeat("v", secrets.MaxValueBytes+1))
	require.ErrorIs(t, err, secrets.ErrInvalid)
	assert.False(t, strings.Contains(err.Error(), "vvvv"), "the value is never in the error")
	assert.ErrorIs(t, secrets.ValidateValue(""), secrets.ErrInvalid)
	err = secrets.ValidateValue("ok-\xff\xfe-bytes")
	require.ErrorIs(t, err, secrets.ErrInvalid)
	assert.Contains(t, err.Error(), "UTF-8")
	assert.False(t, strings.Contains(err.Error(), "bytes"), "the value is never in the error")
	assert.NoError(t, secrets.ValidateValue("line\nnul\x00tab\té"), "any valid UTF-8 text is a value")
	assert.NoError(t, secrets.ValidateMetadata(nil))
	for _, md := range []map[string]any{
		{"k": "bad\xff"},
		{"k\xfe": "v"},
		{"a": map[string]any{"b": []any{"ok", "\xff"}}},
		{"a": []string{"\xff"}},
		{"a": map[string]string{"b": "\xff"}},
	} {
		err := secrets.ValidateMetadata(md)
		require.ErrorIs(t, err, secrets.ErrInvalid, "%q", md)
		assert.Contains(t, err.Error(), "not valid UTF-8")
	}
	assert.NoError(t, secrets.ValidateMetadata(map[string]any{"a": map[string]any{"b": []any{"é", 1.0, nil}}}))
	assert.ErrorIs(t, secrets.ValidateMetadata(map[string]any{"c": make(chan int)}), secrets.ErrInvalid)
	assert.ErrorIs(t, secrets.ValidateMetadata(map[string]any{"k": strings.Repeat("x", secrets.MaxMetadataBytes)}), secrets.ErrInvalid)
}

func TestNormalizeList(t *testing.T) {
	tests := []struct {
		in, want int
		err      bool
	}{
		{0, secrets.DefaultListLimit, false},
		{1, 1, false},
		{secrets.MaxListLimit, secrets.MaxListLimit, false},
		{secrets.MaxListLimit + 1, secrets.MaxListLimit, false},
		{-1, 0, true},
	}
	for _, tc := range tests {
		p, err := secrets.NormalizeList(secrets.ListParams{Limit: tc.in})
		if tc.err {
			assert.ErrorIs(t, err, secrets.ErrInvalid)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, p.Limit)
	}
	_, err := secrets.NormalizeList(secrets.ListParams{Offset: -5})
	assert.ErrorIs(t, err, secrets.ErrInvalid)
	p, err := secrets.NormalizeList(secrets.ListParams{Metadata: map[string]any{"n": 1}})
	require.NoError(t, err)
	assert.True(t, secrets.MetadataMatches(map[string]any{"n": 1.0, "x": "y"}, p.Metadata))
	assert.False(t, secrets.MetadataMatches(map[string]any{"n": 2.0}, p.Metadata))
}
