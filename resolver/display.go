package resolver

import (
	"errors"
	"fmt"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/redact"
)

// errPanic replaces a panic of an evaluation: the panic's value may hold a
// secret, so it is dropped.
var errPanic = errors.New("InternalError: the expression could not be evaluated (internal error)")

// hiddenMessage is the message of a failed field that reads sensitive
// variables: the kind only, and what it reads (names, never values).
func hiddenMessage(kind, reads string) string {
	return kind + " (message hidden: the expression reads " + reads + ")"
}

// readsSensitive reports whether a field reading free reads a sensitive
// variable.
func (e *evalState) readsSensitive(free []string) bool {
	for _, n := range free {
		if e.sens[n] != 0 {
			return true
		}
	}
	return false
}

// sensitiveReads names what a field reads that is sensitive:
// "secrets.api_key, token (computed from secrets)".
func (e *evalState) sensitiveReads(f *engine.Field, free []string) string {
	var parts []string
	for _, n := range free {
		switch e.sens[n] {
		case 0:
		case engine.SensitiveMembers:
			keys, _ := f.Refs(n)
			if len(keys) == 0 {
				parts = append(parts, n)
			}
			for _, k := range keys {
				parts = append(parts, n+"."+k)
			}
		default:
			parts = append(parts, n+" (computed from secrets)")
		}
	}
	return strings.Join(parts, ", ")
}

// flow returns how sensitive values reach the field's result; the common
// case (only secrets are sensitive) was computed by Prepare.
func (e *evalState) flow(f *engine.Field, free []string) engine.Flow {
	only := true
	for _, n := range free {
		if n != "secrets" && e.sens[n] != 0 {
			only = false
		}
	}
	if only {
		if fl, ok := e.sp.flows[f]; ok {
			return fl
		}
	}
	return f.Flow(e.sens)
}

// display sets the display of a field over sensitive values, computed
// without the values: a field that only inserts them whole (engine
// FlowWhole) is evaluated again with each secret replaced by its mark
// ("[REDACTED:name]") and each variable computed by whole insertion by its
// own display; any other field is one redact.Mask.
func (e *evalState) display(l *leaf, f *engine.Field, free []string, vars map[string]any) {
	l.display = redact.Mask
	if e.flow(f, free) != engine.FlowWhole {
		return
	}
	dv := make(map[string]any, len(free))
	for _, n := range free {
		if d, ok := e.dvars[n]; ok {
			dv[n] = d
		} else if x, ok := vars[n]; ok {
			dv[n] = x
		}
	}
	out, err := e.eval(f, dv)
	if err != nil {
		// a mark is longer than a short value: a limit may be hit by the
		// display only; the field is then shown as one mask
		if errors.Is(err, engine.ErrBudgetSpent) {
			e.limit = e.limitError()
		}
		return
	}
	d := engine.ToGo(out)
	l.display, l.whole = d, true
	if name := exactSecret(f); name != "" && d == redact.MaskFor(name) {
		l.secret = name
	}
}

// exactSecret returns NAME when the field is exactly the expression
// secrets.NAME (or secrets["NAME"]), "" otherwise.
func exactSecret(f *engine.Field) string {
	if f.Kind() != engine.FieldExpression {
		return ""
	}
	keys, dynamic := f.Refs("secrets")
	if dynamic || len(keys) != 1 {
		return ""
	}
	src := strings.Join(strings.Fields(f.Program().Source()), "")
	k := keys[0]
	if src == "secrets."+k || src == `secrets["`+k+`"]` || src == "secrets['"+k+"']" {
		return k
	}
	return ""
}

// markVar marks a variable computed by the step (a template variable, a
// transform's input) from sensitive values: a str computed by whole
// insertion is displayed in the fields that insert it whole (it becomes
// SensitiveWhole, its display the value they are computed with), anything
// else makes every field reading it one mask (SensitiveOpaque).
func (e *evalState) markVar(name string, v any) {
	if l, ok := v.(*leaf); ok && l.whole {
		if d, ok := l.display.(string); ok {
			e.sens[name] = engine.SensitiveWhole
			e.dvars[name] = d
			return
		}
	}
	e.sens[name] = engine.SensitiveOpaque
	delete(e.dvars, name)
}

// condition hides the value of a condition over sensitive values (if,
// switch cases, foreach in, map_reduce over): it shows as one mask, so a
// display does not tell which way it went (a dry run resolves every
// branch); ResolvedStep.SecretCondition is set.
func (e *evalState) condition(v any) any {
	if l, ok := v.(*leaf); ok && l.tainted {
		e.rs.SecretCondition = true
		if l.failed == "" && len(l.missing) == 0 && l.deferred == "" {
			l.display, l.whole, l.secret = redact.Mask, false, ""
		}
	}
	return v
}

// limitError returns the error of a spent budget: the step's or the
// scope's shared one.
func (e *evalState) limitError() *LimitError {
	if e.shared != nil && e.shared.Max() > 0 && e.shared.Used() >= e.shared.Max() {
		return &LimitError{Path: e.sp.path, MaxOps: e.shared.Max(), Shared: true}
	}
	return &LimitError{Path: e.sp.path, MaxOps: e.budget.Max()}
}

// ErrLimit is wrapped by *LimitError (errors.Is).
var ErrLimit = errors.New("work budget spent")

// LimitError says that resolving a step spent its work budget
// (WithStepBudget, counted in the engine's work units, as
// engine.RuntimeLimits.MaxOps) or the budget the caller shares through
// Scope.Budget (a dry run's total). The step's fields after that point are
// not evaluated.
type LimitError struct {
	// Path is the step's path.
	Path string
	// MaxOps is the size of the budget that was spent.
	MaxOps int64
	// Shared is true when the spent budget is the scope's shared one.
	Shared bool
}

// Error names the step and the budget.
func (e *LimitError) Error() string {
	if e.Shared {
		return fmt.Sprintf("LimitError: resolving %s: the shared work budget of %d units is spent", e.Path, e.MaxOps)
	}
	return fmt.Sprintf("LimitError: resolving %s: the step's fields spent its work budget of %d units", e.Path, e.MaxOps)
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }
