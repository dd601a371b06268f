package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
)

// A worker opens the shared store (migrating its schema if needed), keeps a
// cache of secret values that every change made by any process drops, and
// resolves through it. (Not run: it needs a server.)
func ExampleStore_Watch() {
	ctx := context.Background()
	master, err := secrets.MasterKeyFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	st, err := postgres.Open(ctx, os.Getenv("JULEP_STORE"), master) // postgres://user@host/db?search_path=julep
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	w := st.Watch(postgres.WatchOptions{})
	defer w.Close()
	cache := resolver.NewNotifiedCache(resolver.StoreSource{Store: st}, 5*time.Minute, w)
	values, err := cache.Fetch(ctx, "dev-1", []string{"openai_api_key"})
	if err != nil {
		log.Fatal(err) // the database is down: fail closed
	}
	fmt.Println(len(values))
}

// Rotating the data key from a program, with progress, while workers run.
// (Not run: it needs a server.)
func ExampleStore_RotateDataKey() {
	ctx := context.Background()
	master, err := secrets.MasterKeyFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	st, err := postgres.Open(ctx, os.Getenv("JULEP_STORE"), master)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	res, err := st.RotateDataKey(ctx, secrets.RotateOptions{BatchSize: 500, Progress: func(done, total int) {
		log.Printf("%d of %d re-encrypted", done, total)
	}})
	if err != nil {
		log.Fatal(err) // run again to resume
	}
	fmt.Println(res.KeyID, res.Resumed, res.Reencrypted)
}
