package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
	"github.com/julepkit/julep/secrets/storetest"
)

var ctx = context.Background()

type harness struct {
	dsn    string
	st     *postgres.Store
	raw    *pgx.Conn
	master secrets.MasterKey
}

func (h *harness) Store() secrets.Store      { return h.st }
func (h *harness) Master() secrets.MasterKey { return h.master }

func (h *harness) Ciphertext(t testing.TB, id string) []byte {
	t.Helper()
	var ct []byte
	require.NoError(t, h.raw.QueryRow(ctx, `SELECT value FROM secrets WHERE id = $1`, id).Scan(&ct))
	return ct
}

func (h *harness) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	tag, err := h.raw.Exec(ctx, sql, args...)
	require.NoError(t, err)
	require.Equal(t, int64(1), tag.RowsAffected(), "no such secret")
}

func (h *harness) SetCiphertext(t testing.TB, id string, ct []byte) {
	if ct == nil {
		ct = []byte{}
	}
	h.exec(t, `UPDATE secrets SET value = $1 WHERE id = $2`, ct, id)
}

func (h *harness) SetName(t testing.TB, id, name string) {
	h.exec(t, `UPDATE secrets SET name = $1 WHERE id = $2`, name, id)
}

func (h *harness) Reopen(_ testing.TB, master secrets.MasterKey) (secrets.Store, error) {
	return postgres.Open(ctx, h.dsn, master)
}

func testKey(t testing.TB) secrets.MasterKey {
	m, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	return m
}

// newHarness opens a store in a fresh schema of the test server.
func newHarness(t testing.TB) *harness {
	schema, dsn := pgtest.Schema(t)
	master := testKey(t)
	st, err := postgres.Open(ctx, dsn, master)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	raw, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close(ctx) })
	assert.Equal(t, schema, st.Schema())
	return &harness{dsn: dsn, st: st, raw: raw, master: master}
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness { return newHarness(t) })
}
