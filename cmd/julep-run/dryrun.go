package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
	"github.com/julepkit/julep/steps"
)

func init() { register(newDryRunCmd) }

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
errors).

  --input JSON|@FILE          the execution input (steps[0].input, _ of the first
                              step); without it, what reads the input is deferred
  --mock STEP_PATH=JSON|@FILE the output of a step (main[0]=..., steps[2]=...)
  --secrets SOURCE            store (default: JULEP_STORE, as developer
                              JULEP_DEVELOPER), env (process environment),
                              file:PATH (a JSON or YAML map of name to value),
                              none
  --json                      one JSON document: {"task", "steps": [{"path",
                              "kind", "resolved", "secrets", "provider_key",
                              "deferred"}], "missing_secrets", "errors"}`,
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
	f.StringVar(&o.input, "input", "", "execution input: a JSON value, or @FILE holding one")
	f.StringArrayVar(&o.mocks, "mock", nil, "output of a step: STEP_PATH=JSON or STEP_PATH=@FILE (repeatable)")
	f.StringVar(&o.secrets, "secrets", "store", "secret `SOURCE`: store, env, file:PATH or none")
	f.BoolVar(&o.json, "json", false, "print one JSON document")
	return cmd
}

// dryStep is one step of the report.
type dryStep struct {
	Path        string              `json:"path"`
	Kind        string              `json:"kind"`
	Resolved    any                 `json:"resolved"`
	Secrets     []string            `json:"secrets"`
	ProviderKey *providers.KeyRef   `json:"provider_key"`
	Deferred    []resolver.Deferred `json:"deferred"`
	Mocked      bool                `json:"mocked,omitempty"`
}

// dryError is one problem of the report.
type dryError struct {
	Pos     string `json:"pos,omitempty"`
	Path    string `json:"path,omitempty"`
	At      string `json:"at,omitempty"`
	Message string `json:"message"`
}

type dryReport struct {
	Task           string                   `json:"task"`
	Steps          []dryStep                `json:"steps"`
	MissingSecrets []resolver.MissingSecret `json:"missing_secrets"`
	Errors         []dryError               `json:"errors"`
	source         string
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
	rep := &dryReport{Task: file, Steps: []dryStep{}, MissingSecrets: []resolver.MissingSecret{}, Errors: []dryError{}}

	task, err := steps.Load(file)
	if task == nil {
		return failure(fmt.Errorf("%s: %w", file, err), "")
	}
	if task.Name != nil && task.Name.Raw != "" {
		rep.Task = task.Name.Raw
	}
	if errs := task.Findings.Filter(steps.SeverityError); len(errs) > 0 {
		for _, f := range errs {
			rep.Errors = append(rep.Errors, dryError{Pos: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column), Path: f.Path, Message: f.Msg})
		}
		return a.dryFinish(out, o, rep)
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
	rep.source = o.secrets
	dev := storeopen.DeveloperEnv(a.getenv)
	r := resolver.New(src, resolver.WithRedactor(red))
	plan, err := r.Prepare(task)
	if err != nil {
		rep.Errors = append(rep.Errors, dryError{Message: err.Error()})
		return a.dryFinish(out, o, rep)
	}
	log.Debug("dry-run", "task", file, "secrets", o.secrets, "developer", dev, "steps", len(plan.Paths()))
	if err := plan.Check(ctx, dev); err != nil {
		var me *resolver.MissingSecretsError
		if !errors.As(err, &me) {
			return failure(err, "")
		}
		rep.MissingSecrets = me.Missing
	}

	known := map[string]any{}
	for k, v := range mocks {
		known[k] = v
	}
	state := map[string]any{} // values of set steps computed so far
	for _, path := range plan.Paths() {
		scope := dryScope(task, path, input, known, dev)
		scope.Vars["state"] = toPy(state)
		rs, err := plan.ResolveStep(ctx, dev, path, scope)
		var se resolver.StepErrors
		if err != nil && !errors.As(err, &se) {
			if ctx.Err() != nil {
				return failure(err, "")
			}
			rep.Errors = append(rep.Errors, dryError{Path: path, Message: err.Error()})
			continue
		}
		// rs prints as its history form: secret references, never values
		// (short derived values are not masked in free text, so the real
		// values must never reach a log).
		log.Debug("resolved step", "path", path, "step", rs)
		ds := dryStep{
			Path: path, Kind: string(rs.Kind), Resolved: rs.Display(),
			Secrets:     plan.Needs(path),
			ProviderKey: rs.ProviderKey,
			Deferred:    rs.Deferred,
		}
		if ds.ProviderKey != nil && !contains(ds.Secrets, ds.ProviderKey.SecretName) {
			ds.Secrets = append(ds.Secrets, ds.ProviderKey.SecretName)
		}
		if ds.Deferred == nil {
			ds.Deferred = []resolver.Deferred{}
		}
		_, ds.Mocked = mocks[path]
		if out, ok := computedOutput(rs); ok && !ds.Mocked {
			if rs.Kind == steps.KindSet {
				if m, ok := engine.AsDict(out); ok {
					m.Range(func(k, v any) bool {
						if ks, ok := k.(string); ok {
							state[ks] = v
						}
						return true
					})
				}
			} else {
				known[path] = out
			}
		}
		for _, n := range rs.Missing {
			rep.addMissing(n, path)
		}
		for _, e := range se {
			rep.Errors = append(rep.Errors, dryError{Pos: e.Pos, Path: e.Path, At: e.At, Message: e.Message})
		}
		rep.Steps = append(rep.Steps, ds)
	}
	return a.dryFinish(out, o, rep)
}

// computedOutput returns the output of an evaluate step (or the values of a
// set step) whose every field was evaluated without secrets (a value computed from a secret is never
// passed on: it would lose its masking).
func computedOutput(rs *resolver.ResolvedStep) (any, bool) {
	if (rs.Kind != steps.KindEvaluate && rs.Kind != steps.KindSet) || len(rs.Deferred) > 0 || len(rs.Errors) > 0 || len(rs.Secrets) > 0 || len(rs.Missing) > 0 {
		return nil, false
	}
	v, ok := rs.Value().Get(string(rs.Kind))
	if !ok {
		return nil, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	out, err := engine.DecodeJSON(b)
	return out, err == nil
}

// addMissing records a missing secret found while resolving (a provider key
// of a model known only then).
func (rep *dryReport) addMissing(name, path string) {
	for i, m := range rep.MissingSecrets {
		if m.Name == name {
			if !contains(m.Paths, path) {
				rep.MissingSecrets[i].Paths = append(rep.MissingSecrets[i].Paths, path)
			}
			return
		}
	}
	rep.MissingSecrets = append(rep.MissingSecrets, resolver.MissingSecret{Name: name, Paths: []string{path}})
	sort.Slice(rep.MissingSecrets, func(i, j int) bool { return rep.MissingSecrets[i].Name < rep.MissingSecrets[j].Name })
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (a *app) dryFinish(out io.WriteCloser, o dryRunOptions, rep *dryReport) error {
	if o.json {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return failure(fmt.Errorf("encoding the report: %w", err), "")
		}
		_, _ = out.Write(b.Bytes())
	} else {
		printDryText(out, rep)
	}
	if err := out.Close(); err != nil {
		return failure(err, "")
	}
	if len(rep.MissingSecrets) > 0 || len(rep.Errors) > 0 {
		return silentFailure()
	}
	return nil
}

func printDryText(w io.Writer, rep *dryReport) {
	fmt.Fprintf(w, "task: %s\n", rep.Task)
	if rep.source != "" {
		fmt.Fprintf(w, "secrets from: %s\n", rep.source)
	}
	for _, s := range rep.Steps {
		fmt.Fprintf(w, "\n%s (%s)", s.Path, s.Kind)
		if s.Mocked {
			fmt.Fprint(w, " [output mocked]")
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

// String renders the error as POS: PATH AT: message, leaving out what is
// unknown.
func (e dryError) String() string {
	var parts []string
	if e.Pos != "" {
		parts = append(parts, e.Pos)
	}
	where := strings.TrimSpace(e.Path + " " + e.At)
	if where != "" {
		parts = append(parts, where)
	}
	parts = append(parts, e.Message)
	return strings.Join(parts, ": ")
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

var pathRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\[\d+\](\.[a-z_]+(\[\d+\])?)*$`)

