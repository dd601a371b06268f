package storeopen_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

func TestOpenMemory(t *testing.T) {
	t.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	t.Setenv(secrets.EnvMasterKeyFile, "")
	ctx := context.Background()
	st, err := storeopen.Open(ctx, "memory:")
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "token-1"})
	require.NoError(t, err)
	got, err := st.Get(ctx, "dev", "API_KEY")
	require.NoError(t, err)
	assert.True(t, got.Value == "token-1", "value round trip")
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	t.Setenv(secrets.EnvMasterKey, "")
	t.Setenv(secrets.EnvMasterKeyFile, "")
	_, err := storeopen.Open(ctx, "memory:")
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")
	assert.Contains(t, err.Error(), "julep keygen")

	_, err = storeopen.Open(ctx, "postgres://user:hunter2@db/x")
	require.ErrorIs(t, err, storeopen.ErrPostgresNotImplemented)
	assert.NotContains(t, err.Error(), "hunter2")

	_, err = storeopen.Open(ctx, "mysql://user:hunter2@db/x")
	require.ErrorIs(t, err, storeopen.ErrBadSpec)
	assert.NotContains(t, err.Error(), "hunter2")

	t.Setenv(secrets.EnvMasterKey, "not base64!")
	_, err = storeopen.Open(ctx, "memory:")
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), "JULEP_MASTER_KEY")
}
