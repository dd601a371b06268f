package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

// progressEvery is the least time between two progress lines of rotate-key.
const progressEvery = time.Second

// keyManager returns the store as a secrets.KeyManager, or an error saying
// the store cannot rotate (a remote store: rotate on the server's store).
func keyManager(st secrets.Store) (secrets.KeyManager, error) {
	km, ok := st.(secrets.KeyManager)
	if !ok {
		return nil, fmt.Errorf("this store (%T) cannot rotate keys: run the command where the store is opened directly (not through %s)", st, envBaseURL)
	}
	return km, nil
}

func (a *app) rotateKeyCmd() *cobra.Command {
	var batch int
	var quiet bool
	c := &cobra.Command{
		Use:   "rotate-key [--batch N] [--quiet]",
		Short: "Make a new data key and re-encrypt every secret under it",
		Long: `rotate-key makes a new data key, makes it the one new values are sealed
with, and re-encrypts every secret under it in batches (each batch a short
transaction: other processes keep reading and writing the store meanwhile).
Old data keys stay in the keyring. Progress goes to stderr.

If it is stopped halfway (Ctrl-C, kill -9, a lost connection), every secret
stays readable, under the old key or the new one; run rotate-key again and
it finishes the same rotation instead of making yet another key.

Secrets whose stored value does not decrypt (damaged or tampered with) are
left as they are, under their old key, and named in the error (exit 6).`,
		Example: `  julep secrets rotate-key
  JULEP_STORE=postgres://julep@db/julep julep secrets rotate-key --batch 500`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if batch < 0 {
				return usageErr(cmd, "--batch must be 1 or more (0 for the default %d), not %d", secrets.DefaultRotateBatch, batch)
			}
			return a.withStore(cmd.Context(), func(st secrets.Store, _ string) error {
				km, err := keyManager(st)
				if err != nil {
					return err
				}
				var last time.Time
				opts := secrets.RotateOptions{BatchSize: batch, Progress: func(done, total int) {
					if quiet || time.Since(last) < progressEvery {
						return
					}
					last = time.Now()
					fmt.Fprintf(a.stderr, "rotate-key: %d of %d secrets re-encrypted\n", done, max(total, done))
				}}
				res, err := km.RotateDataKey(cmd.Context(), opts)
				var failures *secrets.ReencryptError
				switch {
				case err == nil || errors.As(err, &failures):
					// Finished (perhaps leaving undecryptable secrets behind).
				case res.KeyID == 0:
					return a.explain(err, "") // nothing started
				default:
					return fmt.Errorf("rotate-key stopped after re-encrypting %d secrets under data key %d; every secret stays readable; run julep secrets rotate-key again to finish: %w",
						res.Reencrypted, res.KeyID, err)
				}
				a.log.Info("data key rotated", "key_id", res.KeyID, "reencrypted", res.Reencrypted, "resumed", res.Resumed)
				if res.Resumed {
					fmt.Fprintf(a.stdout, "Resumed the unfinished rotation to data key %d: re-encrypted %d secrets.\n", res.KeyID, res.Reencrypted)
				} else {
					fmt.Fprintf(a.stdout, "Data key %d is active: re-encrypted %d secrets.\n", res.KeyID, res.Reencrypted)
				}
				if err != nil {
					return a.explain(err, "")
				}
				return nil
			})
		},
	}
	c.Flags().IntVar(&batch, "batch", 0, fmt.Sprintf("secrets re-encrypted per transaction (default %d)", secrets.DefaultRotateBatch))
	c.Flags().BoolVar(&quiet, "quiet", false, "print no progress lines")
	return c
}