// dryMocks decodes the --mock flags: STEP_PATH=JSON or STEP_PATH=@FILE.
func (a *app) dryMocks(task *steps.Task, flags []string) (map[string]any, error) {
	mocks := map[string]any{}
	for _, f := range flags {
		path, val, ok := strings.Cut(f, "=")
		path = strings.TrimSpace(path)
		if !ok || !pathRe.MatchString(path) {
			return nil, fmt.Errorf("--mock %q: want STEP_PATH=JSON, e.g. main[0]={\"ok\": true}", f)
		}
		if task.Step(path) == nil {
			return nil, fmt.Errorf("--mock %s: the task has no step at that path", path)
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
	return resolver.ParseSource(spec, func() (secrets.Store, error) {
		s := strings.TrimSpace(a.getenv(storeopen.EnvStore))
		if s == "" {
			var err error
			if s, err = storeopen.DefaultSpecEnv(a.getenv); err != nil {
				return nil, err
			}
		}
		return storeopen.OpenEnv(ctx, s, a.getenv)
	})
}

// dryScope builds the variables of the step at path for a dry run: the
// execution input, the known outputs (mocked or computed) of earlier
// top-level steps of the same workflow, by index and by label; everything
// else unknown (deferred).
func dryScope(task *steps.Task, path string, input any, outputs map[string]any, dev string) resolver.Scope {
	wf, idx, nested := splitPath(path)
	vars := map[string]any{"developer_id": dev}
	sc := resolver.Scope{
		Vars:         vars,
		Unknown:      []string{"agent", "execution", "session", "user", "cursor", "arguments", "task", "results"},
		Partial:      []string{"steps", "inputs", "outputs", "state"},
		AllowMissing: true,
	}
	vars["state"] = engine.NewDict(0)
	isMain := task.Workflows[0].Name == wf
	// ins[j] is the input of step j, outs[j] its output.
	type known struct {
		v  any
		ok bool
	}
	var ins, outs []known
	cur := known{input, isMain && input != nil}
	for j := 0; j <= idx; j++ {
		ins = append(ins, cur)
		m, ok := outputs[fmt.Sprintf("%s[%d]", wf, j)]
		outs = append(outs, known{m, ok})
		cur = known{m, ok}
	}
	// steps, inputs and outputs: dicts keyed by index and label, holding
	// only what is known, so that reading the rest fails and is deferred.
	stepsD, inputsD, outputsD := engine.NewDict(idx+1), engine.NewDict(idx+1), engine.NewDict(idx+1)
	for j := 0; j <= idx; j++ {
		e := engine.NewDict(2)
		if ins[j].ok {
			e.SetStr("input", toPy(ins[j].v))
		}
		if outs[j].ok && j < idx {
			e.SetStr("output", toPy(outs[j].v))
		}
		keys := []any{int64(j)}
		if l := stepLabel(task.Step(fmt.Sprintf("%s[%d]", wf, j))); l != "" {
			keys = append(keys, l)
		}
		for _, k := range keys {
			_ = stepsD.Set(k, e)
			if ins[j].ok {
				_ = inputsD.Set(k, toPy(ins[j].v))
			}
			if outs[j].ok && j < idx {
				_ = outputsD.Set(k, toPy(outs[j].v))
			}
		}
	}
	vars["steps"] = stepsD
	vars["inputs"] = inputsD
	vars["outputs"] = outputsD
	if ins[idx].ok && !loopChild(nested) {
		vars["_"] = ins[idx].v
	} else {
		sc.Unknown = append(sc.Unknown, "_")
	}
	return sc
}

func toPy(v any) any {
	if p, err := engine.FromGo(v); err == nil {
		return p
	}
	return v
}

// stepLabel returns a step's label, or "".
func stepLabel(s steps.Step) string {
	if s == nil {
		return ""
	}
	rv := reflect.ValueOf(s)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return ""
	}
	f := rv.Elem().FieldByName("Label")
	if !f.IsValid() {
		return ""
	}
	if l, ok := f.Interface().(*steps.Value); ok && l != nil {
		return l.Raw
	}
	return ""
}

// splitPath splits "main[3].foreach.do" into ("main", 3, ".foreach.do").
func splitPath(path string) (wf string, idx int, nested string) {
	i := strings.IndexByte(path, '[')
	j := strings.IndexByte(path, ']')
	if i < 0 || j < i {
		return path, 0, ""
	}
	n, _ := strconv.Atoi(path[i+1 : j])
	return path[:i], n, path[j+1:]
}

// loopChild reports a step inside foreach/map_reduce, where _ is the item.
func loopChild(nested string) bool {
	return strings.Contains(nested, ".do") || strings.Contains(nested, ".map")
}
