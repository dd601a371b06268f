package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/internal/dotenv"
	"github.com/julepkit/julep/secrets"
)

// Formats of "julep secrets export" and "julep secrets import".
const (
	formatEnv  = "env"
	formatJSON = "json"
	formatYAML = "yaml"
)

// importLimit bounds the size of an imported file.
const importLimit = 16 << 20

// isTerminal reports whether w is a terminal (not merely a character
// device such as /dev/null).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func (a *app) exportCmd() *cobra.Command {
	var (
		format string
		only   []string
		yes    bool
	)
	c := &cobra.Command{
		Use:   "export [--format env|json|yaml] [--only NAME,NAME] [--yes]",
		Short: "Print secrets with their values as a .env file, a JSON object or a YAML map",
		Long: `Print the developer's secrets (or those named by --only) with their
values, sorted by name: as a .env file (the default), a JSON object or a YAML
map of name to value. "julep secrets import" reads each format back.

This prints values: when stdout is a terminal julep asks for --yes first.`,
		Example: `  julep secrets export > .env
  julep secrets export --format json --only OPENAI_API_KEY,db_password > secrets.json
  julep secrets export --format yaml --store sqlite:old.db | julep secrets import - --format yaml --store sqlite:new.db`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case formatEnv, formatJSON, formatYAML:
			default:
				return usageErr(cmd, "--format %q: use env, json or yaml", format)
			}
			var names []string
			if cmd.Flags().Changed("only") {
				var err error
				if names, err = parseNames(only); err != nil {
					return usageErr(cmd, "--only: %v", err)
				}
				if len(names) == 0 {
					return usageErr(cmd, "--only needs at least one secret name")
				}
			}
			if !yes && isTerminal(a.stdout) {
				return usageErr(cmd, "export prints secret values and stdout is a terminal: redirect it to a file (julep secrets export > .env) or add --yes")
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(st secrets.Store, dev string) error {
				names, err := a.secretNames(ctx, st, dev, names)
				if err != nil {
					return err
				}
				got, err := a.fetchSecrets(ctx, st, dev, names)
				if err != nil {
					return err
				}
				values := make(map[string]string, len(got))
				for n, s := range got {
					values[n] = s.Value
				}
				a.log.Info("secrets exported", "developer", dev, "count", len(values), "format", format)
				return writeSecretValues(a.stdout, format, values)
			})
		},
	}
	c.Flags().StringVar(&format, "format", formatEnv, "output `FORMAT`: env, json or yaml")
	c.Flags().StringSliceVar(&only, "only", nil, "export only these secrets (comma-separated `NAMES`; repeatable)")
	c.Flags().BoolVar(&yes, "yes", false, "print the values even when stdout is a terminal")
	return c
}

// yaml11Words are the plain scalars that YAML 1.1 readers (PyYAML) take for
// booleans or null; secret names cannot look like numbers.
var yaml11Words = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// writeSecretValues writes name → value in format, sorted by name.
func writeSecretValues(w io.Writer, format string, values map[string]string) error {
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	slices.Sort(names)
	switch format {
	case formatEnv:
		entries := make([]dotenv.Entry, len(names))
		for i, n := range names {
			entries[i] = dotenv.Entry{Key: n, Value: values[n]}
		}
		if err := dotenv.Write(w, entries); err != nil {
			return fmt.Errorf("write .env: %w", err)
		}
		return nil
	case formatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(values); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		return nil
	default:
		var doc yaml.Node
		doc.Kind = yaml.MappingNode
		for _, n := range names {
			// Values always double-quoted: no YAML reader (1.1 or 1.2) can
			// take them for a number, a boolean or null, and every byte is
			// escaped. Names only when a YAML 1.1 reader would not see a
			// string.
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n}
			if yaml11Words[strings.ToLower(n)] {
				key.Style = yaml.DoubleQuotedStyle
			}
			doc.Content = append(doc.Content, key,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: values[n], Style: yaml.DoubleQuotedStyle})
		}
		if len(names) == 0 {
			doc.Style = yaml.FlowStyle
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return fmt.Errorf("write YAML: %w", err)
		}
		return enc.Close()
	}
}

// importItem is one name and value read from an imported file; where says
// where it was ("line 3", or the JSON key).
type importItem struct {
	name, value, where string
}

func (a *app) importCmd() *cobra.Command {
	var (
		format            string
		dryRun, overwrite bool
	)
	c := &cobra.Command{
		Use:   "import FILE [--format env|json|yaml] [--dry-run] [--overwrite]",
		Short: "Create secrets from a .env file, a JSON object or a YAML map",
		Long: `Create a secret for each name and value in FILE ("-" reads stdin): a .env
file, a JSON object or a YAML map of name to value (strings; numbers and
booleans are taken as written). The format comes from --format, else from
the file's extension (.json, .yaml or .yml; anything else is read as .env
unless it starts with "{").

Names that already exist are an error listing them all, and nothing is
written, unless --overwrite replaces their values. --dry-run shows what
would be created and updated (names only) and writes nothing.`,
		Example: `  julep secrets import .env --dry-run
  julep secrets import .env
  julep secrets import secrets.json --overwrite`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(cmd, "expected one file: julep secrets import FILE (\"-\" for stdin)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			switch format {
			case "", formatEnv, formatJSON, formatYAML:
			default:
				return usageErr(cmd, "--format %q: use env, json or yaml", format)
			}
			data, err := a.readImport(file)
			if err != nil {
				return err
			}
			if format == "" {
				format = guessFormat(file, data)
			}
			items, err := parseImport(format, data)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if err := checkImport(file, items); err != nil {
				return err
			}
			for _, it := range items {
				a.redactor.Add(it.name, it.value)
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(st secrets.Store, dev string) error {
				all, err := listAll(ctx, st, dev, nil)
				if err != nil {
					return a.explain(err, "")
				}
				exists := make(map[string]bool, len(all))
				for _, s := range all {
					exists[s.Name] = true
				}
				var conflicts []string
				for _, it := range items {
					if exists[it.name] {
						conflicts = append(conflicts, it.name)
					}
				}
				if len(conflicts) > 0 && !overwrite {
					return &ConflictError{Developer: dev, Names: conflicts}
				}
				if dryRun {
					for _, it := range items {
						verb := "create"
						if exists[it.name] {
							verb = "update"
						}
						fmt.Fprintf(a.stdout, "would %s %s\n", verb, it.name)
					}
					fmt.Fprintf(a.stdout, "Dry run: %d secrets in %s (%d to create, %d to update); nothing was written.\n",
						len(items), file, len(items)-len(conflicts), len(conflicts))
					return nil
				}
				var created, updated, unchanged int
				var done []string
				for _, it := range items {
					if exists[it.name] {
						before, err := st.Get(ctx, dev, it.name)
						if err == nil {
							a.redactor.Add(before.Name, before.Value)
						}
						v := it.value
						s, err := st.Update(ctx, dev, it.name, secrets.UpdateParams{Value: &v})
						if err != nil {
							return a.explain(partialImport(it.name, done, err), it.name)
						}
						if before != nil && before.Version == s.Version {
							unchanged++
							fmt.Fprintf(a.stdout, "unchanged %s\n", it.name)
						} else {
							updated++
							fmt.Fprintf(a.stdout, "updated %s (version %d)\n", it.name, s.Version)
						}
					} else {
						if _, err := st.Create(ctx, dev, secrets.CreateParams{Name: it.name, Value: it.value}); err != nil {
							return a.explain(partialImport(it.name, done, err), it.name)
						}
						created++
						fmt.Fprintf(a.stdout, "created %s\n", it.name)
					}
					done = append(done, it.name)
				}
				a.log.Info("secrets imported", "developer", dev, "created", created, "updated", updated, "unchanged", unchanged)
				fmt.Fprintf(a.stdout, "Imported %d secrets from %s: %d created, %d updated, %d unchanged.\n",
					len(items), file, created, updated, unchanged)
				return nil
			})
		},
	}
	c.Flags().StringVar(&format, "format", "", "the file's `FORMAT`: env, json or yaml (default: from the extension)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show the names that would be created or updated; write nothing")
	c.Flags().BoolVar(&overwrite, "overwrite", false, "replace the values of secrets that already exist")
	return c
}

// ConflictError lists the imported names that already exist. It unwraps to
// secrets.ErrAlreadyExists.
type ConflictError struct {
	Developer string
	Names     []string
}

func (e *ConflictError) Error() string {
	q := make([]string, len(e.Names))
	for i, n := range e.Names {
		q[i] = fmt.Sprintf("%q", n)
	}
	noun, verb := "secret", "exists"
	if len(e.Names) > 1 {
		noun, verb = "secrets", "exist"
	}
	return fmt.Sprintf("%s %s already %s for developer %q; nothing was imported (add --overwrite to replace their values)",
		noun, strings.Join(q, ", "), verb, e.Developer)
}

func (e *ConflictError) Unwrap() error { return secrets.ErrAlreadyExists }

