package storeopen

import (
	"context"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
)

// openPostgres opens a postgres:// (or postgresql://) spec: the whole spec
// is the connection URL pgx reads (search_path=NAME selects the schema).
func openPostgres(ctx context.Context, spec string, master secrets.MasterKey) (secrets.Store, error) {
	return postgres.Open(ctx, spec, master)
}
