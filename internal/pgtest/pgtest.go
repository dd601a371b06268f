// Package pgtest gives tests a private schema in a real PostgreSQL server.
//
// The server is $JULEP_TEST_POSTGRES, by default
// postgres://postgres@127.0.0.1:5432/test (trust authentication, as CI
// sets it up). The database is created when missing. Each call of Schema
// makes a fresh schema, dropped when the test ends, so that concurrent test
// runs never see each other's tables.
//
// When no server answers, tests are skipped with a message saying so,
// unless the CI environment variable is set: in CI an unreachable server is
// a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EnvDSN names the variable holding the test server's connection URL.
const EnvDSN = "JULEP_TEST_POSTGRES"

// DefaultDSN is the test server when EnvDSN is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN returns the test server's connection URL.
func DSN() string {
	if d := os.Getenv(EnvDSN); d != "" {
		return d
	}
	return DefaultDSN
}

// Connect opens a plain connection to the test database, creating the
// database when it does not exist. It skips or fails t when no server
// answers (see the package comment).
func Connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, DSN())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "3D000" { // invalid_catalog_name: no such database
		err = createDatabase(ctx)
		if err == nil {
			conn, err = pgx.Connect(ctx, DSN())
		}
	}
	if err != nil {
		unreachable(t, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func unreachable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("PostgreSQL test server %s not usable (CI is set, so this fails instead of skipping): %v", redacted(), err)
	}
	t.Skipf("SKIPPED: PostgreSQL test server %s not reachable (set %s to another server; with CI set this fails): %v", redacted(), EnvDSN, err)
}

func redacted() string {
	u, err := url.Parse(DSN())
	if err != nil {
		return "(unparsable " + EnvDSN + ")"
	}
	return u.Redacted()
}

// createDatabase creates the database named by DSN through the server's
// "postgres" database; a concurrent creation by another test process is fine.
func createDatabase(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(DSN())
	if err != nil {
		return err
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42P04" || pe.Code == "23505") { // duplicate_database, or lost the race
		return nil
	}
	return err
}

// Schema creates a fresh, empty schema and returns its name and a
// connection URL whose search_path selects it. The schema is dropped, with
// everything in it, when the test ends.
func Schema(t testing.TB) (name, dsn string) {
	t.Helper()
	conn := Connect(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name = "julep_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), DSN())
		if err != nil {
			t.Logf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", name, err)
		}
	})
	return name, WithSearchPath(DSN(), name)
}

// WithSearchPath returns dsn (a URL) with search_path set to schema.
func WithSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
