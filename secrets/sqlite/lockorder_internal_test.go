package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

// TestRewrapLockOrder: a write transaction that must reload the keyring
// (another process rotated the data key) while Rewrap waits for the write
// lock must not stall until the busy timeout: Rewrap takes the write lock
// before the reload lock, as every write does.
func TestRewrapLockOrder(t *testing.T) {
	ctx := context.Background()
	mk := func() secrets.MasterKey {
		m, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
		require.NoError(t, err)
		return m
	}
	st, err := Open(ctx, filepath.Join(t.TempDir(), "secrets.db"), mk())
	require.NoError(t, err)
	defer st.Close()

	tx, err := st.db.BeginTx(ctx, nil) // a writer holding the write lock
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- st.Rewrap(ctx, mk()) }()
	time.Sleep(200 * time.Millisecond) // Rewrap now waits for the write lock

	reloaded := make(chan error, 1)
	go func() {
		_, err := st.reloadKeyring(ctx, tx)
		reloaded <- err
	}()
	select {
	case err := <-reloaded:
		require.NoError(t, err)
	case <-time.After(BusyTimeout / 2):
		t.Fatal("the writer's keyring reload waited for Rewrap, which waits for the writer")
	}
	require.NoError(t, tx.Commit())
	require.NoError(t, <-done)
	assert.Less(t, time.Since(start), BusyTimeout/2)
}
