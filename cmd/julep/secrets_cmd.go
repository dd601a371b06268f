package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/secrets"
)

// metaExpiresAt is the metadata key --expires-in writes (RFC 3339, UTC).
const metaExpiresAt = "expires_at"

const maxValueBytes = secrets.MaxValueBytes

var errValueTooLarge = fmt.Errorf("%w: the value read from stdin is larger than %d bytes", secrets.ErrInvalid, maxValueBytes)

// secretsCmd is the "julep secrets" group. History, rollback, rotate-key and
// rewrap join it later as further subcommands using a.withStore.
func (a *app) secretsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "secrets",
		Short: "Create, list, read, change and delete secrets",
		Args:  unknownSubcommand,
		RunE:  showHelp,
	}
	c.AddCommand(a.createCmd(), a.listCmd(), a.getCmd(), a.updateCmd(), a.deleteCmd(), a.exportCmd(), a.importCmd(),
		a.rotateKeyCmd(), a.rewrapCmd())
	return c
}

// oneName accepts exactly one positional argument, the secret name.
func oneName(cmd *cobra.Command, args []string) error {
	switch len(args) {
	case 1:
		return nil
	case 0:
		return usageErr(cmd, "missing the secret name: %s NAME", cmd.CommandPath())
	default:
		return usageErr(cmd, "expected one secret name, got %d arguments: %s NAME", len(args), cmd.CommandPath())
	}
}

// noArgs rejects positional arguments. For a command that takes a value it
// does not quote the argument: it is likely the value itself, typed after a
// flag that takes none (--value-stdin sk-...).
func noArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return nil
	case cmd.Flags().Lookup("value-stdin") != nil:
		return usageErr(cmd, "unexpected argument (not shown, it may be a secret value): %s takes no positional arguments; give the value on stdin with --value-stdin, or with --value VALUE",
			cmd.CommandPath())
	default:
		return usageErr(cmd, "unexpected argument %q", args[0])
	}
}

// valueFlags are --value and --value-stdin, shared by create and update.
type valueFlags struct {
	value string
	stdin bool
}

func (v *valueFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&v.value, "value", "", "the secret `VALUE` (prefer --value-stdin: command lines end up in shell history)")
	cmd.Flags().BoolVar(&v.stdin, "value-stdin", false, "read the value from stdin (all of it, minus one trailing newline)")
}

// read returns the value and whether one was given.
func (v *valueFlags) read(a *app, cmd *cobra.Command) (string, bool, error) {
	given := cmd.Flags().Changed("value")
	switch {
	case given && v.stdin:
		return "", false, usageErr(cmd, "use either --value or --value-stdin, not both")
	case v.stdin:
		s, err := readValue(a.stdin, a.stderr)
		return s, true, err
	case given:
		return v.value, true, nil
	}
	return "", false, nil
}

