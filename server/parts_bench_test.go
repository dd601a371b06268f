package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	apisqlite "github.com/julepkit/julep/apikeys/sqlite"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
)

// BenchmarkParts measures the two store reads behind every GET
// /secrets/{name} on SQLite: the API key check and the secret's Get. (Most
// of a Get is modernc.org/sqlite preparing and finalizing the statement on
// every query, even through a prepared *sql.Stmt.)
func BenchmarkParts(b *testing.B) {
	ctx := context.Background()
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "s.db")
	st, err := sqlite.Open(ctx, path, master)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	keys, err := apisqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer keys.Close()
	key, _, err := apikeys.Create(ctx, keys, "d", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Create(ctx, "d", secrets.CreateParams{Name: "x", Value: "value-x-123"}); err != nil {
		b.Fatal(err)
	}
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if _, err := apikeys.Check(ctx, keys, key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Get(ctx, "d", "x"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
