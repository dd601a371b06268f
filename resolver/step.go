package resolver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/steps"
)

// Scope is what a step's expressions see besides secrets (JULEP.md, Scope
// of a step's expressions).
type Scope struct {
	// Vars are the variables: "_", "steps", "inputs", "outputs", "state",
	// "agent", "task", "execution", "arguments", "developer_id", "session",
	// "user", "cursor"… Plain Go values (map[string]any, []any, strings,
	// numbers, json.Number) or engine values. "secrets" is set by the
	// resolver (a value given here is ignored). "agent.model" is the model of
	// a prompt step without one. Only the variables a step reads are
	// converted to the engine's values, once per ResolveStep; values already
	// converted with engine.FromGo are used as they are (a worker resolving
	// several steps with the same variables can convert them once).
	Vars map[string]any
	// Unknown names variables whose value is not known yet (a dry run
	// without --mock): a field reading one is deferred, not evaluated.
	Unknown []string
	// Partial names variables known only in part (steps with some outputs
	// missing): a field reading one whose evaluation fails is deferred.
	Partial []string
	// AllowMissing resolves the step even when secrets are missing: fields
	// that need them are marked missing instead of failing the step (dry
	// run). Without it a missing secret is a *MissingSecretsError.
	AllowMissing bool
	// Tainted names variables computed from secrets (outputs of earlier
	// steps whose ResolvedStep.Sensitive was true, and whatever holds
	// them: steps, outputs, _, state): every field reading one is shown as
	// [REDACTED] whole and its errors hide their message; Value is not
	// affected.
	Tainted []string
	// Budget, when set, is a work budget shared with other calls (a dry
	// run's total): each field may spend only what is left of it, besides
	// the step's own budget (WithStepBudget).
	Budget *engine.Budget
}

// ResolveStep resolves the step at path for one execution: one Fetch for
// the secrets it needs, every expression evaluated with scope, credentials
// and the provider key attached, values registered with the redactor.
//
// It returns a *MissingSecretsError when a secret is missing (unless
// scope.AllowMissing), a StepErrors (with the ResolvedStep, errors listed in
// it too) when expressions fail, and the context's error when ctx is done.
// It is safe to call concurrently.
//
// The phases, in order: the step's model and provider key name (known
// before fetching), one fetch, the provider key's source (providers owns
// the decision: developer secret, else environment), the missing secrets,
// the secrets dict and credentials, then the step's fields.
func (p *Plan) ResolveStep(ctx context.Context, developerID, path string, scope Scope) (*ResolvedStep, error) {
	sp := p.steps[path]
	if sp == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownStep, path)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("resolving %s: %w", path, err)
	}
	e := p.newEvalState(ctx, sp, path, scope)
	model, keyName := e.providerKeyName()
	names := sp.all
	if keyName != "" && keyName != sp.staticKey {
		names = sp.allNames(keyName)
	}
	got, err := e.fetch(developerID, names)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: fetching secrets: %w", path, err)
	}
	ref, got := e.providerKey(model, keyName, got)
	if err := e.checkMissing(names, got, scope.AllowMissing); err != nil {
		return nil, err
	}
	e.setSecrets(names, got, ref)
	e.attachCredentials(ref, got)

	e.resolve()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("resolving %s: %w", path, err)
	}
	if e.limit != nil {
		return e.rs, e.limit
	}
	if len(e.rs.Errors) > 0 {
		return e.rs, e.rs.Errors
	}
	return e.rs, nil
}

// newEvalState starts the resolution of the step sp: the result, its slabs
// and the scope's variables.
func (p *Plan) newEvalState(ctx context.Context, sp *stepPlan, path string, scope Scope) *evalState {
	e := &evalState{
		ctx: ctx, p: p, sp: sp, red: p.r.red,
		rs: &ResolvedStep{Path: path, Kind: sp.step.Kind(), red: p.r.red},
	}
	e.rs.tree = &e.rs.root
	e.rs.root.members = e.rs.rootMembers[:0]
	e.path = e.pathBuf[:0]
	if sp.nLeaves > 0 {
		e.leaves = make([]leaf, 0, sp.nLeaves)
	}
	if sp.nMaps > 0 {
		e.objs = make([]Object, 0, sp.nMaps)
		e.members = make([]member, 0, sp.nMembers)
	}
	e.setScope(scope)
	return e
}

