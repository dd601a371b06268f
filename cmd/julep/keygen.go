package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/spf13/cobra"
)

// masterKeyBytes is the size of a master key: an AES-256 key.
const masterKeyBytes = 32

// newMasterKey returns 32 random bytes from crypto/rand in standard base64.
func newMasterKey() (string, error) {
	b := make([]byte, masterKeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func (a *app) keygenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "keygen",
		Short: "Print a new random master key",
		Long: `Print a new master key: 32 random bytes in standard base64. Keep it outside
the store (a password manager, your deployment's secret manager) and give it
to julep in JULEP_MASTER_KEY or in a file named by JULEP_MASTER_KEY_FILE.
Secrets written under one key can only be read with that key.`,
		Example: `  export JULEP_MASTER_KEY="$(julep keygen)"
  (umask 077; julep keygen > ~/.julep/master.key) && export JULEP_MASTER_KEY_FILE=~/.julep/master.key`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := newMasterKey()
			if err != nil {
				return fmt.Errorf("keygen: %w", err)
			}
			a.log.Debug("master key generated")
			_, err = fmt.Fprintln(a.stdout, k)
			return err
		},
	}
}
