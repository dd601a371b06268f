package apikeys_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/apikeys/apikeystest"
)

func TestMemory(t *testing.T) { apikeystest.Run(t, apikeys.NewMemory()) }

func TestValidateDeveloper(t *testing.T) {
	for _, c := range []struct {
		id string
		ok bool
	}{{"default", true}, {"dev-1@x", true}, {"", false}, {"a b", false}, {"é", false}, {string(make([]byte, 256)), false}} {
		err := apikeys.ValidateDeveloper(c.id)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, apikeys.ErrInvalidDeveloper)) {
			t.Errorf("ValidateDeveloper(%q) = %v, want ok=%v", c.id, err, c.ok)
		}
	}
}

func TestKeysDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k, rec, err := apikeys.Generate("d", time.Now())
		if err != nil || seen[k] || seen[rec.ID] {
			t.Fatalf("generate: duplicate or error %v", err)
		}
		seen[k], seen[rec.ID] = true, true
	}
}

func Example() {
	ctx := context.Background()
	st := apikeys.NewMemory()
	key, rec, _ := apikeys.Create(ctx, st, "dev-1", time.Now()) // show key once; only its hash is kept
	got, err := apikeys.Check(ctx, st, key)
	fmt.Println(got.DeveloperID, got.ID == rec.ID, err)
	_ = st.Revoke(ctx, rec.ID, time.Now())
	_, err = apikeys.Check(ctx, st, key)
	fmt.Println(errors.Is(err, apikeys.ErrRevoked))
	// Output:
	// dev-1 true <nil>
	// true
}