// providerKeyName returns the model of a prompt step and the name of its
// provider's key secret, known before fetching ("" for other steps, or
// when the resolver uses no provider keys).
func (e *evalState) providerKeyName() (model, keyName string) {
	ps, ok := e.sp.step.(*steps.PromptStep)
	if !ok || !e.p.r.providerKeys {
		return "", ""
	}
	model, keyName = e.promptModel(ps)
	e.model = model
	return model, keyName
}

// fetch fetches names (sorted) in one batch.
func (e *evalState) fetch(developerID string, names []string) (map[string]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	return e.p.r.src.Fetch(e.ctx, developerID, names)
}

// providerKey decides, with providers.InjectKey, where the key of the
// prompt step's model comes from: the fetched developer secret keyName,
// else the environment (WithProviderEnvFallback), whose value is then
// added to got under keyName. It returns nil when the step has no
// provider key.
func (e *evalState) providerKey(model, keyName string, got map[string]string) (*providers.KeyRef, map[string]string) {
	if keyName == "" {
		return nil, got
	}
	r := e.p.r
	exists := func(_ context.Context, name string) (bool, error) {
		_, ok := got[name]
		return ok, nil
	}
	var opts []providers.InjectOption
	if r.envLookup != nil {
		opts = append(opts, providers.WithEnvFallback(r.envLookup))
	}
	ref, err := providers.InjectKey(e.ctx, model, exists, opts...)
	if err != nil && !errors.Is(err, providers.ErrMissingKey) {
		// promptModel checked the model; keep the name it found
		ref = providers.KeyRef{Model: providers.Normalize(model), SecretName: keyName, Source: providers.SourceSecret}
	}
	ref.SecretName = keyName
	if ref.Source == providers.SourceEnv {
		if v, ok := r.envLookup(ref.EnvVar); ok && v != "" {
			if got == nil {
				got = map[string]string{}
			}
			got[keyName] = v
		}
	}
	return &ref, got
}

// checkMissing records the names that were not fetched: a
// *MissingSecretsError, or (allowMissing) fields marked missing.
func (e *evalState) checkMissing(names []string, got map[string]string, allowMissing bool) error {
	var miss missingSet
	for _, n := range names {
		if _, ok := got[n]; !ok {
			if miss == nil {
				miss = missingSet{}
				e.missing = map[string]bool{}
			}
			miss.add(n, e.sp.path)
			e.missing[n] = true
		}
	}
	if len(miss) > 0 && !allowMissing {
		return miss.err()
	}
	if len(e.missing) > 0 {
		e.rs.Missing = sortedKeys(e.missing)
	}
	return nil
}

// setSecrets builds the secrets variable and the fetched list, registers
// every value with the redactor and lists the step's secrets (a provider
// key from the environment is not one of them). names is sorted: the dict
// and the lists come out in name order.
func (e *evalState) setSecrets(names []string, got map[string]string, ref *providers.KeyRef) {
	secDict := engine.NewDict(len(got))
	e.fetched = make([]fetched, 0, len(got))
	if len(got) > 0 {
		e.rs.Secrets = make([]string, 0, len(got))
	}
	for _, n := range names {
		v, ok := got[n]
		if !ok {
			continue
		}
		e.red.Add(n, v)
		_ = secDict.SetStr(n, v) // a string: never refused
		e.fetched = append(e.fetched, fetched{name: n, value: v})
		if ref == nil || n != ref.SecretName || ref.Source == providers.SourceSecret {
			e.rs.Secrets = append(e.rs.Secrets, n)
		}
	}
	e.vars["secrets"] = secDict.Value()
	e.secDict = secDict
	marks := engine.NewDict(len(e.fetched))
	for _, f := range e.fetched {
		_ = marks.SetStr(f.name, redact.MaskFor(f.name)) // a string: never refused
	}
	e.dvars = map[string]any{"secrets": marks.Value()}
}

// attachCredentials attaches the provider key and the step's secret_name
// and secrets: credentials.
func (e *evalState) attachCredentials(ref *providers.KeyRef, got map[string]string) {
	if ref != nil {
		e.rs.ProviderKey = ref
		if v, ok := got[ref.SecretName]; ok {
			e.rs.apiKey = &Credential{Param: "api_key", Name: ref.SecretName, Source: ref.Source, value: v}
		}
	}
	for _, c := range e.sp.creds {
		if v, ok := got[c.name]; ok {
			e.rs.creds = append(e.rs.creds, Credential{Param: c.param, Name: c.name, Source: providers.SourceSecret, value: v})
		}
	}
}

// evalState is one step's resolution.
type evalState struct {
	ctx     context.Context
	p       *Plan
	sp      *stepPlan
	red     *redact.Redactor
	rs      *ResolvedStep
	vars    map[string]any
	secDict *engine.Dict // the secrets dict (the only variable of a tool's spec)
	// sens are the sensitive variables: secrets (its members), variables
	// computed from secrets (Scope.Tainted, template variables, input)
	sens map[string]engine.Sensitivity
	// dvars are the values displays are computed with: secrets as marks,
	// variables computed by whole insertion as their displays
	dvars map[string]any
	// budget is the step's work budget, shared the scope's (nil: none)
	budget, shared *engine.Budget
	// limit is set once a budget is spent: the fields left are not
	// evaluated
	limit   *LimitError
	unknown map[string]bool // nil when none
	partial map[string]bool // nil when none
	missing map[string]bool // nil when none
	fetched []fetched       // the fetched secrets, by name
	model   string          // the prompt step's model, as written (or the agent's)
	// missingVars are template variables that need missing secrets (nil
	// when none)
	missingVars map[string][]string
	// path is the place in the step of the field being evaluated (see at),
	// in pathBuf unless it grows past it.
	path    []byte
	pathBuf [96]byte
	// leaves, objs and members are slabs sized by Prepare for the step's
	// scalar fields and maps (one allocation each per step).
	leaves  []leaf
	objs    []Object
	members []member
}

// fetched is one secret fetched for the step.
type fetched struct{ name, value string }

// setUnknown marks a variable as not known yet.
func (e *evalState) setUnknown(name string) {
	if e.unknown == nil {
		e.unknown = map[string]bool{}
	}
	e.unknown[name] = true
}

// setScope converts, once per step, only the variables the step reads (and
// agent, for the model of a prompt step); values already in the engine's
// model (engine.FromGo of them) are used as they are.
func (e *evalState) setScope(s Scope) {
	e.vars = make(map[string]any, len(e.sp.free)+2)
	for k, v := range s.Vars {
		if k == "secrets" {
			continue
		}
		if !e.sp.free[k] && k != "agent" {
			continue // not read by this step: no conversion
		}
		if pv, err := engine.FromGo(v); err == nil {
			e.vars[k] = pv
		} else {
			e.vars[k] = v
		}
	}
	e.unknown = setOf(s.Unknown)
	e.partial = setOf(s.Partial)
	e.sens = make(map[string]engine.Sensitivity, len(s.Tainted)+1)
	e.sens["secrets"] = engine.SensitiveMembers
	for _, n := range s.Tainted {
		if n != "secrets" {
			e.sens[n] = engine.SensitiveOpaque
		}
	}
	e.shared = s.Budget
	if max := e.p.r.maxStepOps; max > 0 {
		e.budget = engine.NewBudget(max)
	}
}

