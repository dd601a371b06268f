// Package apikeystest is the contract test every apikeys.Store runs.
package apikeystest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
)

// Run checks create, check, list and revoke against a fresh store.
func Run(t *testing.T, st apikeys.Store) {
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ka, reca, err := apikeys.Create(ctx, st, "dev-a", now)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	kb, _, err := apikeys.Create(ctx, st, "dev-b", now.Add(time.Second))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !strings.HasPrefix(ka, apikeys.Prefix+reca.ID+"_") || len(ka) < 40 {
		t.Fatalf("key shape: want %s<id>_<secret>", apikeys.Prefix)
	}
	got, err := apikeys.Check(ctx, st, ka)
	if err != nil || got.DeveloperID != "dev-a" || got.ID != reca.ID {
		t.Fatalf("check key a: %+v, %v", got, err)
	}
	if !got.CreatedAt.Equal(now) {
		t.Errorf("created_at %v, want %v", got.CreatedAt, now)
	}
	if got, err := apikeys.Check(ctx, st, kb); err != nil || got.DeveloperID != "dev-b" {
		t.Fatalf("check key b: %+v, %v", got, err)
	}
	bad := []string{"", "jk_", ka[:len(ka)-1], ka + "x", strings.Replace(ka, reca.ID, "000000000000", 1),
		"Bearer " + ka, strings.Repeat("a", 1000)}
	for _, b := range bad {
		if _, err := apikeys.Check(ctx, st, b); !errors.Is(err, apikeys.ErrInvalidKey) {
			t.Errorf("check of a bad key: %v, want ErrInvalidKey", err)
		} else if strings.Contains(err.Error(), ka[17:]) {
			t.Errorf("error message holds the key's secret part")
		}
	}
	all, err := st.List(ctx, "")
	if err != nil || len(all) != 2 {
		t.Fatalf("list all: %d, %v", len(all), err)
	}
	mine, err := st.List(ctx, "dev-a")
	if err != nil || len(mine) != 1 || mine[0].ID != reca.ID {
		t.Fatalf("list dev-a: %+v, %v", mine, err)
	}
	if err := st.Revoke(ctx, reca.ID, now.Add(time.Hour)); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if err := st.Revoke(ctx, reca.ID, now.Add(2*time.Hour)); err != nil {
		t.Fatalf("revoke again: %v", err)
	}
	if _, err := apikeys.Check(ctx, st, ka); !errors.Is(err, apikeys.ErrRevoked) {
		t.Fatalf("check of a revoked key: %v, want ErrRevoked", err)
	}
	k, err := st.ByID(ctx, reca.ID)
	if err != nil || k.RevokedAt == nil || !k.RevokedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("revoked_at keeps the first revocation: %+v, %v", k, err)
	}
	if _, err := apikeys.Check(ctx, st, kb); err != nil {
		t.Fatalf("other keys stay valid: %v", err)
	}
	if err := st.Revoke(ctx, "ffffffffffff", now); !errors.Is(err, apikeys.ErrNotFound) {
		t.Fatalf("revoke unknown: %v, want ErrNotFound", err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
}
