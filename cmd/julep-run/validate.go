package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/steps"
)

func init() { register(newValidateCmd) }

type validateOptions struct {
	strict  bool
	json    bool
	secrets string
}

func newValidateCmd(a *app) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate TASK.yaml... [--strict] [--json] [--secrets SOURCE]",
		Short: "Check task files: structure, step kinds, expressions, references",
		Long: `validate loads each task file (Julep's native form or the "kind:" form) and
reports every problem it finds, not just the first: YAML syntax (at the real
line), unknown keys and step kinds (with a "did you mean" hint), wrong types,
duplicate keys, expressions that do not compile (at the line and column
inside the string), yields to undefined workflows, undefined tools, names
out of scope, secrets sent to a model.

Errors are printed to stdout, one per line, as FILE:LINE:COL: error: message;
warnings and notes go to stderr. The exit code is 0 when no file has an error
(warnings alone do not fail), 1 otherwise.

--strict also reports, as errors, what Julep itself rejects although we
accept it: lambda, set comprehensions, :=, starred arguments, sorted,
reversed, filter, str.format.

--json prints one JSON array of every finding, in Julep's validation shape
with the position added: [{"location": "workflows.main.steps[2].evaluate.x",
"message", "severity", "type", "line", "column", "file", "path"}].

--secrets SOURCE reports the secrets the steps reference that SOURCE lacks:
env (process environment), file:PATH (a JSON or YAML map of name to value;
only the names are read), none (no secret is available).`,
		Example: `  julep-run validate task.yaml
  julep-run validate --strict tasks/*.yaml
  julep-run validate --json task.yaml
  julep-run validate --secrets file:secrets.json task.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr(cmd, "validate needs at least one task file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return a.validate(cmd, o, args) },
	}
	f := cmd.Flags()
	f.BoolVar(&o.strict, "strict", false, "also report constructs that Julep itself rejects")
	f.BoolVar(&o.json, "json", false, "print all findings as one JSON array")
	f.StringVar(&o.secrets, "secrets", "", "report referenced secrets missing from `SOURCE`: env, file:PATH or none")
	return cmd
}

// secretNames tells whether a secret source has a name.
type secretNames func(name string) bool

// openSecretNames opens a --secrets source for name lookups; why completes
// "secret NAME ..." for a missing name.
//
// TODO: switch to the resolver package's SecretSource (store, env, file,
// none) when it lands, so that "store" works here too.
func (a *app) openSecretNames(cmd *cobra.Command, spec string) (secretNames, string, error) {
	switch {
	case spec == "env":
		return func(n string) bool { return a.getenv(n) != "" }, "is not set in the environment (--secrets env)", nil
	case spec == "none":
		return func(string) bool { return false }, "is needed but no secret is available (--secrets none)", nil
	case strings.HasPrefix(spec, "file:"):
		path := strings.TrimPrefix(spec, "file:")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("secrets source: %w", err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			// The decoder's message may quote the file; never print it.
			return nil, "", fmt.Errorf("secrets source %s: not a JSON or YAML map of name to value", path)
		}
		return func(n string) bool { _, ok := m[n]; return ok }, "is not in " + path + " (--secrets file:)", nil
	case spec == "store":
		return nil, "", usageErr(cmd, "--secrets store is not supported by validate yet: use env, file:PATH or none")
	}
	return nil, "", usageErr(cmd, "--secrets %q: use env, file:PATH or none", spec)
}

// jsonFinding is one finding in --json output.
type jsonFinding struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
	Type     string `json:"type"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	File     string `json:"file"`
	Path     string `json:"path,omitempty"`
}

func (a *app) validate(cmd *cobra.Command, o validateOptions, files []string) error {
	var has secretNames
	var why string
	if o.secrets != "" {
		var err error
		if has, why, err = a.openSecretNames(cmd, o.secrets); err != nil {
			return err
		}
	}
	opts := steps.Options{Strict: o.strict}
	var all steps.Errors
	for _, file := range files {
		task, err := opts.Load(file)
		var errs steps.Errors
		switch {
		case task != nil:
			all = append(all, task.Findings...)
		case errors.As(err, &errs):
			all = append(all, errs...)
		case err != nil:
			all = append(all, &steps.Error{File: file, Msg: err.Error(), Severity: steps.SeverityError, Type: "io"})
		}
		if task != nil && has != nil {
			all = append(all, missingSecrets(task, has, why)...)
		}
	}
	all.Sort()
	if o.json {
		out := make([]jsonFinding, 0, len(all))
		for _, e := range all {
			out = append(out, jsonFinding{Location: e.Location, Message: e.Msg, Severity: e.Severity.String(),
				Type: e.Type, Line: e.Line, Column: e.Column, File: e.File, Path: e.Path})
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return failure(fmt.Errorf("write output: %w", err), "")
		}
	} else {
		for _, e := range all {
			var w io.Writer = a.stderr
			if e.Severity == steps.SeverityError {
				w = a.stdout
			}
			fmt.Fprintln(w, e.Error())
		}
	}
	if all.HasErrors() {
		return silentFailure()
	}
	return nil
}

// missingSecrets reports, at each step that needs them, the secret names
// the source lacks.
func missingSecrets(t *steps.Task, has secretNames, why string) steps.Errors {
	var out steps.Errors
	refs := t.SecretRefs()
	paths := make([]string, 0, len(refs))
	for p := range refs {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	// The first place each step (or tool spec, path "") uses each secret.
	type key struct{ path, name string }
	first := map[key]steps.SecretUse{}
	for _, u := range t.SecretUses() {
		if _, ok := first[key{u.Path, u.Name}]; !ok {
			first[key{u.Path, u.Name}] = u
		}
	}
	for _, p := range paths {
		s := t.Step(p)
		if s == nil {
			continue
		}
		for _, name := range refs[p] {
			if has(name) {
				continue
			}
			u, ok := first[key{p, name}]
			if !ok {
				u, ok = first[key{"", name}] // from the called tool's spec
			}
			if !ok {
				u = steps.SecretUse{Pos: s.Pos(), Location: t.Location(p)}
			}
			pos := u.Pos
			out = append(out, &steps.Error{File: pos.File, Line: pos.Line, Column: pos.Column, Path: p,
				Location: u.Location,
				Msg:      fmt.Sprintf("secret %q %s", name, why),
				Severity: steps.SeverityError, Type: "missing_secret"})
		}
	}
	return out
}
