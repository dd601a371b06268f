package memory_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/secrets/storetest"
)

type harness struct {
	db     *memory.DB
	st     *memory.Store
	master secrets.MasterKey
}

func (h *harness) Store() secrets.Store      { return h.st }
func (h *harness) Master() secrets.MasterKey { return h.master }

func (h *harness) Ciphertext(t testing.TB, id string) []byte {
	ct, ok := h.db.Ciphertext(id)
	require.True(t, ok, "no secret %s", id)
	return ct
}

func (h *harness) SetCiphertext(t testing.TB, id string, ct []byte) {
	require.True(t, h.db.SetCiphertext(id, ct), "no secret %s", id)
}

func (h *harness) SetName(t testing.TB, id, name string) {
	require.True(t, h.db.SetName(id, name), "no secret %s", id)
}

func (h *harness) Reopen(_ testing.TB, master secrets.MasterKey) (secrets.Store, error) {
	return memory.Open(h.db, master)
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
		require.NoError(t, err)
		db := memory.NewDB()
		st, err := memory.Open(db, master)
		require.NoError(t, err)
		return &harness{db: db, st: st, master: master}
	})
}