// setOf returns xs as a set (nil when empty).
func setOf(xs []string) map[string]bool {
	if len(xs) == 0 {
		return nil
	}
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// promptModel returns the model of a prompt step (its field, else the
// agent's) and the provider secret name, before secrets are fetched.
func (e *evalState) promptModel(ps *steps.PromptStep) (model, key string) {
	if e.sp.staticKey != "" {
		lit, _ := literalModel(ps.Model)
		return lit, e.sp.staticKey
	}
	if e.sp.modelErr != nil {
		e.fail("model", ps.Model, ps.Model.Raw, e.sp.modelErr.Error())
		return "", ""
	}
	if ps.Model != nil && ps.Model.Field != nil {
		if slices.Contains(ps.Model.Field.FreeNames(), "secrets") {
			e.fail("model", ps.Model, ps.Model.Raw, "the model must not depend on secrets")
			return "", ""
		}
		e.setAt("model")
		l := e.value(ps.Model, e.vars)
		s, ok := l.value.(string)
		if !ok || l.deferred != "" || l.failed != "" {
			return "", ""
		}
		model = s
	} else if agent, ok := e.vars["agent"]; ok && !e.unknown["agent"] {
		if d, ok := engine.AsDict(agent); ok {
			if m, ok := d.GetStr("model"); ok {
				model, _ = m.(string)
			}
		}
	}
	if model == "" {
		return "", ""
	}
	k, err := providers.KeyFor(model)
	if err != nil {
		at := &steps.Value{}
		if ps.Model != nil {
			at = ps.Model
		}
		e.fail("model", at, model, err.Error())
		return model, ""
	}
	return model, k
}

// fail records an evaluation error at v. The message goes through the
// redactor too (the last line of defense; messages of fields over secrets
// are hidden before they get here).
func (e *evalState) fail(at string, v *steps.Value, expr, msg string) *leaf {
	pos := ""
	if v != nil && v.At.Line > 0 {
		pos = v.At.String()
	}
	ee := &EvalError{Path: e.sp.path, At: at, Pos: pos, Message: e.red.Redact(msg), Expr: expr}
	e.rs.Errors = append(e.rs.Errors, ee)
	return &leaf{failed: ee.Message, deferred: expr}
}

// setAt starts the field path (e.at) at root.
func (e *evalState) setAt(root string) { e.path = append(e.path[:0], root...) }

// at returns the path of the field being evaluated inside the step
// (arguments.headers.Authorization); it allocates, so it is called only
// for errors and deferred fields.
func (e *evalState) at() string { return string(e.path) }

// newLeaf returns a leaf from the step's slab (one allocation per step).
func (e *evalState) newLeaf(l leaf) *leaf {
	if len(e.leaves) < cap(e.leaves) {
		e.leaves = append(e.leaves, l)
		return &e.leaves[len(e.leaves)-1]
	}
	p := new(leaf)
	*p = l
	return p
}

// newObject returns an empty object with room for n members, from the
// step's slabs (sized by Prepare) while they last.
func (e *evalState) newObject(n int) *Object {
	var o *Object
	if len(e.objs) < cap(e.objs) {
		e.objs = append(e.objs, Object{})
		o = &e.objs[len(e.objs)-1]
	} else {
		o = new(Object)
	}
	if len(e.members)+n <= cap(e.members) {
		k := len(e.members)
		e.members = e.members[:k+n]
		o.members = e.members[k : k : k+n] // full slice: growing it copies
	} else if n > 0 {
		o.members = make([]member, 0, n)
	}
	return o
}

// value evaluates one scalar field; e.path is its place in the step. A
// field that reads sensitive variables (secrets, or variables computed from
// them) keeps its real value for Value and gets a display computed without
// the values (see display); its errors hide their message.
func (e *evalState) value(v *steps.Value, vars map[string]any) *leaf {
	if v == nil {
		return e.newLeaf(leaf{})
	}
	f := v.Field
	if f == nil || !v.Evaluated {
		return e.newLeaf(leaf{value: literal(v)})
	}
	if lit, ok := f.Literal(); ok && f.Kind() == engine.FieldLiteral {
		return e.newLeaf(leaf{value: lit})
	}
	free := f.FreeNames()
	if l := e.notReady(v, free); l != nil {
		return l
	}
	sensitive := e.readsSensitive(free)
	if sensitive {
		e.rs.sensitive = true
	}
	if e.limit != nil {
		return e.newLeaf(leaf{failed: "LimitError: not evaluated (" + e.limit.Error() + ")", deferred: v.Raw, tainted: sensitive})
	}
	out, err := e.eval(f, vars)
	if err != nil {
		return e.evalFailed(v, free, sensitive, err)
	}
	g := engine.ToGo(out)
	if !sensitive {
		return e.newLeaf(leaf{value: g})
	}
	l := e.newLeaf(leaf{value: g, tainted: true})
	e.display(l, f, free, vars)
	if !l.whole {
		// a value transformed from secrets: the redactor masks it too, as
		// the last line of defense (logs, output of tools); whole
		// insertions hold only the registered values themselves
		registerTainted(g, e.red)
	}
	return l
}

// notReady returns the leaf of a field that cannot be evaluated yet: it
// needs missing secrets (directly or through a template variable), or
// reads a variable not known yet; nil otherwise.
func (e *evalState) notReady(v *steps.Value, free []string) *leaf {
	f := v.Field
	if len(e.missing) > 0 && slices.Contains(free, "secrets") {
		keys, _ := f.Refs("secrets")
		var miss []string
		for _, k := range keys {
			if e.missing[k] {
				miss = append(miss, k)
			}
		}
		if len(miss) > 0 {
			return e.newLeaf(leaf{missing: miss, deferred: v.Raw})
		}
	}
	var viaVars []string
	for _, n := range free {
		viaVars = append(viaVars, e.missingVars[n]...)
	}
	if len(viaVars) > 0 {
		return e.newLeaf(leaf{missing: viaVars, deferred: v.Raw})
	}
	for _, n := range free {
		if e.unknown[n] {
			e.rs.Deferred = append(e.rs.Deferred, Deferred{At: e.at(), Expression: v.Raw})
			return e.newLeaf(leaf{deferred: v.Raw})
		}
	}
	return nil
}

// eval evaluates f under the step's budget and the scope's shared one; a
// panic becomes errPanic.
func (e *evalState) eval(f *engine.Field, vars map[string]any) (any, error) {
	return safeCall(func() (any, error) { return f.EvalBudget(e.ctx, vars, e.budget, e.shared) })
}

// safeCall calls fn, turning a panic into errPanic (the panic's value may
// hold a secret, so it is dropped).
func safeCall(fn func() (any, error)) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, errPanic
		}
	}()
	return fn()
}

