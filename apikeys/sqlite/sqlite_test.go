package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/apikeys/apikeystest"
	"github.com/julepkit/julep/apikeys/sqlite"
	"github.com/julepkit/julep/secrets"
	secretsqlite "github.com/julepkit/julep/secrets/sqlite"
)

func TestContract(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "secrets.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apikeystest.Run(t, st)
}

// The keys live in the secrets store's file, next to its tables, and only
// their hashes are written; another process sees a revocation at once.
func TestSharesTheSecretsFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.db")
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := secretsqlite.Open(ctx, path, master)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	a, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, path) // as the server would
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	key, rec, err := apikeys.Create(ctx, a, "dev", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apikeys.Check(ctx, b, key); err != nil {
		t.Fatalf("the other handle sees the key: %v", err)
	}
	if err := a.Revoke(ctx, rec.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := apikeys.Check(ctx, b, key); err == nil {
		t.Fatal("the other handle still accepts a revoked key")
	}
	if _, err := ss.Create(ctx, "dev", secrets.CreateParams{Name: "x", Value: "value-x"}); err != nil {
		t.Fatalf("the secrets store still works: %v", err)
	}
	_ = a.Close()
	_ = b.Close()
	_ = ss.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(key[len(apikeys.Prefix)+13:])) {
		t.Fatal("the database file holds the key")
	}
}
