// Package dryrun simulates one execution of a task without running any tool
// or model: it resolves every step in order with package resolver, building
// each step's scope as a worker would (the execution input, steps[N].input
// and .output, labels, inputs and outputs, state from set steps, mocked
// outputs) and marking what is not known yet as deferred.
//
// It is shared by the julep-run dry-run command and by anything else that
// needs the same scope building (a workflow worker, a local runner): the
// command only parses flags, wires a source and prints the Report.
//
// # What a dry-run shows of a secret
//
// Nothing computed from its value: see package resolver ("What a display
// shows"). Outputs of steps computed from secrets are passed on to later
// steps as variables marked as derived from secrets (resolver.Scope.Tainted),
// so that every field reading them is shown as [REDACTED] whole.
package dryrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/steps"
)

// Options describe the simulated execution.
type Options struct {
	// Developer is the developer whose secrets are read.
	Developer string
	// Input is the execution input (steps[0].input, _ of the first step);
	// nil: unknown, what reads it is deferred.
	Input any
	// Mocks are the outputs of steps, by step path (main[0], steps[2]).
	Mocks map[string]any
	// Log, when set, gets one debug record per resolved step (its history
	// form: secret references and displays, never a value).
	Log *slog.Logger
	// MaxOps is the work budget of the whole dry run, across every field
	// of every step, in the engine's work units (engine.RuntimeLimits.MaxOps):
	// 0 means DefaultMaxOps, a negative value no total budget (each step
	// still has the resolver's own, resolver.WithStepBudget).
	MaxOps int64
}

// DefaultMaxOps is the default work budget of one dry run: about 2 to 10 s
// of work at most, however many heavy fields a task has.
const DefaultMaxOps = 40_000_000

// Step is one resolved step of the report.
type Step struct {
	Path        string              `json:"path"`
	Kind        string              `json:"kind"`
	Resolved    any                 `json:"resolved"`
	Secrets     []string            `json:"secrets"`
	ProviderKey *providers.KeyRef   `json:"provider_key"`
	Deferred    []resolver.Deferred `json:"deferred"`
	Mocked      bool                `json:"mocked,omitempty"`
	// SecretCondition is the path of the enclosing step whose condition
	// (if, switch case, foreach in, map_reduce over) reads secrets: the dry
	// run does not tell whether this branch runs, it resolves them all.
	SecretCondition string `json:"secret_condition,omitempty"`
}

// Error is one problem of the report.
type Error struct {
	Pos     string `json:"pos,omitempty"`
	Path    string `json:"path,omitempty"`
	At      string `json:"at,omitempty"`
	Message string `json:"message"`
}

// String renders the error as POS: PATH AT: message, leaving out what is
// unknown.
func (e Error) String() string {
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

// Report is the result of a dry run (its JSON form is julep-run dry-run
// --json's document).
type Report struct {
	Task           string                   `json:"task"`
	Steps          []Step                   `json:"steps"`
	MissingSecrets []resolver.MissingSecret `json:"missing_secrets"`
	Errors         []Error                  `json:"errors"`
}

// NewReport returns an empty report for the task named name.
func NewReport(name string) *Report {
	return &Report{Task: name, Steps: []Step{}, MissingSecrets: []resolver.MissingSecret{}, Errors: []Error{}}
}

// Failed reports whether a secret is missing or anything failed.
func (rep *Report) Failed() bool { return len(rep.MissingSecrets) > 0 || len(rep.Errors) > 0 }

// AddFindings adds the error findings of a task that could not be loaded.
func (rep *Report) AddFindings(fs steps.Errors) {
	for _, f := range fs.Filter(steps.SeverityError) {
		rep.Errors = append(rep.Errors, Error{Pos: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column), Path: f.Path, Message: f.Msg})
	}
}

var pathRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\[\d+\](\.[a-z_]+(\[\d+\])?)*$`)

// Errors of CheckMockPath, for errors.Is.
var (
	// ErrNotStepPath: the text is not a step path.
	ErrNotStepPath = errors.New("not a step path (want e.g. main[0])")
	// ErrNoSuchStep: the task has no step at the path.
	ErrNoSuchStep = errors.New("the task has no step at that path")
)

// CheckMockPath checks that path names a step of task (main[0],
// main[3].then, steps[2]).
func CheckMockPath(task *steps.Task, path string) error {
	if !pathRe.MatchString(path) {
		return ErrNotStepPath
	}
	if task.Step(path) == nil {
		return ErrNoSuchStep
	}
	return nil
}

// Run resolves every step of plan's task in order. Problems of the task
// (missing secrets, failing expressions, steps that cannot be resolved) are
// in the report; the error is only for a failing secret source or a done
// context.
func Run(ctx context.Context, plan *resolver.Plan, o Options) (*Report, error) {
	task := plan.Task()
	name := ""
	if task.Name != nil {
		name = task.Name.Raw
	}
	rep := NewReport(name)
	if err := plan.Check(ctx, o.Developer); err != nil {
		var me *resolver.MissingSecretsError
		if !errors.As(err, &me) {
			return rep, err
		}
		rep.MissingSecrets = me.Missing
	}
	s := newSim(task, o)
	var budget *engine.Budget
	switch {
	case o.MaxOps == 0:
		budget = engine.NewBudget(DefaultMaxOps)
	case o.MaxOps > 0:
		budget = engine.NewBudget(o.MaxOps)
	}
	var conds []string // steps whose condition reads secrets
	paths := plan.Paths()
	for i, path := range paths {
		sc := s.scope(path)
		sc.Budget = budget
		rs, err := plan.ResolveStep(ctx, o.Developer, path, sc)
		var se resolver.StepErrors
		var le *resolver.LimitError
		if errors.As(err, &le) {
			rep.Errors = append(rep.Errors, Error{Path: path, Message: le.Error()})
			if le.Shared {
				if n := len(paths) - i - 1; n > 0 {
					rep.Errors = append(rep.Errors, Error{Message: fmt.Sprintf("%d later step(s) not resolved: the dry run's work budget is spent", n)})
				}
				return rep, nil
			}
			continue
		}
		if err != nil && !errors.As(err, &se) {
			if ctx.Err() != nil {
				return rep, err
			}
			rep.Errors = append(rep.Errors, Error{Path: path, Message: err.Error()})
			continue
		}
		if o.Log != nil {
			o.Log.Debug("resolved step", "path", path, "step", rs)
		}
		ds := Step{
			Path: path, Kind: string(rs.Kind), Resolved: rs.Display(),
			Secrets:     plan.Needs(path),
			ProviderKey: rs.ProviderKey,
			Deferred:    rs.Deferred,
		}
		if ds.ProviderKey != nil && !slices.Contains(ds.Secrets, ds.ProviderKey.SecretName) {
			ds.Secrets = append(ds.Secrets, ds.ProviderKey.SecretName)
		}
		if ds.Deferred == nil {
			ds.Deferred = []resolver.Deferred{}
		}
		_, ds.Mocked = o.Mocks[path]
		for _, c := range conds {
			if strings.HasPrefix(path, c+".") {
				ds.SecretCondition = c
				break
			}
		}
		if rs.SecretCondition {
			conds = append(conds, path)
		}
		if !ds.Mocked {
			s.record(path, rs)
		}
		for _, n := range rs.Missing {
			rep.addMissing(n, path)
		}
		for _, e := range se {
			rep.Errors = append(rep.Errors, Error{Pos: e.Pos, Path: e.Path, At: e.At, Message: e.Message})
		}
		rep.Steps = append(rep.Steps, ds)
	}
	return rep, nil
}

// addMissing records a missing secret found while resolving (a provider key
// of a model known only then).
func (rep *Report) addMissing(name, path string) {
	for i, m := range rep.MissingSecrets {
		if m.Name == name {
			if !slices.Contains(m.Paths, path) {
				rep.MissingSecrets[i].Paths = append(rep.MissingSecrets[i].Paths, path)
			}
			return
		}
	}
	rep.MissingSecrets = append(rep.MissingSecrets, resolver.MissingSecret{Name: name, Paths: []string{path}})
	sort.Slice(rep.MissingSecrets, func(i, j int) bool { return rep.MissingSecrets[i].Name < rep.MissingSecrets[j].Name })
}

// sim is the simulated state of the execution: the outputs known so far
// (mocked or computed) and the values of set steps.
type sim struct {
	task  *steps.Task
	o     Options
	known map[string]any // step path -> output
	state map[string]any // values of set steps computed so far
	// tainted are the steps whose output was computed from secrets
	tainted map[string]bool
}

func newSim(task *steps.Task, o Options) *sim {
	s := &sim{task: task, o: o, known: map[string]any{}, state: map[string]any{}, tainted: map[string]bool{}}
	for k, v := range o.Mocks {
		s.known[k] = v
	}
	return s
}

// record keeps the output of an evaluate step (or the values of a set
// step) whose every field was evaluated. An output computed from secrets
// (ResolvedStep.Sensitive) is passed on only as the next step's _, marked
// tainted (resolver.Scope.Tainted: every field reading _ is then shown as
// [REDACTED]); in steps, inputs, outputs and state it stays unknown, so
// that fields reading it are deferred while the rest of those variables
// stays readable (the taint is per variable, they hold many values).
func (s *sim) record(path string, rs *resolver.ResolvedStep) {
	out, ok := computedOutput(rs)
	if !ok {
		return
	}
	if rs.Sensitive() {
		s.tainted[path] = true
	}
	if rs.Kind == steps.KindSet {
		if rs.Sensitive() {
			return
		}
		if m, ok := engine.AsDict(out); ok {
			m.Range(func(k, v any) bool {
				if ks, ok := k.(string); ok {
					s.state[ks] = v
				}
				return true
			})
		}
		return
	}
	s.known[path] = out
}

// computedOutput returns the output of an evaluate step (or the values of
// a set step) when every field was evaluated.
func computedOutput(rs *resolver.ResolvedStep) (any, bool) {
	if (rs.Kind != steps.KindEvaluate && rs.Kind != steps.KindSet) || len(rs.Deferred) > 0 || len(rs.Errors) > 0 || len(rs.Missing) > 0 {
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

// scope builds the variables of the step at path: the execution input,
// the known outputs (mocked or computed) of earlier top-level steps of the
// same workflow, by index and by label, the state; everything else
// unknown (deferred).
func (s *sim) scope(path string) resolver.Scope {
	task := s.task
	wf, idx, nested := splitPath(path)
	vars := map[string]any{"developer_id": s.o.Developer}
	sc := resolver.Scope{
		Vars:         vars,
		Unknown:      []string{"agent", "execution", "session", "user", "cursor", "arguments", "task", "results"},
		Partial:      []string{"steps", "inputs", "outputs", "state"},
		AllowMissing: true,
	}
	vars["state"] = toPy(s.state)
	isMain := task.Workflows[0].Name == wf
	// ins[j] is the input of step j, outs[j] its output.
	// (tainted: computed from secrets, passed on only as _)
	type known struct {
		v           any
		ok, tainted bool
	}
	var ins, outs []known
	cur := known{s.o.Input, isMain && s.o.Input != nil, false}
	for j := 0; j <= idx; j++ {
		ins = append(ins, cur)
		p := stepPath(wf, j)
		m, ok := s.known[p]
		outs = append(outs, known{m, ok, s.tainted[p]})
		cur = outs[j]
	}
	// steps, inputs and outputs: dicts keyed by index and label, holding
	// only what is known, so that reading the rest fails and is deferred.
	stepsD, inputsD, outputsD := engine.NewDict(idx+1), engine.NewDict(idx+1), engine.NewDict(idx+1)
	for j := 0; j <= idx; j++ {
		e := engine.NewDict(2)
		in, out := ins[j].ok && !ins[j].tainted, outs[j].ok && !outs[j].tainted && j < idx
		if in {
			_ = e.SetStr("input", ins[j].v)
		}
		if out {
			_ = e.SetStr("output", outs[j].v)
		}
		keys := []any{int64(j)}
		if l := stepLabel(task.Step(stepPath(wf, j))); l != "" {
			keys = append(keys, l)
		}
		for _, k := range keys {
			_ = stepsD.Set(k, e)
			if in {
				_ = inputsD.Set(k, ins[j].v)
			}
			if out {
				_ = outputsD.Set(k, outs[j].v)
			}
		}
	}
	vars["steps"] = stepsD.Value()
	vars["inputs"] = inputsD.Value()
	vars["outputs"] = outputsD.Value()
	if ins[idx].ok && !loopChild(nested) {
		vars["_"] = ins[idx].v
		if ins[idx].tainted {
			sc.Tainted = append(sc.Tainted, "_")
		}
	} else {
		sc.Unknown = append(sc.Unknown, "_")
	}
	return sc
}

// stepLabel returns a step's label, or "" (every step type embeds
// steps.StepBase, whose Label is promoted).
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

func stepPath(wf string, i int) string { return wf + "[" + strconv.Itoa(i) + "]" }

func toPy(v any) any {
	if p, err := engine.FromGo(v); err == nil {
		return p
	}
	return v
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
