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
	stored, err := secrets.SealValue(ctx, ring, ref, []byte("old"))
	require.NoError(t, err)
	legacy := secrets.SealLegacyValue(t, ring, ref, []byte("old"))

	tests := []struct {
		name        string
		ct          []byte
		newName     string
		newValue    *string
		current     string
		decErr      error
		want        string
		wantVersion int // 0: nothing sealed
		wantErrIs   error
	}{
		{name: "no new value", current: "old", want: "old"},
		{name: "same value", newValue: str("old"), current: "old", want: "old"},
		{name: "new value", newValue: str("new"), current: "old", want: "new", wantVersion: 4},
		{name: "tampered without value", decErr: tampered, wantErrIs: secrets.ErrEncryption},
		{name: "tampered renamed", newName: "other", decErr: tampered, wantErrIs: secrets.ErrEncryption},
		{name: "tampered overwritten", newValue: str("new"), decErr: tampered, want: "new", wantVersion: 4},
		{name: "rename reseals, same version", newName: "other", current: "old", want: "old", wantVersion: 3},
		{name: "rename with new value", newName: "other", newValue: str("new"), current: "old", want: "new", wantVersion: 4},
		{name: "legacy format rewritten", ct: legacy, current: "old", want: "old", wantVersion: 3},
		{name: "legacy format, new value", ct: legacy, newValue: str("new"), current: "old", want: "new", wantVersion: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.ct
			if ct == nil {
				ct = stored
			}
			name := tt.newName
			if name == "" {
				name = ref.Name
			}
			got, err := secrets.UpdateValue(ctx, ring, secrets.StoredValue{Ref: ref, Ciphertext: ct, Plaintext: tt.current, Err: tt.decErr}, name, tt.newValue)
			if tt.wantErrIs != nil {
				require.ErrorIs(t, err, tt.wantErrIs)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Value)
			if tt.wantVersion == 0 {
				assert.Nil(t, got.Ciphertext)
				assert.Equal(t, ref.Version, got.Version)
				return
			}
			assert.Equal(t, tt.wantVersion, got.Version)
			assert.False(t, secrets.IsLegacyCiphertext(got.Ciphertext))
			// Sealed for the resulting name and version, bound to this developer and secret.
			to := secrets.ValueRef{DeveloperID: "dev", SecretID: "id1", Name: name, Version: tt.wantVersion}
			pt, err := secrets.OpenValue(ctx, ring, to, got.Ciphertext)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(pt))
			for _, wrong := range []secrets.ValueRef{ref, {DeveloperID: "dev", SecretID: "id1", Name: name, Version: tt.wantVersion + 1}} {
				if wrong == to {
					continue
				}
				_, err = secrets.OpenValue(ctx, ring, wrong, got.Ciphertext)
				assert.ErrorIs(t, err, secrets.ErrEncryption)
			}
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

	ref := secrets.ValueRef{DeveloperID: "dev", SecretID: "id", Name: "N", Version: 1}
	ct, err := secrets.SealValue(ctx, oldRing, ref, []byte("value"))
	require.NoError(t, err)
	for label, ct := range map[string][]byte{"current format": ct, "legacy format": secrets.SealLegacyValue(t, oldRing, ref, []byte("value"))} {
		out, ok, err := secrets.Reencrypt(ctx, oldRing, newRing, ref, ct)
		require.NoError(t, err, label)
		require.True(t, ok, label)
		id, err := secrets.KeyIDOf(out)
		require.NoError(t, err)
		assert.Equal(t, uint32(2), id, label)
		assert.False(t, secrets.IsLegacyCiphertext(out), label)
		pt, err := secrets.OpenValue(ctx, newRing, ref, out)
		require.NoError(t, err, label)
		assert.Equal(t, "value", string(pt), label)
	}

	// A ciphertext bound elsewhere does not decrypt: not ok, no error.
	out, ok, err := secrets.Reencrypt(ctx, oldRing, newRing, secrets.ValueRef{DeveloperID: "dev", SecretID: "other", Name: "N", Version: 1}, ct)
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
