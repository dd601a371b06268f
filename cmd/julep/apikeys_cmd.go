package main

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
)

// apikeysCmd is "julep apikeys": keys for "julep serve", kept (hashed) in
// the same database as the secrets.
func (a *app) apikeysCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "apikeys",
		Short: "Create, list and revoke API keys for julep serve",
		Long: `API keys authenticate callers of "julep serve". Each key acts as one
developer. Only a SHA-256 hash of each key is stored (in the store's
database), so a key is shown once, when it is created. Revoked keys are
refused from the next request on.`,
		Args: unknownSubcommand,
		RunE: showHelp,
	}
	c.AddCommand(a.apikeysCreateCmd(), a.apikeysListCmd(), a.apikeysRevokeCmd())
	return c
}

// withKeys opens the API key store of the configured store spec.
func (a *app) withKeys(cmd *cobra.Command, f func(ks apikeys.Store) error) (err error) {
	spec, err := a.spec()
	if err != nil {
		return err
	}
	ks, err := openKeys(cmd.Context(), spec)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ks.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close API key store: %w", cerr)
		}
	}()
	return f(ks)
}

// developerFlag returns --developer, or the local developer.
func (a *app) developerFlag(cmd *cobra.Command, dev string) (string, error) {
	if !cmd.Flags().Changed("developer") {
		dev = a.developer()
	}
	if err := apikeys.ValidateDeveloper(dev); err != nil {
		return "", usageErr(cmd, "--developer: %v", err)
	}
	return dev, nil
}

func (a *app) apikeysCreateCmd() *cobra.Command {
	var dev string
	c := &cobra.Command{
		Use:   "create [--developer ID]",
		Short: "Create an API key; prints only the key, once",
		Example: `  julep apikeys create --developer dev-1 > dev-1.key
  export JULEP_API_KEY="$(julep apikeys create)"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dev, err := a.developerFlag(cmd, dev)
			if err != nil {
				return err
			}
			return a.withKeys(cmd, func(ks apikeys.Store) error {
				key, rec, err := apikeys.Create(cmd.Context(), ks, dev, a.now())
				if err != nil {
					return err
				}
				a.redactor.Add("api_key", key)
				a.log.Info("API key created", "id", rec.ID, "developer", dev)
				fmt.Fprintln(a.stdout, key)
				fmt.Fprintf(a.stderr, "julep: created API key %s for developer %q; it is shown only this once (revoke it with: julep apikeys revoke %s)\n", rec.ID, dev, rec.ID)
				return nil
			})
		},
	}
	c.Flags().StringVar(&dev, "developer", "", "the developer `ID` the key acts as (default $JULEP_DEVELOPER, else \"default\")")
	return c
}

// keyJSON is one key in "apikeys list --json".
type keyJSON struct {
	ID          string     `json:"id"`
	DeveloperID string     `json:"developer_id"`
	CreatedAt   time.Time  `json:"created_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
}

func (a *app) apikeysListCmd() *cobra.Command {
	var (
		dev    string
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "list [--developer ID] [--json]",
		Short: "List API keys (ids, developers, times; never the keys)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("developer") {
				if err := apikeys.ValidateDeveloper(dev); err != nil {
					return usageErr(cmd, "--developer: %v", err)
				}
			}
			return a.withKeys(cmd, func(ks apikeys.Store) error {
				keys, err := ks.List(cmd.Context(), dev)
				if err != nil {
					return err
				}
				if asJSON {
					doc := struct {
						Items []keyJSON `json:"items"`
					}{Items: []keyJSON{}}
					for _, k := range keys {
						doc.Items = append(doc.Items, keyJSON{k.ID, k.DeveloperID, k.CreatedAt, k.RevokedAt})
					}
					return writeJSON(a.stdout, doc)
				}
				if len(keys) == 0 {
					fmt.Fprintln(a.stdout, "No API keys (create one: julep apikeys create --developer ID).")
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tDEVELOPER\tCREATED\tSTATUS")
				for _, k := range keys {
					status := "active"
					if k.RevokedAt != nil {
						status = "revoked " + k.RevokedAt.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.DeveloperID, k.CreatedAt.Format(time.RFC3339), status)
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().StringVar(&dev, "developer", "", "only the keys of developer `ID` (default: every developer)")
	c.Flags().BoolVar(&asJSON, "json", false, `print one JSON object {"items": [...]}`)
	return c
}

func (a *app) apikeysRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "revoke ID",
		Short:   "Revoke an API key (refused from the next request on)",
		Example: `  julep apikeys revoke 3f2a9c0d11e4`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(cmd, "want one key id: %s ID (see: julep apikeys list)", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if k, ok := apikeys.ParseID(id); ok {
				id = k // a whole key was given: revoke it by its id, never print it
			} else if !apikeys.ValidID(id) {
				// Not quoted: it may be (part of) a key.
				return usageErr(cmd, "the argument is not an API key id (12 hex digits, as julep apikeys list shows)")
			}
			return a.withKeys(cmd, func(ks apikeys.Store) error {
				if err := ks.Revoke(cmd.Context(), id, a.now()); err != nil {
					if errors.Is(err, apikeys.ErrNotFound) {
						return &friendlyError{
							msg: fmt.Sprintf("API key %q not found (see: julep apikeys list)", id),
							err: errors.Join(err, secrets.ErrNotFound), // exit 3, as for secrets
						}
					}
					return err
				}
				a.log.Info("API key revoked", "id", id)
				fmt.Fprintf(a.stdout, "Revoked API key %s.\n", id)
				return nil
			})
		},
	}
}
