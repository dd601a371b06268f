package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/apikeys/apikeystest"
	"github.com/julepkit/julep/apikeys/postgres"
	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/secrets"
	secretspg "github.com/julepkit/julep/secrets/postgres"
)

func TestContract(t *testing.T) {
	_, dsn := pgtest.Schema(t)
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apikeystest.Run(t, st)
}

// The keys live next to the secrets store's tables; a second handle (another
// server) sees a revocation at once.
func TestSharesTheSecretsDatabase(t *testing.T) {
	ctx := context.Background()
	_, dsn := pgtest.Schema(t)
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := secretspg.Open(ctx, dsn, master)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	a, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, dsn)
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
	var n int
	if err := ss.Pool().QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE hash = sha256($1::bytea)`, []byte(key)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the stored hash is SHA-256 of the key: %d, %v", n, err)
	}
}
