// Package resolver resolves the steps of a loaded task for one execution:
// it fetches the secrets a step references (in one batch per step, only
// those), evaluates every expression of the step in Julep's scope, hands the
// step's credentials (secret_name, secrets: maps, the LLM provider key) to
// the caller, and registers every secret value and every string computed
// from one with a redact.Redactor, so nothing downstream can print them.
//
// In the project's layering, engine (syntax -> translate -> run) -> steps
// -> resolver -> cmd, with secrets, redact and providers beside them,
// resolver is the third layer: it evaluates the fields steps compiled
// (engine.Field), under the limits of the engine the task was loaded with
// (steps.Options.Engine; engine.Limits is the one vocabulary of expression
// limits), and passes values in and out through engine's public API only
// (engine.FromGo, engine.ToGo, engine.Dict).
//
// A worker compiles once and resolves per execution:
//
//	r := resolver.New(resolver.NewCache(resolver.StoreSource{Store: st}, time.Minute))
//	plan, err := r.Prepare(task)              // collects every step's secret names
//	err = plan.Check(ctx, developerID)        // all missing secrets, before anything runs
//	rs, err := plan.ResolveStep(ctx, developerID, "main[0]", resolver.Scope{Vars: vars})
//	rs.Value()                                // the evaluated step, values included (for the tool)
//	rs.Credentials()                          // the step's credentials
//	json.Marshal(rs)                          // for history: secret references, never values
//
// Missing secrets are never replaced by empty strings: ResolveStep and Check
// fail with a *MissingSecretsError naming every missing secret and the step
// paths that need it.
//
// # What a step needs
//
// The names a step needs are known before it runs: the constant keys its
// expressions read on secrets (engine Program.Refs: secrets.x,
// secrets["x"], secrets.get("x")), the kind form's secret_name and
// secrets: map, the secrets read by the called tool's spec (evaluated with
// only secrets in scope), and, for a prompt step, the provider key of its
// model (settings.model, the kind form's model, else the scope's
// agent.model; see package providers). An expression that reads secrets
// with a computed name (secrets[x], dict(secrets)) is refused by Prepare:
// Julep loads every secret of the developer for every evaluation; we fetch
// only what is named.
//
// # How a resolved step looks
//
// tool_call: tool, operation (kind form), type; for an api_call tool every
// key of its spec with the step's arguments over them, except headers
// (merged, the tool's winning, as in Julep) and params (merged, the step's
// winning); for an integration or system tool its spec with arguments
// merged (the step's winning); the credentials. prompt: model, the
// template variables (evaluated first, then in scope for the prompt and the
// messages), the prompt or messages, settings, the provider key. Other
// kinds: their evaluated fields (evaluate, set, return, log, if, in, over,
// cases…); nested steps are resolved under their own paths.
//
// # What a display shows of a secret
//
// Value returns the real request for the tool. Everything else that shows
// a resolved step (Display, MarshalJSON for a history, String, EvalError
// messages, and so the dry run's text, JSON and debug logs) is computed
// without the secrets' values, by this rule: a displayed value never
// depends on a secret's value.
//
//   - A field that only inserts whole secrets into text or displays
//     (engine.FlowWhole: f-string and {{ }} fields without format spec or
//     with !s, + concatenation, '%s' formatting, a literal's .format() with
//     plain fields, str(secrets.x), a literal separator's .join of a list
//     display, list/tuple/dict displays, a bare $ secrets.x) is evaluated a
//     second time with each secret replaced by its mark, and shows that:
//     "Bearer [REDACTED:api_token]". A field that is exactly secrets.NAME
//     is {"$secret": NAME} in a history.
//   - A field that does anything else with a secret (slices, methods,
//     comparisons, len, iteration, conversions, keys, arithmetic, format
//     specs that pad, conditions) is one [REDACTED]: no booleans, numbers,
//     None, lengths, keys or structure.
//   - Variables computed from secrets taint the fields that read them:
//     Scope.Tainted (outputs of earlier steps), and the template variables
//     and transform input of the step itself (a str computed by whole
//     insertion is shown by its own display where it is inserted whole;
//     anything else makes every field reading it one [REDACTED]).
//   - A condition over secrets (if, switch case, foreach in, map_reduce
//     over) shows as [REDACTED] and sets ResolvedStep.SecretCondition.
//   - The error of an expression that reads secrets shows its kind, the
//     field and the expression's position, never the message:
//     "ValueError (message hidden: the expression reads secrets.api_key)".
//     A panic while evaluating becomes an error without the panic's value.
//
// What a display does reveal about a field over secrets is whether its
// evaluation failed, and the error's kind. Every value fetched, and every
// value transformed from one, is also registered with the redactor: the
// last line of defense for text this package does not compute (logs,
// output of tools).
//
// # Budgets
//
// Each field evaluates under the engine's Limits; a ResolveStep call
// spends at most WithStepBudget work units across all the step's fields
// (and at most what is left of Scope.Budget, a budget the caller shares
// across calls); when one is spent, the fields left are not evaluated and
// ResolveStep returns a *LimitError naming the step.
package resolver

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/steps"
)