func (a *app) createCmd() *cobra.Command {
	var (
		name, description, expiresIn string
		metadata                     []string
		val                          valueFlags
	)
	c := &cobra.Command{
		Use:   "create --name NAME (--value VALUE | --value-stdin) [--description TEXT] [--metadata k=v]... [--expires-in 30d]",
		Short: "Create a secret",
		Example: `  printf '%s' "$KEY" | julep secrets create --name openai_api_key --value-stdin --description "OpenAI key"
  julep secrets create --name stripe_api_key --value-stdin --metadata environment=production --expires-in 90d < key.txt`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("name") || name == "" {
				return usageErr(cmd, "missing --name NAME (e.g. julep secrets create --name openai_api_key --value-stdin)")
			}
			md, err := parseMetadata(metadata)
			if err != nil {
				return usageErr(cmd, "%v", err)
			}
			if cmd.Flags().Changed("expires-in") {
				d, err := parseDuration(expiresIn)
				if err != nil {
					return usageErr(cmd, "--expires-in: %v", err)
				}
				if d == 0 {
					return usageErr(cmd, "--expires-in must be longer than 0 (e.g. 30d)")
				}
				if _, dup := md[metaExpiresAt]; dup {
					return usageErr(cmd, "give either --expires-in or --metadata %s=..., not both", metaExpiresAt)
				}
				if md == nil {
					md = map[string]any{}
				}
				md[metaExpiresAt] = a.now().Add(d).UTC().Format(time.RFC3339)
			}
			value, ok, err := val.read(a, cmd)
			if err != nil {
				return err
			}
			if !ok {
				return usageErr(cmd, "missing the value: give --value-stdin (recommended) or --value VALUE")
			}
			a.redactor.Add(name, value)
			return a.withStore(cmd.Context(), func(st secrets.Store, dev string) error {
				s, err := st.Create(cmd.Context(), dev, secrets.CreateParams{
					Name: name, Value: value, Description: description, Metadata: md,
				})
				if err != nil {
					return a.explain(fmt.Errorf("create secret %q: %w", name, err), name)
				}
				a.log.Info("secret created", "name", s.Name, "id", s.ID, "developer", dev, "version", s.Version)
				fmt.Fprintf(a.stdout, "Created secret %q (version %d).\n", s.Name, s.Version)
				return nil
			})
		},
	}
	f := c.Flags()
	f.StringVar(&name, "name", "", "the secret `NAME`: a letter, then letters, digits or _ (required)")
	val.register(c)
	f.StringVar(&description, "description", "", "`TEXT` saying what the secret is for")
	f.StringArrayVar(&metadata, "metadata", nil, "metadata `key=value` (repeatable; values are strings)")
	f.StringVar(&expiresIn, "expires-in", "", "set metadata expires_at this `DURATION` from now (units s, m, h, d, w; e.g. 30d)")
	return c
}

func (a *app) listCmd() *cobra.Command {
	var (
		limit, offset  int
		metadata       []string
		expiringWithin string
		asJSON         bool
	)
	c := &cobra.Command{
		Use:   "list [--limit N] [--offset N] [--metadata k=v]... [--expiring-within 7d] [--json]",
		Short: "List secrets (names, descriptions and metadata; never values)",
		Example: `  julep secrets list
  julep secrets list --metadata environment=production --json
  julep secrets list --expiring-within 7d`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 || limit > secrets.MaxListLimit {
				return usageErr(cmd, "--limit must be between 1 and %d (0: the default, %d), not %d", secrets.MaxListLimit, secrets.DefaultListLimit, limit)
			}
			if offset < 0 {
				return usageErr(cmd, "--offset must be 0 or more, not %d", offset)
			}
			md, err := parseMetadata(metadata)
			if err != nil {
				return usageErr(cmd, "%v", err)
			}
			var within time.Duration
			filterExpiry := cmd.Flags().Changed("expiring-within")
			if filterExpiry {
				if within, err = parseDuration(expiringWithin); err != nil {
					return usageErr(cmd, "--expiring-within: %v", err)
				}
			}
			return a.withStoreRead(cmd.Context(), func(st secrets.Store, dev string) error {
				now := a.now()
				var items []*secrets.Secret
				if filterExpiry {
					all, err := listAll(cmd.Context(), st, dev, md)
					if err != nil {
						return a.explain(err, "")
					}
					items = page(expiringWithinFilter(all, now, within), limit, offset)
				} else {
					items, err = st.List(cmd.Context(), dev, secrets.ListParams{Limit: limit, Offset: offset, Metadata: md})
					if err != nil {
						return a.explain(fmt.Errorf("list secrets: %w", err), "")
					}
				}
				a.log.Debug("secrets listed", "developer", dev, "count", len(items))
				if asJSON {
					return writeListJSON(a.stdout, items)
				}
				writeListTable(a.stdout, items, now, dev)
				return nil
			})
		},
	}
	f := c.Flags()
	f.IntVar(&limit, "limit", 0, fmt.Sprintf("at most `N` secrets, 1 to %d (0 or unset: %d)", secrets.MaxListLimit, secrets.DefaultListLimit))
	f.IntVar(&offset, "offset", 0, "skip the first `N` secrets (ordered by name)")
	f.StringArrayVar(&metadata, "metadata", nil, "keep secrets whose metadata has `key=value` (repeatable; all must match)")
	f.StringVar(&expiringWithin, "expiring-within", "", "keep secrets whose expires_at is within `DURATION` from now, or past (e.g. 7d)")
	f.BoolVar(&asJSON, "json", false, `print one JSON object {"items": [...]}`)
	return c
}