// evalFailed returns the leaf of a field whose evaluation failed: deferred
// when the context is done or the field reads a variable known only in
// part; else an error, whose message is hidden when the field reads
// sensitive variables (the kind, the field and the expression's position
// are shown).
func (e *evalState) evalFailed(v *steps.Value, free []string, sensitive bool, err error) *leaf {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return e.newLeaf(leaf{deferred: v.Raw})
	}
	if errors.Is(err, engine.ErrBudgetSpent) {
		e.limit = e.limitError()
		l := e.fail(e.at(), v, v.Raw, e.limit.Error())
		l.tainted = sensitive
		return l
	}
	for _, n := range free {
		if e.partial[n] {
			e.rs.Deferred = append(e.rs.Deferred, Deferred{At: e.at(), Expression: v.Raw})
			return e.newLeaf(leaf{deferred: v.Raw})
		}
	}
	kind := engine.KindInternal
	var ee *engine.Error
	if errors.As(err, &ee) {
		kind = ee.Kind
	}
	if sensitive {
		l := e.fail(e.at(), v, v.Raw, hiddenMessage(kind, e.sensitiveReads(v.Field, free)))
		l.tainted = true
		return l
	}
	msg := err.Error()
	if ee != nil {
		msg = ee.Kind + ": " + ee.Msg
	}
	l := e.fail(e.at(), v, v.Raw, msg)
	if ee != nil && ee.Line > 0 {
		e.rs.Errors[len(e.rs.Errors)-1].Pos = v.PosAt(ee.Offset).String()
	}
	return l
}

