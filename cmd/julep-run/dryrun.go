package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/resolver/dryrun"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
	"github.com/julepkit/julep/steps"
)

type dryRunOptions struct {
	input   string
	mocks   []string
	secrets string
	json    bool
}

func newDryRunCmd(a *app) *cobra.Command {
	var o dryRunOptions
	cmd := &cobra.Command{
		Use:   "dry-run TASK.yaml [--input JSON|@FILE] [--mock STEP_PATH=JSON]... [--secrets SOURCE] [--json]",
		Short: "Resolve every step of a task (secrets, expressions, credentials) without running it",
		Long: `dry-run loads and validates a task file, then resolves every step as a
worker would, without calling any tool or model: the secrets each step
needs are fetched (one batch per step), every expression is evaluated, tool
calls are laid out as they would be sent (an api_call tool's method, url,
headers merged with the step's with the tool's winning, params and json; an
integration's provider, method, setup and arguments), and prompt steps show
the model and the provider key they would use.

Secret values are never printed: a secret shows as [REDACTED:<name>], a
string computed from one shows its other parts ("Bearer [REDACTED:token]"),
or [REDACTED]. Fields that depend on step outputs not given with --mock are
shown as deferred, with their expression.

Every secret the task needs that SOURCE lacks is listed with the step paths
that need it, and the exit code is then 1 (also for task or expression
errors).`,
		Example: `  julep-run dry-run task.yaml --secrets file:secrets.yaml
  julep-run dry-run task.yaml --input '{"city": "Paris"}' --mock 'main[0]={"temperature": 21}'
  julep-run dry-run task.yaml --secrets env --json`,
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(cmd, "dry-run takes exactly one task file (got %d)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return a.dryRun(cmd, o, args[0]) },
	}
	f := cmd.Flags()
	// The flags' help is here only: cobra lists it under "Flags:".
	f.StringVar(&o.input, "input", "", "the execution input as `JSON|@FILE` (steps[0].input, _ of the first step); without it, what reads the input is deferred")
	f.StringArrayVar(&o.mocks, "mock", nil, "a step's output as `STEP_PATH=JSON|@FILE` (main[0]=..., steps[2]=...; repeatable)")
	f.StringVar(&o.secrets, "secrets", "store", "secret `SOURCE`: store (JULEP_STORE, as developer JULEP_DEVELOPER), env (process environment), file:PATH (a JSON or YAML map of name to value), http (julep serve at JULEP_BASE_URL) or none")
	f.BoolVar(&o.json, "json", false, `print one JSON document: {"task", "steps": [{"path", "kind", "resolved", "secrets", "provider_key", "deferred"}], "missing_secrets", "errors"}`)
	return cmd
}

// dryReport is the report with the source it was resolved against (printed
// in the text form only).
type dryReport struct {
	*dryrun.Report
	source string
}

func (a *app) dryRun(cmd *cobra.Command, o dryRunOptions, file string) error {
	ctx := cmd.Context()
	red := redact.New()
	// Logs and everything printed go through the redactor.
	log := slog.New(red.Handler(a.log.Handler()))
	out := red.Writer(a.stdout)
	defer out.Close()

	input, err := a.dryInput(o.input)
	if err != nil {
		return usageErr(cmd, "--input: %v", err)
	}
	task, err := steps.Load(file)
	if task == nil {
		return failure(fmt.Errorf("%s: %w", file, err), "")
	}
	name := file
	if task.Name != nil && task.Name.Raw != "" {
		name = task.Name.Raw
	}
	if errs := task.Findings.Filter(steps.SeverityError); len(errs) > 0 {
		rep := dryrun.NewReport(name)
		rep.AddFindings(errs)
		return a.dryFinish(out, o, dryReport{Report: rep})
	}
	mocks, err := a.dryMocks(task, o.mocks)
	if err != nil {
		return usageErr(cmd, "%v", err)
	}

	src, err := a.drySource(ctx, o.secrets)
	if err != nil {
		if errors.Is(err, resolver.ErrBadSource) {
			return usageErr(cmd, "--secrets: %v", err)
		}
		return failure(err, "")
	}
	if c, ok := src.(interface{ Close() error }); ok {
		defer c.Close()
	}
	dev := storeopen.DeveloperEnv(a.getenv)
	r := resolver.New(src, resolver.WithRedactor(red))
	plan, err := r.Prepare(task)
	if err != nil {
		rep := dryrun.NewReport(name)
		rep.Errors = append(rep.Errors, dryrun.Error{Message: err.Error()})
		return a.dryFinish(out, o, dryReport{Report: rep, source: o.secrets})
	}
	log.Debug("dry-run", "task", file, "secrets", o.secrets, "developer", dev, "steps", len(plan.Paths()))
	rep, err := dryrun.Run(ctx, plan, dryrun.Options{Developer: dev, Input: input, Mocks: mocks, Log: log})
	if err != nil {
		return failure(err, "")
	}
	rep.Task = name
	return a.dryFinish(out, o, dryReport{Report: rep, source: o.secrets})
}

func (a *app) dryFinish(out io.WriteCloser, o dryRunOptions, rep dryReport) error {
	if o.json {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep.Report); err != nil {
			return failure(fmt.Errorf("encoding the report: %w", err), "")
		}
		_, _ = out.Write(b.Bytes())
	} else {
		printDryText(out, rep)
	}
	if err := out.Close(); err != nil {
		return failure(err, "")
	}
	if rep.Failed() {
		return silentFailure()
	}
	return nil
}

