// Package storeopen opens a secrets.Store from a store spec, as given by
// JULEP_STORE or --store:
//
//	memory:            in-process store (tests; lost on exit)
//	sqlite:PATH        embedded SQLite file (the default)
//	postgres://…       PostgreSQL shared by many workers (secrets/postgres);
//	                   the spec is the connection URL, search_path=NAME picks the schema
//
// Every store needs the master key, read from JULEP_MASTER_KEY or
// JULEP_MASTER_KEY_FILE when the store is opened.
package storeopen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/secrets/sqlite"
)

// Environment variables that select the store.
const (
	// EnvStore holds a store spec; it overrides the default.
	EnvStore = "JULEP_STORE"
	// EnvHome is the directory of local state (default ~/.julep).
	EnvHome = "JULEP_HOME"
	// EnvDeveloper is the developer id local CLI use acts as (default "default").
	EnvDeveloper = "JULEP_DEVELOPER"
	// DefaultDeveloperID is the developer id when JULEP_DEVELOPER is unset.
	DefaultDeveloperID = "default"
)

// Developer returns $JULEP_DEVELOPER, or DefaultDeveloperID when unset.
func Developer() string {
	return DeveloperEnv(os.Getenv)
}

// DeveloperEnv is Developer with a custom environment.
func DeveloperEnv(getenv func(string) string) string {
	if d := strings.TrimSpace(getenv(EnvDeveloper)); d != "" {
		return d
	}
	return DefaultDeveloperID
}

// ErrBadSpec is wrapped by errors about a spec that names no known store.
var ErrBadSpec = errors.New("bad store spec")

// DefaultSpec returns JULEP_STORE when set, else sqlite:$JULEP_HOME/secrets.db
// with JULEP_HOME defaulting to ~/.julep. It does not create anything.
func DefaultSpec() (string, error) {
	return DefaultSpecEnv(os.Getenv)
}

// DefaultSpecEnv is DefaultSpec with a custom environment.
func DefaultSpecEnv(getenv func(string) string) (string, error) {
	if s := strings.TrimSpace(getenv(EnvStore)); s != "" {
		return s, nil
	}
	home, err := HomeEnv(getenv)
	if err != nil {
		return "", err
	}
	return "sqlite:" + filepath.Join(home, "secrets.db"), nil
}

// Home returns $JULEP_HOME, or ~/.julep when unset.
func Home() (string, error) {
	return HomeEnv(os.Getenv)
}

// HomeEnv is Home with a custom environment.
func HomeEnv(getenv func(string) string) (string, error) {
	if h := getenv(EnvHome); h != "" {
		return h, nil
	}
	u, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for the default store (set %s or %s): %w", EnvHome, EnvStore, err)
	}
	return filepath.Join(u, ".julep"), nil
}

// Open opens the store named by spec with the master key from the
// environment (secrets.MasterKeyFromEnv). A missing or malformed master key
// is an error wrapping secrets.ErrEncryption.
func Open(ctx context.Context, spec string) (secrets.Store, error) {
	return OpenEnv(ctx, spec, os.Getenv)
}

// OpenEnv is Open with a custom environment (for the master key variables).
func OpenEnv(ctx context.Context, spec string, getenv func(string) string) (secrets.Store, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	master, err := secrets.MasterKeyFromLookup(func(k string) (string, bool) {
		v := getenv(k)
		return v, v != ""
	})
	if err != nil {
		return nil, err
	}
	return OpenWithKey(ctx, spec, master)
}

// OpenExisting is Open for commands that only read (list, get, a
// dry-run): it creates nothing. A sqlite: path with no store is an error
// wrapping secrets.ErrNoStore, and opening takes no write lock (see
// sqlite.OpenExisting). memory: and postgres:// open as with Open.
func OpenExisting(ctx context.Context, spec string) (secrets.Store, error) {
	return OpenExistingEnv(ctx, spec, os.Getenv)
}

// OpenExistingEnv is OpenExisting with a custom environment.
func OpenExistingEnv(ctx context.Context, spec string, getenv func(string) string) (secrets.Store, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	if scheme, rest := splitSpec(spec); scheme == "sqlite" {
		// Say "no store" before asking for a master key.
		path := sqlitePath(rest)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s", secrets.ErrNoStore, path)
		}
	}
	master, err := secrets.MasterKeyFromLookup(func(k string) (string, bool) {
		v := getenv(k)
		return v, v != ""
	})
	if err != nil {
		return nil, err
	}
	return openWithKey(ctx, spec, master, true)
}

// OpenWithKey is Open with an explicit master key.
func OpenWithKey(ctx context.Context, spec string, master secrets.MasterKey) (secrets.Store, error) {
	return openWithKey(ctx, spec, master, false)
}

// openWithKey opens spec; existing opens a sqlite store only to read.
func openWithKey(ctx context.Context, spec string, master secrets.MasterKey, existing bool) (secrets.Store, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	scheme, rest := splitSpec(spec)
	switch scheme {
	case "memory":
		return memory.New(master)
	case "sqlite":
		if existing {
			return sqlite.OpenExisting(ctx, sqlitePath(rest), master)
		}
		return openSQLite(ctx, rest, master)
	default: // postgres or postgresql, as checkSpec allows
		return openPostgres(ctx, strings.TrimSpace(spec), master)
	}
}

func splitSpec(spec string) (scheme, rest string) {
	spec = strings.TrimSpace(spec)
	scheme, rest, _ = strings.Cut(spec, ":")
	return strings.ToLower(scheme), rest
}

// checkSpec rejects unknown specs before the master key is read. Errors
// name only the scheme: a spec may carry a password.
func checkSpec(spec string) error {
	scheme, rest := splitSpec(spec)
	switch scheme {
	case "memory":
		return nil
	case "sqlite":
		if strings.TrimSpace(rest) == "" {
			return fmt.Errorf("%w: sqlite: needs a file path, as in sqlite:/path/to/secrets.db", ErrBadSpec)
		}
		return nil
	case "postgres", "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return fmt.Errorf("%w: %s: want a URL, as in postgres://user@host:5432/dbname", ErrBadSpec, scheme)
		}
		return nil
	case "":
		return fmt.Errorf("%w: empty: want memory:, sqlite:PATH or postgres://…", ErrBadSpec)
	default:
		return fmt.Errorf("%w: unknown store %q: want memory:, sqlite:PATH or postgres://…", ErrBadSpec, scheme)
	}
}

// Warnings returns what to tell the user about the files behind spec and
// the master key: the master key file (JULEP_MASTER_KEY_FILE, when it is
// the key's source) and a sqlite store file that group or others can read.
// The docs ask for mode 0600 on both.
func Warnings(spec string, getenv func(string) string) []string {
	var out []string
	if getenv(secrets.EnvMasterKey) == "" {
		if p := getenv(secrets.EnvMasterKeyFile); p != "" {
			if perm, exposed := secrets.ExposedFile(p); exposed {
				out = append(out, fmt.Sprintf("master key file %s is readable by group or others (mode %04o): chmod 600 %s", p, perm, p))
			}
		}
	}
	if scheme, rest := splitSpec(spec); scheme == "sqlite" {
		p := sqlitePath(rest)
		if perm, exposed := secrets.ExposedFile(p); exposed {
			out = append(out, fmt.Sprintf("secret store %s is readable by group or others (mode %04o): chmod 600 %s", p, perm, p))
		}
	}
	return out
}
