package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/internal/cli"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

// Exit codes: the names both commands share (internal/cli).
const (
	exitOK         = cli.ExitOK
	exitGeneral    = cli.ExitFailure
	exitUsage      = cli.ExitUsage
	exitNotFound   = cli.ExitNotFound
	exitExists     = cli.ExitExists
	exitInvalid    = cli.ExitInvalid
	exitEncryption = cli.ExitEncryption
)

// usageErr builds a usage error (a *cli.UsageError) for cmd, which may be
// nil.
func usageErr(cmd *cobra.Command, format string, args ...any) error {
	return cli.Usage(cmd, format, args...)
}

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case cli.IsUsage(err):
		return exitUsage
	case errors.Is(err, secrets.ErrNotFound):
		return exitNotFound
	case errors.Is(err, secrets.ErrAlreadyExists):
		return exitExists
	case errors.Is(err, secrets.ErrInvalid):
		return exitInvalid
	case errors.Is(err, secrets.ErrEncryption):
		return exitEncryption
	default:
		return exitGeneral
	}
}

// friendlyError replaces an error's message with one written for the user
// while keeping the original error in the chain for errors.Is.
type friendlyError struct {
	msg string
	err error
}

func (e *friendlyError) Error() string { return e.msg }
func (e *friendlyError) Unwrap() error { return e.err }

// explain turns a store error about the secret called name (empty when the
// error is not about one secret) into a message that says what to do. Other
// errors keep the store's message, which names secrets and never values.
func (a *app) explain(err error, name string) error {
	if err == nil {
		return nil
	}
	dev := a.developer()
	var msg string
	switch {
	case errors.Is(err, secrets.ErrNotFound) && name != "":
		msg = fmt.Sprintf("secret %q not found for developer %q (see: julep secrets list)", name, dev)
	case errors.Is(err, secrets.ErrAlreadyExists) && name != "":
		msg = fmt.Sprintf("secret %q already exists for developer %q (change it with: julep secrets update %s, or choose another name)", name, dev, name)
	case errors.Is(err, secrets.ErrNoStore):
		msg = fmt.Sprintf("%s: check %s, %s or --store; a store is created by the first write (julep secrets create --name NAME --value-stdin)",
			strings.TrimPrefix(err.Error(), "open store: "), storeopen.EnvHome, envStore)
	case errors.Is(err, secrets.ErrNoMasterKey):
		msg = fmt.Sprintf("no master key: set %s to a key made by \"julep keygen\" (or %s to the path of a file holding one), and use that same key every time with this store",
			secrets.EnvMasterKey, secrets.EnvMasterKeyFile)
	case errors.Is(err, secrets.ErrWrongMasterKey):
		// Its message names the key's source and says what to do.
		return err
	case errors.Is(err, secrets.ErrEncryption) && name != "":
		// The store opened, so the master key is right: this secret's
		// stored value is what fails.
		why := "its stored value does not authenticate: it was changed or damaged outside julep, or copied from another secret"
		var uk *secrets.UnknownKeyError
		if errors.As(err, &uk) {
			why = fmt.Sprintf("its stored value is sealed with data key %d, which is not in this store's keyring", uk.KeyID)
		}
		msg = fmt.Sprintf("secret %q cannot be decrypted (%s); restore the store from a backup, or replace the value with: julep secrets update %s --value-stdin",
			name, why, name)
	case errors.Is(err, secrets.ErrPermissionDenied):
		msg = fmt.Sprintf("%v (developer %q may not do this)", err, dev)
	default:
		return err
	}
	return &friendlyError{msg: msg, err: err}
}