// Resolver resolves steps against a SecretSource. It is safe for concurrent
// use.
type Resolver struct {
	src          SecretSource
	red          *redact.Redactor
	envLookup    func(string) (string, bool) // provider-key fallback; nil: none
	providerKeys bool
	maxStepOps   int64 // work budget of one ResolveStep (0: none)
}

// DefaultMaxStepOps is the default work budget of one ResolveStep call,
// across all the step's fields, in the engine's work units (see
// engine.RuntimeLimits.MaxOps; one field may spend DefaultMaxOps at most):
// about 0.5 to 2.5 s of work.
const DefaultMaxStepOps = 10_000_000

// WithStepBudget sets the work budget of one ResolveStep call, across all
// the step's fields, in the engine's work units (default
// DefaultMaxStepOps; maxOps <= 0: no budget beyond each field's own
// limit). When it is spent, ResolveStep returns a *LimitError naming the
// step.
func WithStepBudget(maxOps int64) Option {
	return func(r *Resolver) { r.maxStepOps = maxOps }
}

// Option configures a Resolver.
type Option func(*Resolver)

// WithRedactor registers secret values with red (default: a new Redactor,
// see Resolver.Redactor).
func WithRedactor(red *redact.Redactor) Option {
	return func(r *Resolver) {
		if red != nil {
			r.red = red
		}
	}
}

// WithProviderEnvFallback lets a prompt step use the provider key from the
// process environment (OPENAI_API_KEY…) when the developer has no secret of
// that name. lookup nil means os.LookupEnv. Without this option a missing
// provider key is a missing secret.
func WithProviderEnvFallback(lookup func(string) (string, bool)) Option {
	return func(r *Resolver) {
		if lookup == nil {
			lookup = os.LookupEnv
		}
		r.envLookup = lookup
	}
}

// WithoutProviderKeys stops prompt steps from needing their provider's key
// (for a platform that uses its own keys).
func WithoutProviderKeys() Option {
	return func(r *Resolver) { r.providerKeys = false }
}

// New returns a Resolver reading secrets from src.
func New(src SecretSource, opts ...Option) *Resolver {
	r := &Resolver{src: src, red: redact.New(), providerKeys: true, maxStepOps: DefaultMaxStepOps}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Redactor returns the redactor that every fetched secret value and every
// string computed from one is registered with. Wrap log handlers and output
// writers with it.
func (r *Resolver) Redactor() *redact.Redactor { return r.red }

// Source returns the resolver's secret source.
func (r *Resolver) Source() SecretSource { return r.src }

// Plan is a task prepared for resolution: the steps and, for each, the
// secret names it needs. It is immutable and safe for concurrent use.
type Plan struct {
	r     *Resolver
	task  *steps.Task
	order []string
	steps map[string]*stepPlan
}

// stepPlan is what Prepare learns about one step.
type stepPlan struct {
	path  string
	step  steps.Step
	tool  *steps.Tool
	names []string // secrets read by the step's expressions and its tool's spec
	// credentials: secret_name (param "secret_name") and secrets: map, in order
	creds []credRef
	// model is the prompt step's model field (nil: the agent's model)
	model *steps.Value
	// staticKey is the provider secret for a literal model ("" otherwise)
	staticKey string
	// modelErr is an unknown literal model
	modelErr error
	// free are the variables the step's fields read (only those are
	// converted from the caller's scope)
	free map[string]bool
	// all is allNames(""), computed once
	all []string
	// nLeaves is the number of scalar fields the step evaluates (the size
	// of its leaf slab)
	nLeaves int
	// nMaps and nMembers count the step's maps and their entries (the
	// sizes of its object slabs)
	nMaps, nMembers int
	// flows says how secrets reach each field that reads them (when only
	// secrets are sensitive)
	flows map[*engine.Field]engine.Flow
}

// secretsOnly is the sensitivity of a step's variables when only secrets
// are sensitive.
var secretsOnly = map[string]engine.Sensitivity{"secrets": engine.SensitiveMembers}

type credRef struct {
	param, name string
}

// Prepare compiles the task's needs: for every step, the secret names its
// expressions read (Program.Refs("secrets")), its tool's spec, its
// secret_name and secrets: map, and the provider key of a literal model. A
// task with error findings, or an expression that reads secrets with a
// computed name (secrets[x]), is refused: only names known before running
// can be fetched in one batch and reported when missing.
func (r *Resolver) Prepare(task *steps.Task) (*Plan, error) {
	if task == nil {
		return nil, fmt.Errorf("%w: no task", ErrInvalidTask)
	}
	if errs := task.Findings.Filter(steps.SeverityError); len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalidTask, errs)
	}
	p := &Plan{r: r, task: task, steps: map[string]*stepPlan{}}
	var problems []string
	err := task.Walk(func(path string, s steps.Step) error {
		sp := &stepPlan{path: path, step: s, free: map[string]bool{}}
		names := map[string]bool{}
		collect := func(d steps.Data) {
			countMaps(d, &sp.nMaps, &sp.nMembers)
			walkValues(d, func(v *steps.Value) {
				sp.nLeaves++
				if v.Field == nil {
					return
				}
				for _, n := range v.Field.FreeNames() {
					sp.free[n] = true
				}
				if slices.Contains(v.Field.FreeNames(), "secrets") {
					if sp.flows == nil {
						sp.flows = map[*engine.Field]engine.Flow{}
					}
					sp.flows[v.Field] = v.Field.Flow(secretsOnly)
				}
				keys, dynamic := v.Field.Refs("secrets")
				if dynamic {
					problems = append(problems, fmt.Sprintf("%s: %s reads secrets with a computed name (%s); name each secret (secrets.NAME)", v.At, path, v.Raw))
				}
				for _, k := range keys {
					names[k] = true
				}
			})
		}
		for _, f := range ownFields(s) {
			collect(f.data)
		}
		switch st := s.(type) {
		case *steps.ToolCallStep:
			if st.Tool != nil {
				sp.tool = task.Tool(st.Tool.Raw)
			}
			if sp.tool != nil && sp.tool.Type != "function" {
				collect(sp.tool.Spec)
			}
			if st.SecretName != nil {
				sp.creds = append(sp.creds, credRef{"secret_name", st.SecretName.Raw})
			}
			if st.Secrets != nil {
				for _, e := range st.Secrets.Entries {
					if v, ok := e.Value.(*steps.Value); ok {
						sp.creds = append(sp.creds, credRef{e.Key.Raw, v.Raw})
					}
				}
			}
		case *steps.PromptStep:
			sp.model = st.Model
			if st.Model != nil {
				if lit, ok := literalModel(st.Model); ok && r.providerKeys {
					k, err := providers.KeyFor(lit)
					if err != nil {
						sp.modelErr = err
					} else {
						sp.staticKey = k
					}
				}
			}
		}
		sp.names = sortedKeys(names)
		sp.all = sp.allNames("")
		p.order = append(p.order, path)
		p.steps[path] = sp
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalidTask, strings.Join(problems, "\n"))
	}
	return p, nil
}

