package remote_test

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/remote"
	"github.com/julepkit/julep/secrets/sqlite"
	"github.com/julepkit/julep/secrets/storetest"
	"github.com/julepkit/julep/server"
)

// harness runs the store contract through the REST API: a real server over
// loopback, a SQLite store behind it, and one API key per developer.
type harness struct {
	path   string
	raw    *sql.DB
	master secrets.MasterKey
	st     *perDeveloper
}

func (h *harness) Store() secrets.Store      { return h.st }
func (h *harness) Master() secrets.MasterKey { return h.master }
func (h *harness) Ciphertext(t testing.TB, id string) []byte {
	var ct []byte
	require.NoError(t, h.raw.QueryRow(`SELECT value FROM secrets WHERE id = ?`, id).Scan(&ct))
	return ct
}
func (h *harness) SetCiphertext(t testing.TB, id string, ct []byte) {
	if ct == nil {
		ct = []byte{}
	}
	_, err := h.raw.Exec(`UPDATE secrets SET value = ? WHERE id = ?`, ct, id)
	require.NoError(t, err)
}

func (h *harness) SetName(t testing.TB, id, name string) {
	_, err := h.raw.Exec(`UPDATE secrets SET name = ? WHERE id = ?`, name, id)
	require.NoError(t, err)
}

// Reopen opens the server's store directly (the master key lives on the
// server, not in the client).
func (h *harness) Reopen(_ testing.TB, master secrets.MasterKey) (secrets.Store, error) {
	return sqlite.Open(context.Background(), h.path, master)
}

// perDeveloper is a secrets.Store that sends each developer's calls with
// that developer's API key (a remote.Client ignores the developer id: the
// key decides).
type perDeveloper struct {
	url  string
	keys apikeys.Store
	mu   sync.Mutex
	cs   map[string]*remote.Client
}

func (p *perDeveloper) client(dev string) *remote.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.cs[dev]; ok {
		return c
	}
	key, _, err := apikeys.Create(context.Background(), p.keys, dev, time.Now())
	if err != nil {
		panic(err)
	}
	c, err := remote.New(p.url, key)
	if err != nil {
		panic(err)
	}
	p.cs[dev] = c
	return c
}

func (p *perDeveloper) Create(ctx context.Context, dev string, cp secrets.CreateParams) (*secrets.Secret, error) {
	return p.client(dev).Create(ctx, dev, cp)
}
func (p *perDeveloper) Get(ctx context.Context, dev, name string) (*secrets.Secret, error) {
	return p.client(dev).Get(ctx, dev, name)
}
func (p *perDeveloper) GetByID(ctx context.Context, dev, id string) (*secrets.Secret, error) {
	return p.client(dev).GetByID(ctx, dev, id)
}
func (p *perDeveloper) List(ctx context.Context, dev string, lp secrets.ListParams) ([]*secrets.Secret, error) {
	return p.client(dev).List(ctx, dev, lp)
}
func (p *perDeveloper) Update(ctx context.Context, dev, name string, up secrets.UpdateParams) (*secrets.Secret, error) {
	return p.client(dev).Update(ctx, dev, name, up)
}
func (p *perDeveloper) Delete(ctx context.Context, dev, name string) error {
	return p.client(dev).Delete(ctx, dev, name)
}
func (p *perDeveloper) Close() error { return nil }

func newHarness(t *testing.T) *harness {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "secrets.db")
	st, err := sqlite.Open(context.Background(), path, master)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	keys := apikeys.NewMemory()
	srv, err := server.New(server.Config{Store: st, Keys: keys})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &harness{path: path, raw: st.DB(), master: master,
		st: &perDeveloper{url: ts.URL, keys: keys, cs: map[string]*remote.Client{}}}
}

// TestContract: the remote client, through a real server, keeps the whole
// store contract (errors, paging, metadata merge, isolation, tampering).
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness { return newHarness(t) })
}