// literal returns a scalar that is not evaluated, typed by its YAML tag.
func literal(v *steps.Value) any {
	switch v.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(v.Raw))
		if err == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(v.Raw, 0, 64); err == nil {
			return i
		}
	case "!!float":
		if f, err := strconv.ParseFloat(v.Raw, 64); err == nil {
			return f
		}
	}
	return v.Raw
}

// data evaluates a value tree whose place in the step is at
// (arguments, tool.api_call, template_variables.x…).
func (e *evalState) data(d steps.Data, at string, vars map[string]any) any {
	e.setAt(at)
	return e.walk(d, vars)
}

// walk evaluates a value tree at e.path, extending the path for its
// members (restored on return), so that no path string is built unless a
// field fails or is deferred.
func (e *evalState) walk(d steps.Data, vars map[string]any) any {
	switch x := d.(type) {
	case *steps.Value:
		if x == nil {
			return nil
		}
		return e.value(x, vars)
	case *steps.Map:
		if x == nil {
			return nil
		}
		o := e.newObject(len(x.Entries))
		n := len(e.path)
		for _, en := range x.Entries {
			if n > 0 {
				e.path = append(e.path, '.')
			}
			e.path = append(e.path, en.Key.Raw...)
			v := e.walk(en.Value, vars)
			e.path = e.path[:n]
			o.Set(en.Key.Raw, v)
		}
		return o
	case *steps.List:
		if x == nil {
			return nil
		}
		out := make([]any, len(x.Items))
		n := len(e.path)
		for i, it := range x.Items {
			e.path = append(e.path, '[')
			e.path = strconv.AppendInt(e.path, int64(i), 10)
			e.path = append(e.path, ']')
			out[i] = e.walk(it, vars)
			e.path = e.path[:n]
		}
		return out
	}
	return nil
}

// reveal returns the real value of an evaluated tree (for use as a
// variable), and whether any part was computed from secrets.
func reveal(v any) (any, bool) {
	switch x := v.(type) {
	case *leaf:
		return x.value, x.tainted || x.secret != ""
	case *Object:
		m := make(map[string]any, len(x.members))
		t := false
		for _, mb := range x.members {
			var tt bool
			m[mb.key], tt = reveal(mb.val)
			t = t || tt
		}
		return m, t
	case []any:
		out := make([]any, len(x))
		t := false
		for i, it := range x {
			var tt bool
			out[i], tt = reveal(it)
			t = t || tt
		}
		return out, t
	}
	return v, false
}

// resolve fills e.rs.tree by step kind.
func (e *evalState) resolve() {
	o := e.rs.tree
	switch st := e.sp.step.(type) {
	case *steps.ToolCallStep:
		e.toolCall(st, o)
	case *steps.PromptStep:
		e.prompt(st, o)
	case *steps.TransformStep:
		in := e.data(st.Input, "input", e.vars)
		o.Set("input", in)
		vars := e.vars
		if st.Input != nil {
			iv, t := reveal(in)
			if pv, err := engine.FromGo(iv); err == nil {
				vars = cloneVars(e.vars)
				vars["input"] = pv
				if t {
					e.markVar("input", in)
				}
			}
		}
		o.Set("value", e.data(st.Expression, "expression", vars))
		if st.Output != nil {
			o.Set("output", st.Output.Raw)
		}
	case *steps.EvaluateStep:
		o.Set("evaluate", e.data(st.Values, "evaluate", e.vars))
	case *steps.SetStep:
		o.Set("set", e.data(st.Values, "set", e.vars))
	case *steps.ReturnStep:
		o.Set("return", e.data(st.Values, "return", e.vars))
	case *steps.LogStep:
		o.Set("log", e.data(st.Message, "log", e.vars))
	case *steps.ErrorStep:
		o.Set("error", e.data(st.Message, "error", e.vars))
	case *steps.GetStep:
		o.Set("get", st.Key.String())
	case *steps.SleepStep:
		o.Set("seconds", st.TotalSeconds)
	case *steps.YieldStep:
		o.Set("workflow", st.Workflow.String())
		if st.Arguments != nil {
			o.Set("arguments", e.data(st.Arguments, "arguments", e.vars))
		}
	case *steps.WaitForInputStep:
		o.Set("info", e.data(mapData(st.Info), "info", e.vars))
	case *steps.IfElseStep:
		o.Set("if", e.condition(e.data(st.If, "if", e.vars)))
	case *steps.SwitchStep:
		var cases []any
		for i, c := range st.Cases {
			if c.Default {
				cases = append(cases, "_")
				continue
			}
			cases = append(cases, e.condition(e.data(c.Case, fmt.Sprintf("switch[%d].case", i), e.vars)))
		}
		o.Set("cases", cases)
	case *steps.ForeachStep:
		o.Set("in", e.condition(e.data(st.In, "in", e.vars)))
	case *steps.MapReduceStep:
		o.Set("over", e.condition(e.data(st.Over, "over", e.vars)))
		if st.Reduce != nil {
			o.Set("reduce", st.Reduce.Raw)
		}
		if st.Initial != nil {
			o.Set("initial", e.data(st.Initial, "initial", e.vars))
		}
		if st.Parallelism != nil {
			o.Set("parallelism", literal(st.Parallelism))
		}
	case *steps.ParallelStep:
		o.Set("steps", len(st.Steps))
	}
}