// partialImport wraps a write error with what was already written.
func partialImport(name string, done []string, err error) error {
	if len(done) == 0 {
		return fmt.Errorf("import secret %q: %w (nothing was written)", name, err)
	}
	return fmt.Errorf("import secret %q: %w (already written: %s)", name, err, strings.Join(done, ", "))
}

// readImport reads FILE, or stdin for "-".
func (a *app) readImport(file string) ([]byte, error) {
	var r io.Reader = a.stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, importLimit+1))
	if err != nil {
		return nil, fmt.Errorf("import: read %s: %w", file, err)
	}
	if len(data) > importLimit {
		return nil, fmt.Errorf("%w: import: %s is larger than %d bytes", secrets.ErrInvalid, file, importLimit)
	}
	return data, nil
}

// guessFormat picks the format of an imported file by its extension, else
// by its first character.
func guessFormat(file string, data []byte) string {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		return formatJSON
	case ".yaml", ".yml":
		return formatYAML
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return formatJSON
	}
	return formatEnv
}

// parseImport reads the names and values of a file in format. Errors say
// where, never what value.
func parseImport(format string, data []byte) ([]importItem, error) {
	switch format {
	case formatJSON:
		return parseJSONImport(data)
	case formatYAML:
		return parseYAMLImport(data)
	default:
		entries, err := dotenv.Parse(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", secrets.ErrInvalid, err)
		}
		items := make([]importItem, len(entries))
		for i, e := range entries {
			items[i] = importItem{name: e.Key, value: e.Value, where: fmt.Sprintf("line %d", e.Line)}
		}
		return items, nil
	}
}

// parseJSONImport reads one JSON object of name to string (or number or
// boolean, taken as written).
func parseJSONImport(data []byte) ([]importItem, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", secrets.ErrInvalid, fmt.Sprintf(format, args...))
	}
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, invalid("expected a JSON object of secret name to value")
	}
	var items []importItem
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, invalid("bad JSON at byte %d", dec.InputOffset())
		}
		name, _ := tok.(string)
		tok, err = dec.Token()
		if err != nil {
			return nil, invalid("bad JSON in the value of %q (byte %d)", name, dec.InputOffset())
		}
		var value string
		switch v := tok.(type) {
		case string:
			value = v
		case json.Number:
			value = v.String()
		case bool:
			value = fmt.Sprint(v)
		case nil:
			return nil, invalid("the value of %q is null: give a string", name)
		default: // an object or array
			return nil, invalid("the value of %q is not a string", name)
		}
		items = append(items, importItem{name: name, value: value, where: fmt.Sprintf("key %q", name)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, invalid("bad JSON at byte %d", dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid("unexpected data after the JSON object")
	}
	return items, nil
}

// parseYAMLImport reads one YAML map of name to scalar.
func parseYAMLImport(data []byte) ([]importItem, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml's messages quote only a line number and a short token.
		return nil, fmt.Errorf("%w: %v", secrets.ErrInvalid, err)
	}
	if doc.Kind == 0 {
		return nil, nil // empty file
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%w: line %d: expected a YAML map of secret name to value", secrets.ErrInvalid, m.Line)
	}
	var items []importItem
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%w: line %d: a key must be a secret name", secrets.ErrInvalid, k.Line)
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return nil, fmt.Errorf("%w: line %d: the value of %q must be a string", secrets.ErrInvalid, v.Line, k.Value)
		}
		items = append(items, importItem{name: k.Value, value: v.Value, where: fmt.Sprintf("line %d", k.Line)})
	}
	return items, nil
}

// checkImport validates every name and value and finds repeated names,
// reporting all problems at once (names and places, never values).
func checkImport(file string, items []importItem) error {
	var problems []error
	seen := map[string]string{}
	for _, it := range items {
		if err := secrets.ValidateName(it.name); err != nil {
			problems = append(problems, fmt.Errorf("%s: %s: %w", file, it.where, err))
			continue
		}
		if first, dup := seen[it.name]; dup {
			problems = append(problems, fmt.Errorf("%w: %s: %s: %q is given again (first at %s)", secrets.ErrInvalid, file, it.where, it.name, first))
			continue
		}
		seen[it.name] = it.where
		if err := secrets.ValidateValue(it.value); err != nil {
			problems = append(problems, fmt.Errorf("%s: %s: value of %q: %w", file, it.where, it.name, err))
		}
	}
	if len(items) == 0 {
		problems = append(problems, fmt.Errorf("%w: %s holds no secrets", secrets.ErrInvalid, file))
	}
	return errors.Join(problems...)
}
