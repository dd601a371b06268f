package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/server"
)

// Example serves the API over a memory store and creates a secret with an
// API key, as the SDKs do.
func Example() {
	ctx := context.Background()
	master, _ := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "example")
	st, _ := memory.New(master)
	defer st.Close()
	keys := apikeys.NewMemory()
	key, _, _ := apikeys.Create(ctx, keys, "dev-1", time.Now())

	srv, err := server.New(server.Config{Store: st, Keys: keys})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv) // julep serve uses srv.Run(ctx, listener, cert, key)
	defer ts.Close()

	req, _ := http.NewRequest("POST", ts.URL+"/secrets", strings.NewReader(`{"name": "api_token", "value": "tok-123456"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.Status)

	res, _ = http.Get(ts.URL + "/secrets") // no key
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Print(res.StatusCode, " ", string(body))
	// Output:
	// 201 Created
	// 401 {"error":{"code":"unauthorized","message":"missing API key: send the header Authorization: Bearer <key> (create a key with: julep apikeys create)"}}
}
