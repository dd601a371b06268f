package remote_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/secrets/remote"
	"github.com/julepkit/julep/server"
)

// Example uses a julep serve as a secrets.Store: the API key decides the
// developer, and errors are the store's sentinels.
func Example() {
	ctx := context.Background()
	master, _ := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "example")
	st, _ := memory.New(master)
	keys := apikeys.NewMemory()
	key, _, _ := apikeys.Create(ctx, keys, "dev-1", time.Now())
	srv, _ := server.New(server.Config{Store: st, Keys: keys})
	ts := httptest.NewServer(srv)
	defer ts.Close()

	var store secrets.Store
	store, err := remote.New(ts.URL, key) // or remote.FromEnv(os.Getenv)
	if err != nil {
		panic(err)
	}
	defer store.Close()
	s, _ := store.Create(ctx, "", secrets.CreateParams{Name: "api_token", Value: "tok-123456"})
	fmt.Println(s.Name, s.Version, s.DeveloperID)
	_, err = store.Get(ctx, "", "nope")
	fmt.Println(errors.Is(err, secrets.ErrNotFound))
	// Output:
	// api_token 1 dev-1
	// true
}