// listAll reads every page of a developer's secrets matching md.
func listAll(ctx context.Context, st secrets.Store, dev string, md map[string]any) ([]*secrets.Secret, error) {
	var all []*secrets.Secret
	for {
		p, err := st.List(ctx, dev, secrets.ListParams{Limit: secrets.MaxListLimit, Offset: len(all), Metadata: md})
		if err != nil {
			return nil, fmt.Errorf("list secrets: %w", err)
		}
		all = append(all, p...)
		if len(p) < secrets.MaxListLimit {
			return all, nil
		}
	}
}

// expiresAt returns a secret's metadata expires_at, if it has a valid one.
func expiresAt(s *secrets.Secret) (time.Time, bool) {
	v, ok := s.Metadata[metaExpiresAt].(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, err == nil
}

// expiringWithinFilter keeps the secrets that expire before now+within,
// including those already expired.
func expiringWithinFilter(items []*secrets.Secret, now time.Time, within time.Duration) []*secrets.Secret {
	limit := now.Add(within)
	var out []*secrets.Secret
	for _, s := range items {
		if t, ok := expiresAt(s); ok && !t.After(limit) {
			out = append(out, s)
		}
	}
	return out
}

// page applies limit and offset the way stores do.
func page(items []*secrets.Secret, limit, offset int) []*secrets.Secret {
	if limit == 0 {
		limit = secrets.DefaultListLimit
	}
	limit = min(limit, secrets.MaxListLimit)
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	return items[:min(limit, len(items))]
}

func (a *app) getCmd() *cobra.Command {
	var (
		version int
		asJSON  bool
	)
	c := &cobra.Command{
		Use:   "get NAME [--version N] [--json]",
		Short: "Show a secret, with its value",
		Example: `  julep secrets get openai_api_key
  julep secrets get openai_api_key --json | jq -r .value`,
		Args: oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			wantVersion := cmd.Flags().Changed("version")
			if wantVersion && version < 1 {
				return usageErr(cmd, "--version must be 1 or more, not %d", version)
			}
			return a.withStoreRead(cmd.Context(), func(st secrets.Store, dev string) error {
				s, err := st.Get(cmd.Context(), dev, name)
				if err != nil {
					return a.explain(fmt.Errorf("get secret %q: %w", name, err), name)
				}
				a.redactor.Add(s.Name, s.Value)
				if wantVersion && version != s.Version {
					return usageErr(cmd, "--version %d: reading an earlier version of a secret is not supported yet; secret %q is at version %d", version, name, s.Version)
				}
				a.log.Info("secret read", "name", s.Name, "id", s.ID, "developer", dev, "version", s.Version)
				if asJSON {
					return writeJSON(a.stdout, jsonSecret(s))
				}
				writeSecret(a.stdout, s, a.now())
				return nil
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "the version `N` to show (only the current version for now)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the secret as one JSON object")
	return c
}

func (a *app) updateCmd() *cobra.Command {
	var (
		description, newName string
		metadata             []string
		val                  valueFlags
	)
	c := &cobra.Command{
		Use:   "update NAME [--value VALUE | --value-stdin] [--description TEXT] [--metadata k=v]... [--new-name NAME]",
		Short: "Change a secret's value, description, metadata or name",
		Long: `Change a secret. Only the given fields change. A new value raises the
version by one. --metadata sets the given keys and keeps the others.`,
		Example: `  printf '%s' "$NEW_KEY" | julep secrets update openai_api_key --value-stdin
  julep secrets update stripe_api_key --metadata owner=payments-team
  julep secrets update stripe_api_key_tmp --new-name stripe_api_key`,
		Args: oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			md, err := parseMetadata(metadata)
			if err != nil {
				return usageErr(cmd, "%v", err)
			}
			var p secrets.UpdateParams
			value, ok, err := val.read(a, cmd)
			if err != nil {
				return err
			}
			if ok {
				a.redactor.Add(name, value)
				p.Value = &value
			}
			if cmd.Flags().Changed("description") {
				p.Description = &description
			}
			if cmd.Flags().Changed("new-name") {
				if newName == "" {
					return usageErr(cmd, "--new-name needs a name")
				}
				p.NewName = &newName
			}
			if p.Value == nil && p.Description == nil && p.NewName == nil && md == nil {
				return usageErr(cmd, "nothing to update: give --value, --value-stdin, --description, --metadata or --new-name")
			}
			if md != nil {
				// The store merges in the same transaction that writes, so
				// a concurrent change of other keys is never lost.
				p.Metadata, p.MergeMetadata = md, true
			}
			return a.withStore(cmd.Context(), func(st secrets.Store, dev string) error {
				ctx := cmd.Context()
				var before *secrets.Secret
				replacedDamaged := false
				if p.Value != nil {
					// Only to say whether the value changed: a failure here
					// (say, a tampered value being replaced) is left for
					// Update to report or fix.
					cur, err := st.Get(ctx, dev, name)
					if err == nil {
						before = cur
						a.redactor.Add(cur.Name, cur.Value)
					}
					replacedDamaged = errors.Is(err, secrets.ErrEncryption) && !errors.Is(err, secrets.ErrWrongMasterKey)
				}
				s, err := st.Update(ctx, dev, name, p)
				if err != nil {
					target := name
					if errors.Is(err, secrets.ErrAlreadyExists) && p.NewName != nil {
						target = *p.NewName
					}
					return a.explain(fmt.Errorf("update secret %q: %w", name, err), target)
				}
				a.redactor.Add(s.Name, s.Value) // the current value, decrypted by Update
				a.log.Info("secret updated", "name", s.Name, "id", s.ID, "developer", dev, "version", s.Version)
				if replacedDamaged {
					// Not silently: say that the old value is gone.
					a.log.Info("replaced a value that could not be decrypted", "name", s.Name, "id", s.ID, "developer", dev, "version", s.Version)
					fmt.Fprintf(a.stderr, "julep: note: the previous value of secret %q could not be decrypted (damaged or tampered with); it was replaced\n", s.Name)
				}
				switch {
				case p.NewName != nil && *p.NewName != name:
					fmt.Fprintf(a.stdout, "Renamed secret %q to %q (version %d).\n", name, s.Name, s.Version)
				case before != nil && p.Value != nil && s.Version == before.Version:
					fmt.Fprintf(a.stdout, "Updated secret %q (value unchanged, version %d).\n", s.Name, s.Version)
				default:
					fmt.Fprintf(a.stdout, "Updated secret %q (version %d).\n", s.Name, s.Version)
				}
				return nil
			})
		},
	}
	f := c.Flags()
	val.register(c)
	f.StringVar(&description, "description", "", "new description `TEXT` (an empty string clears it)")
	f.StringArrayVar(&metadata, "metadata", nil, "set metadata `key=value`, keeping other keys (repeatable)")
	f.StringVar(&newName, "new-name", "", "rename the secret to `NAME`")
	return c
}

func (a *app) deleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "delete NAME",
		Short:   "Delete a secret",
		Example: `  julep secrets delete openai_api_key`,
		Args:    oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			return a.withStore(cmd.Context(), func(st secrets.Store, dev string) error {
				if err := st.Delete(cmd.Context(), dev, name); err != nil {
					return a.explain(fmt.Errorf("delete secret %q: %w", name, err), name)
				}
				a.log.Info("secret deleted", "name", name, "developer", dev)
				fmt.Fprintf(a.stdout, "Deleted secret %q.\n", name)
				return nil
			})
		},
	}
}
