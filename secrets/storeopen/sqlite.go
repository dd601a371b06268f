package storeopen

import (
	"context"
	"errors"

	"github.com/julepkit/julep/secrets"
)

func openSQLite(_ context.Context, _ string, _ secrets.MasterKey) (secrets.Store, error) {
	return nil, errors.New("sqlite store: not implemented yet (use memory:)")
}