func cloneVars(v map[string]any) map[string]any {
	out := make(map[string]any, len(v)+1)
	for k, x := range v {
		out[k] = x
	}
	return out
}

// toolCall resolves a tool_call: the tool's spec (only secrets in scope)
// merged with the step's arguments, and the step's credentials.
func (e *evalState) toolCall(st *steps.ToolCallStep, o *Object) {
	o.Set("tool", st.Tool.String())
	if st.Operation != nil {
		o.Set("operation", st.Operation.Raw)
	}
	var args any
	if st.Arguments != nil {
		args = e.data(st.Arguments, "arguments", e.vars)
	}
	t := e.sp.tool
	if t == nil {
		if args != nil {
			o.Set("arguments", args)
		}
	} else {
		o.Set("type", t.Type)
		var spec *Object
		if t.Type != "function" { // a function's spec (its JSON schema) is not part of the call
			// A tool's spec sees only secrets.
			spec, _ = e.data(t.Spec, "tool."+t.Type, map[string]any{"secrets": e.secDict}).(*Object)
		}
		if spec == nil {
			spec = NewObject()
		}
		argObj, _ := args.(*Object)
		switch t.Type {
		case "api_call":
			mergeAPICall(o, spec, argObj, args)
		case "integration", "system":
			for _, mb := range spec.members {
				if mb.key != "arguments" {
					o.Set(mb.key, mb.val)
				}
			}
			merged := NewObject()
			if sa, ok := spec.get("arguments").(*Object); ok {
				for _, mb := range sa.members {
					merged.Set(mb.key, mb.val)
				}
			}
			if argObj != nil {
				for _, mb := range argObj.members {
					merged.Set(mb.key, mb.val)
				}
			} else if args != nil {
				o.Set("arguments", args)
			}
			if args == nil || argObj != nil {
				o.Set("arguments", merged)
			}
		default:
			if args != nil {
				o.Set("arguments", args)
			}
		}
	}
	if len(e.sp.creds) > 0 {
		c := NewObject()
		for _, cr := range e.sp.creds {
			if e.missing[cr.name] {
				c.Set(cr.param, &leaf{missing: []string{cr.name}})
				continue
			}
			for _, cc := range e.rs.creds {
				if cc.Param == cr.param {
					c.Set(cr.param, cc)
				}
			}
		}
		o.Set("credentials", c)
	}
}