func printDryText(w io.Writer, rep dryReport) {
	fmt.Fprintf(w, "task: %s\n", rep.Task)
	if rep.source != "" {
		fmt.Fprintf(w, "secrets from: %s\n", rep.source)
	}
	for _, s := range rep.Steps {
		fmt.Fprintf(w, "\n%s (%s)", s.Path, s.Kind)
		if s.Mocked {
			fmt.Fprint(w, " [output mocked]")
		}
		if s.SecretCondition != "" {
			fmt.Fprintf(w, " [branch of %s, whose condition reads secrets: shown whether or not it runs]", s.SecretCondition)
		}
		fmt.Fprintln(w)
		b, err := indentJSON(s.Resolved, "    ")
		if err == nil {
			fmt.Fprintf(w, "  resolved:\n    %s\n", b)
		}
		if len(s.Secrets) > 0 {
			fmt.Fprintf(w, "  secrets: %s\n", strings.Join(s.Secrets, ", "))
		}
		if k := s.ProviderKey; k != nil {
			src := "developer secret"
			if k.Source == providers.SourceEnv {
				src = "environment $" + k.EnvVar
			}
			fmt.Fprintf(w, "  provider key: %s (%s, %s) for model %s\n", k.SecretName, k.Provider, src, k.Model)
		}
		for _, d := range s.Deferred {
			fmt.Fprintf(w, "  deferred: %s = %s\n", d.At, d.Expression)
		}
	}
	if len(rep.MissingSecrets) > 0 {
		fmt.Fprintf(w, "\nmissing secrets (%d):\n", len(rep.MissingSecrets))
		for _, m := range rep.MissingSecrets {
			fmt.Fprintf(w, "  %s: needed by %s\n", m.Name, strings.Join(m.Paths, ", "))
		}
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, "\nerrors (%d):\n", len(rep.Errors))
		for _, e := range rep.Errors {
			fmt.Fprintf(w, "  %s\n", e.String())
		}
	}
	if len(rep.MissingSecrets) == 0 && len(rep.Errors) == 0 {
		fmt.Fprintf(w, "\nok: %d step(s) resolved\n", len(rep.Steps))
	}
}

func indentJSON(v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// dryInput decodes --input (a JSON value or @FILE); without one the input
// is unknown (nil) and what reads it is deferred.
func (a *app) dryInput(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	data, err := a.readArg(s)
	if err != nil {
		return nil, err
	}
	v, err := engine.DecodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return v, nil
}

// dryMocks decodes the --mock flags: STEP_PATH=JSON or STEP_PATH=@FILE.
func (a *app) dryMocks(task *steps.Task, flags []string) (map[string]any, error) {
	mocks := map[string]any{}
	for _, f := range flags {
		path, val, ok := strings.Cut(f, "=")
		path = strings.TrimSpace(path)
		var err error
		if ok {
			err = dryrun.CheckMockPath(task, path)
		}
		if !ok || errors.Is(err, dryrun.ErrNotStepPath) {
			return nil, fmt.Errorf("--mock %q: want STEP_PATH=JSON, e.g. main[0]={\"ok\": true}", f)
		}
		if err != nil {
			return nil, fmt.Errorf("--mock %s: %w", path, err)
		}
		data, err := a.readArg(val)
		if err != nil {
			return nil, fmt.Errorf("--mock %s: %w", path, err)
		}
		v, err := engine.DecodeJSON(data)
		if err != nil {
			return nil, fmt.Errorf("--mock %s: not JSON: %w", path, err)
		}
		mocks[path] = v
	}
	return mocks, nil
}

// drySource opens the --secrets source; env reads the command's environment.
func (a *app) drySource(ctx context.Context, spec string) (resolver.SecretSource, error) {
	if spec == "env" {
		return resolver.EnvSource{LookupEnv: func(k string) (string, bool) {
			v := a.getenv(k)
			return v, v != ""
		}}, nil
	}
	if spec == "http" {
		return resolver.HTTPSourceFromEnv(a.getenv)
	}
	return resolver.ParseSource(spec, func() (secrets.Store, error) {
		s := strings.TrimSpace(a.getenv(storeopen.EnvStore))
		if s == "" {
			var err error
			if s, err = storeopen.DefaultSpecEnv(a.getenv); err != nil {
				return nil, err
			}
		}
		st, err := storeopen.OpenExistingEnv(ctx, s, a.getenv) // reads only: creates nothing
		if err == nil {
			for _, w := range storeopen.Warnings(s, a.getenv) {
				fmt.Fprintf(a.stderr, "julep-run: warning: %s\n", w)
			}
		}
		return st, err
	})
}
