package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets/storeopen"
	"github.com/julepkit/julep/steps"
)

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
store (the configured store, JULEP_STORE, as developer JULEP_DEVELOPER), env
(process environment), file:PATH (a JSON or YAML map of name to value), none
(no secret is available). Secret values are never printed.`,
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
	f.StringVar(&o.secrets, "secrets", "", "report referenced secrets missing from `SOURCE`: store, env, file:PATH or none")
	return cmd
}

// secretCheck reports which of a task's secret names a --secrets source
// lacks. Values are fetched (the sources have no presence-only lookup) but
// never printed or kept.
type secretCheck struct {
	src resolver.SecretSource
	dev string
	why string // completes "secret NAME ..." for a missing name
}

// openSecretCheck opens the --secrets source like dry-run does (store, env,
// file:PATH, none).
func (a *app) openSecretCheck(ctx context.Context, cmd *cobra.Command, spec string) (*secretCheck, func(), error) {
	src, err := a.drySource(ctx, spec)
	if err != nil {
		if errors.Is(err, resolver.ErrBadSource) {
			return nil, nil, usageErr(cmd, "--secrets: %v", err)
		}
		return nil, nil, failure(err, "")
	}
	closeFn := func() {
		if c, ok := src.(io.Closer); ok {
			_ = c.Close()
		}
		if ss, ok := src.(resolver.StoreSource); ok {
			if c, ok := ss.Store.(io.Closer); ok {
				_ = c.Close()
			}
		}
	}
	dev := storeopen.DeveloperEnv(a.getenv)
	why := "is not in the secrets store of developer " + strconv.Quote(dev) + " (--secrets store)"
	switch {
	case spec == "env":
		why = "is not set in the environment (--secrets env)"
	case spec == "none":
		why = "is needed but no secret is available (--secrets none)"
	case strings.HasPrefix(spec, "file:"):
		why = "is not in " + strings.TrimPrefix(spec, "file:") + " (--secrets file:)"
	}
	return &secretCheck{src: src, dev: dev, why: why}, closeFn, nil
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
	var check *secretCheck
	if o.secrets != "" {
		var closeFn func()
		var err error
		if check, closeFn, err = a.openSecretCheck(cmd.Context(), cmd, o.secrets); err != nil {
			return err
		}
		defer closeFn()
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
		if task != nil && check != nil {
			missing, err := check.missing(cmd.Context(), task)
			if err != nil {
				return failure(fmt.Errorf("%s: checking secrets: %w", file, err), "")
			}
			all = append(all, missing...)
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

// missing reports, at the first reference in each step that needs them,
// the secret names the source lacks (one presence check per task).
func (sc *secretCheck) missing(ctx context.Context, t *steps.Task) (steps.Errors, error) {
	var out steps.Errors
	refs := t.SecretRefs()
	var names []string
	for _, ns := range refs {
		for _, n := range ns {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	slices.Sort(names)
	present, err := resolver.Present(ctx, sc.src, sc.dev, names) // names only: no value is read
	if err != nil {
		return nil, err
	}
	has := func(n string) bool { return present[n] }
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
				Msg:      fmt.Sprintf("secret %q %s", name, sc.why),
				Severity: steps.SeverityError, Type: "missing_secret"})
		}
	}
	return out, nil
}