// Task returns the prepared task.
func (p *Plan) Task() *steps.Task { return p.task }

// Paths returns the step paths in order (parents before children).
func (p *Plan) Paths() []string { return slices.Clone(p.order) }

// Needs returns the secret names the step at path needs: those its
// expressions and tool read, its credentials, and the provider key of a
// literal model. Sorted; nil for an unknown path.
func (p *Plan) Needs(path string) []string {
	sp := p.steps[path]
	if sp == nil {
		return nil
	}
	return slices.Clone(sp.all)
}

func (sp *stepPlan) allNames(providerKey string) []string {
	set := map[string]bool{}
	for _, n := range sp.names {
		set[n] = true
	}
	for _, c := range sp.creds {
		set[c.name] = true
	}
	if providerKey == "" {
		providerKey = sp.staticKey
	}
	if providerKey != "" {
		set[providerKey] = true
	}
	return sortedKeys(set)
}

// Check fetches, in one batch, every secret the whole task needs (provider
// keys of literal models included) and returns a *MissingSecretsError
// listing every missing name with the step paths that need it, or nil. A
// provider key found in the environment (WithProviderEnvFallback) counts as
// present. The values fetched are registered with the redactor.
func (p *Plan) Check(ctx context.Context, developerID string) error {
	all := map[string]bool{}
	for _, path := range p.order {
		for _, n := range p.steps[path].all {
			all[n] = true
		}
	}
	if len(all) == 0 {
		return nil
	}
	got, err := p.r.src.Fetch(ctx, developerID, sortedKeys(all))
	if err != nil {
		return fmt.Errorf("fetching the task's secrets: %w", err)
	}
	for n, v := range got {
		p.r.red.Add(n, v)
	}
	miss := missingSet{}
	for _, path := range p.order {
		sp := p.steps[path]
		for _, n := range sp.all {
			if _, ok := got[n]; ok {
				continue
			}
			if n == sp.staticKey && p.r.envHas(n) {
				continue
			}
			miss.add(n, path)
		}
	}
	return miss.err()
}

func (r *Resolver) envHas(name string) bool {
	if r.envLookup == nil {
		return false
	}
	v, ok := r.envLookup(name)
	return ok && v != ""
}

// literalModel returns a model field's text when it is not an expression.
func literalModel(v *steps.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	if v.Field == nil {
		return strings.TrimSpace(v.Raw), v.Raw != ""
	}
	return v.Field.Literal()
}

// WithRedactor returns a copy of the plan that registers secret values and
// derived strings with red instead of the resolver's redactor. A
// long-running worker can give each execution its own redactor, so that the
// derived strings of past executions do not accumulate in one.
func (p *Plan) WithRedactor(red *redact.Redactor) *Plan {
	if red == nil {
		return p
	}
	r := *p.r
	r.red = red
	cp := *p
	cp.r = &r
	return &cp
}