// mergeAPICall lays out an api_call as it would be sent: every key of the
// tool's spec; the step's arguments override them, except headers, which
// are merged with the tool's headers winning (as in Julep), and params,
// merged key by key with the step's winning.
func mergeAPICall(o, spec, argObj *Object, args any) {
	order := []string{"method", "url", "headers", "params", "json", "data", "content", "files", "cookies", "timeout", "follow_redirects"}
	keys := append([]string(nil), order...)
	for _, k := range spec.Keys() {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if argObj != nil {
		for _, k := range argObj.Keys() {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	for _, k := range keys {
		if k == "secrets" || k == "schema" || k == "params_schema" {
			continue
		}
		sv, sok := spec.Get(k)
		var av any
		aok := false
		if argObj != nil {
			av, aok = argObj.Get(k)
		}
		switch {
		case k == "headers" || k == "params":
			so, _ := sv.(*Object)
			ao, _ := av.(*Object)
			if so == nil && ao == nil {
				if aok {
					o.Set(k, av)
				} else if sok {
					o.Set(k, sv)
				}
				continue
			}
			first, second := ao, so // headers: the tool's win
			if k == "params" {
				first, second = so, ao // params: the step's win
			}
			m := NewObject()
			for _, x := range []*Object{first, second} {
				if x == nil {
					continue
				}
				for _, mb := range x.members {
					m.Set(mb.key, mb.val)
				}
			}
			o.Set(k, m)
		case aok:
			o.Set(k, av)
		case sok:
			o.Set(k, sv)
		}
	}
	if argObj == nil && args != nil {
		o.Set("arguments", args)
	}
}

// prompt resolves a prompt step: model, template variables (evaluated
// first, then in scope for the prompt), the prompt or its messages, and the
// settings.
func (e *evalState) prompt(st *steps.PromptStep, o *Object) {
	if e.model != "" {
		o.Set("model", e.model)
	} else if st.Model != nil {
		o.Set("model", e.data(st.Model, "model", e.vars))
	}
	vars := e.vars
	if st.TemplateVariables != nil {
		tv := NewObject()
		vars = cloneVars(e.vars)
		for _, en := range st.TemplateVariables.Entries {
			val := e.data(en.Value, "template_variables."+en.Key.Raw, e.vars)
			tv.Set(en.Key.Raw, val)
			rv, t := reveal(val)
			if l, ok := val.(*leaf); ok && len(l.missing) > 0 {
				if e.missingVars == nil {
					e.missingVars = map[string][]string{}
				}
				e.missingVars[en.Key.Raw] = l.missing
			} else if ok && (l.deferred != "" || l.failed != "") {
				e.setUnknown(en.Key.Raw)
			}
			if pv, err := engine.FromGo(rv); err == nil {
				vars[en.Key.Raw] = pv
			}
			if t {
				e.markVar(en.Key.Raw, val)
			}
		}
		o.Set("template_variables", tv)
	}
	if len(st.Messages) > 0 {
		msgs := make([]any, len(st.Messages))
		for i, m := range st.Messages {
			mo := NewObject()
			at := fmt.Sprintf("prompt[%d]", i)
			mo.Set("role", e.data(m.Role, at+".role", vars))
			mo.Set("content", e.data(m.Content, at+".content", vars))
			msgs[i] = mo
		}
		o.Set("messages", msgs)
	} else if st.Prompt != nil {
		o.Set("prompt", e.data(st.Prompt, "prompt", vars))
	}
	if st.Settings != nil {
		o.Set("settings", e.data(st.Settings, "settings", e.vars))
	}
	for _, kv := range []struct {
		k string
		v *steps.Value
	}{{"unwrap", st.Unwrap}, {"auto_run_tools", st.AutoRunTools}, {"disable_cache", st.DisableCache}} {
		if kv.v != nil {
			o.Set(kv.k, literal(kv.v))
		}
	}
	if e.rs.apiKey != nil {
		c := NewObject()
		c.Set("api_key", *e.rs.apiKey)
		o.Set("credentials", c)
	} else if k := e.rs.ProviderKey; k != nil && e.missing[k.SecretName] {
		c := NewObject()
		c.Set("api_key", &leaf{missing: []string{k.SecretName}})
		o.Set("credentials", c)
	}
}

// get returns the value of key or nil.
func (o *Object) get(key string) any {
	v, _ := o.Get(key)
	return v
}
