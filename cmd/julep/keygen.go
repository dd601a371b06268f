package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/secrets"
)

func (a *app) keygenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "keygen",
		Short: "Print a new random master key",
		Long: `Print a new master key: 32 random bytes in standard base64. Keep it outside
the store (a password manager, your deployment's secret manager) and give it
to julep in JULEP_MASTER_KEY or in a file named by JULEP_MASTER_KEY_FILE.
Secrets written under one key can only be read with that key.`,
		Example: `  export JULEP_MASTER_KEY="$(julep keygen)"
  # ~/.julep does not exist before the first store is created: make it private first.
  mkdir -p -m 700 ~/.julep && (umask 077; julep keygen > ~/.julep/master.key) && export JULEP_MASTER_KEY_FILE=~/.julep/master.key`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.log.Debug("master key generated")
			_, err := fmt.Fprintln(a.stdout, secrets.GenerateMasterKey())
			return err
		},
	}
}
