package secrets_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

func TestUpdatedMetadata(t *testing.T) {
	stored := []byte(`{"a":1,"b":"x"}`)
	tests := []struct {
		name    string
		p       secrets.UpdateParams
		want    string
		wantErr bool
	}{
		{name: "no metadata keeps stored", p: secrets.UpdateParams{}, want: `{"a":1,"b":"x"}`},
		{name: "replace", p: secrets.UpdateParams{Metadata: map[string]any{"c": true}}, want: `{"c":true}`},
		{name: "replace with empty", p: secrets.UpdateParams{Metadata: map[string]any{}}, want: `{}`},
		{name: "merge", p: secrets.UpdateParams{Metadata: map[string]any{"b": "y", "c": 2}, MergeMetadata: true}, want: `{"a":1,"b":"y","c":2}`},
		{name: "merge ignored without metadata", p: secrets.UpdateParams{MergeMetadata: true}, want: `{"a":1,"b":"x"}`},
		{name: "merge too large", p: secrets.UpdateParams{Metadata: map[string]any{"big": strings.Repeat("x", secrets.MaxMetadataBytes)}, MergeMetadata: true}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := secrets.UpdatedMetadata(stored, tt.p)
			if tt.wantErr {
				require.ErrorIs(t, err, secrets.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
		})
	}
}

func TestUpdateValue(t *testing.T) {
	ring, _ := mustRing(t, mustKey(t))
	ref := secrets.ValueRef{DeveloperID: "dev", SecretID: "id1", Name: "api_key", Version: 3}
	str := func(s string) *string { return &s }
	tampered := secrets.DecryptError("api_key", secrets.ErrEncryption)

	tests := []struct {
		name      string
		newValue  *string
		current   string
		decErr    error
		want      string
		wantSeal  bool
		wantErrIs error
	}{
		{name: "no new value", current: "old", want: "old"},
		{name: "same value", newValue: str("old"), current: "old", want: "old"},
		{name: "new value", newValue: str("new"), current: "old", want: "new", wantSeal: true},
		{name: "tampered without value", decErr: tampered, wantErrIs: secrets.ErrEncryption},
		{name: "tampered overwritten", newValue: str("new"), decErr: tampered, want: "new", wantSeal: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ct, err := secrets.UpdateValue(ctx, ring, ref, tt.newValue, tt.current, tt.decErr)
			if tt.wantErrIs != nil {
				require.ErrorIs(t, err, tt.wantErrIs)
				assert.Nil(t, ct)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if !tt.wantSeal {
				assert.Nil(t, ct)
				return
			}
			// Sealed for the next version, bound to this developer and secret.
			pt, err := ring.Decrypt(ctx, secrets.ValueAAD("dev", "id1", 4), ct)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(pt))
			_, err = ring.Decrypt(ctx, secrets.ValueAAD("dev", "id1", 3), ct)
			assert.ErrorIs(t, err, secrets.ErrEncryption)
		})
	}
}

func TestReencrypt(t *testing.T) {
	m := mustKey(t)
	k1, err := secrets.NewWrappedDataKey(m, 1, false, time.Now())
	require.NoError(t, err)
	k2, err := secrets.NewWrappedDataKey(m, 2, true, time.Now())
	require.NoError(t, err)
	oldRing, err := secrets.OpenKeyring(m, []secrets.WrappedDataKey{{ID: 1, Wrapped: k1.Wrapped, MasterFingerprint: k1.MasterFingerprint, Active: true}})
	require.NoError(t, err)
	newRing, err := secrets.OpenKeyring(m, []secrets.WrappedDataKey{k1, k2})
	require.NoError(t, err)

	aad := secrets.ValueAAD("dev", "id", 1)
	ct, err := oldRing.Encrypt(ctx, aad, []byte("value"))
	require.NoError(t, err)

	out, ok, err := secrets.Reencrypt(ctx, oldRing, newRing, aad, ct)
	require.NoError(t, err)
	require.True(t, ok)
	id, err := secrets.KeyIDOf(out)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), id)
	pt, err := newRing.Decrypt(ctx, aad, out)
	require.NoError(t, err)
	assert.Equal(t, "value", string(pt))

	// A ciphertext bound elsewhere does not decrypt: not ok, no error.
	out, ok, err = secrets.Reencrypt(ctx, oldRing, newRing, secrets.ValueAAD("dev", "other", 1), ct)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Nil(t, out)
}

func TestReencryptFailures(t *testing.T) {
	require.NoError(t, secrets.ReencryptFailures(nil))
	err := secrets.ReencryptFailures([]string{"b", "a"})
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Equal(t, `rotate: 2 secrets could not be decrypted and keep their old key: "b", "a": secret encryption error`, err.Error())
}

func TestPage(t *testing.T) {
	all := []*secrets.Secret{
		{Name: "a", Metadata: map[string]any{"env": "prod"}},
		{Name: "b", Metadata: map[string]any{"env": "dev"}},
		{Name: "c", Metadata: map[string]any{"env": "prod"}},
		{Name: "d", Metadata: map[string]any{}},
		{Name: "e", Metadata: map[string]any{"env": "prod"}},
	}
	tests := []struct {
		name string
		p    secrets.ListParams
		want []string
	}{
		{name: "all", p: secrets.ListParams{Limit: 10}, want: []string{"a", "b", "c", "d", "e"}},
		{name: "limit", p: secrets.ListParams{Limit: 2}, want: []string{"a", "b"}},
		{name: "offset", p: secrets.ListParams{Limit: 2, Offset: 3}, want: []string{"d", "e"}},
		{name: "past the end", p: secrets.ListParams{Limit: 2, Offset: 9}, want: []string{}},
		{name: "filter before offset and limit", p: secrets.ListParams{Limit: 1, Offset: 1, Metadata: map[string]any{"env": "prod"}}, want: []string{"c"}},
		{name: "filter matches none", p: secrets.ListParams{Limit: 5, Metadata: map[string]any{"env": "test"}}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := secrets.NewPage(tt.p)
			for _, s := range all {
				if page.Full() {
					break
				}
				page.Add(s)
			}
			got := []string{}
			for _, s := range page.Secrets {
				got = append(got, s.Name)
			}
			assert.Equal(t, tt.want, got)
			assert.NotNil(t, page.Secrets)
		})
	}
}
