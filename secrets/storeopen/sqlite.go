package storeopen

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
)

// openSQLite opens sqlite:PATH; a leading ~/ is the home directory. The
// directory is created with mode 0700 and a new file with mode 0600.
func openSQLite(ctx context.Context, path string, master secrets.MasterKey) (secrets.Store, error) {
	return sqlite.Open(ctx, sqlitePath(path), master)
}

// sqlitePath is the file of sqlite:PATH (sqlite://PATH too); a leading ~/
// is the home directory.
func sqlitePath(path string) string {
	path = strings.TrimPrefix(strings.TrimSpace(path), "//")
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	return path
}