func (a *app) rewrapCmd() *cobra.Command {
	var keyFile string
	c := &cobra.Command{
		Use:   "rewrap [--new-master-key-file PATH]",
		Short: "Move the keyring to a new master key",
		Long: `rewrap wraps the store's keyring (its data keys) under a new master key, in
one transaction; secret values are not touched. The current master key comes
from ` + secrets.EnvMasterKey + ` or ` + secrets.EnvMasterKeyFile + `, the new one from ` + secrets.EnvNewMasterKey + `
or the file named by --new-master-key-file (make it with "julep keygen").

Processes that have the store open keep working with the keys they hold;
give them the new master key before they restart. Running rewrap again once
it is done (the store already opens with the new key) changes nothing.`,
		Example: `  export JULEP_NEW_MASTER_KEY="$(julep keygen)"
  julep secrets rewrap && export JULEP_MASTER_KEY="$JULEP_NEW_MASTER_KEY"
  julep secrets rewrap --new-master-key-file /run/secrets/julep-master-key-2`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			newMaster, err := a.newMasterKey(cmd, keyFile)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.store(ctx, false)
			if errors.Is(err, secrets.ErrWrongMasterKey) {
				// Maybe an earlier rewrap to this key already happened.
				if done := a.alreadyRewrapped(ctx, newMaster); done {
					fmt.Fprintf(a.stdout, "The keyring is already wrapped under the new master key (fingerprint %s): nothing to do.\n", newMaster.Fingerprint())
					return nil
				}
			}
			if err != nil {
				return a.explain(err, "")
			}
			defer st.Close()
			km, err := keyManager(st)
			if err != nil {
				return err
			}
			if err := km.Rewrap(ctx, newMaster); err != nil {
				return a.explain(err, "")
			}
			a.log.Info("keyring re-wrapped", "fingerprint", newMaster.Fingerprint())
			fmt.Fprintf(a.stdout, "Re-wrapped the keyring under the new master key (fingerprint %s).\nFrom now on open this store with the new key (set %s to it); running processes keep working until they restart.\n",
				newMaster.Fingerprint(), secrets.EnvMasterKey)
			return nil
		},
	}
	c.Flags().StringVar(&keyFile, "new-master-key-file", "", "read the new master key from `PATH` (instead of "+secrets.EnvNewMasterKey+")")
	return c
}

// newMasterKey reads the key rewrap moves to: --new-master-key-file or
// JULEP_NEW_MASTER_KEY, exactly one of them, and not the current key.
func (a *app) newMasterKey(cmd *cobra.Command, keyFile string) (secrets.MasterKey, error) {
	env := strings.TrimSpace(a.getenv(secrets.EnvNewMasterKey))
	var m secrets.MasterKey
	var err error
	switch {
	case keyFile != "" && env != "":
		return m, usageErr(cmd, "give the new master key either in %s or with --new-master-key-file, not both", secrets.EnvNewMasterKey)
	case keyFile != "":
		b, rerr := os.ReadFile(keyFile)
		if rerr != nil {
			return m, fmt.Errorf("%w: --new-master-key-file: cannot read the new master key: %v", secrets.ErrEncryption, rerr)
		}
		m, err = secrets.ParseMasterKey(string(b), "--new-master-key-file ("+keyFile+")")
	case env != "":
		m, err = secrets.ParseMasterKey(env, secrets.EnvNewMasterKey)
	default:
		return m, usageErr(cmd, "no new master key: set %s to a key made by \"julep keygen\", or give --new-master-key-file PATH", secrets.EnvNewMasterKey)
	}
	if err != nil {
		return m, err
	}
	cur, cerr := secrets.MasterKeyFromLookup(func(k string) (string, bool) { v := a.getenv(k); return v, v != "" })
	if cerr == nil && cur.Fingerprint() == m.Fingerprint() {
		return m, usageErr(cmd, "the new master key is the current one (fingerprint %s): make a new one with \"julep keygen\"", m.Fingerprint())
	}
	return m, nil
}

// alreadyRewrapped reports whether the store opens with newMaster (an
// earlier rewrap finished).
func (a *app) alreadyRewrapped(ctx context.Context, newMaster secrets.MasterKey) bool {
	spec, err := a.spec()
	if err != nil {
		return false
	}
	st, err := storeopen.OpenWithKey(ctx, spec, newMaster)
	if err != nil {
		return false
	}
	_ = st.Close()
	return true
}
