package resolver

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrMissingSecret: a secret a step needs does not exist for the
	// developer. *MissingSecretsError wraps it once per name.
	ErrMissingSecret = errors.New("missing secret")
	// ErrUnknownStep: ResolveStep was given a path the task does not have.
	ErrUnknownStep = errors.New("unknown step path")
	// ErrInvalidTask: Prepare was given a task with errors.
	ErrInvalidTask = errors.New("invalid task")
	// ErrEval: an expression of the step failed to evaluate.
	ErrEval = errors.New("expression failed")
)

// MissingSecret is one missing secret name and the step paths that need it.
type MissingSecret struct {
	Name  string   `json:"name"`
	Paths []string `json:"paths"`
}

// MissingSecretsError lists every secret a task (or a step) needs that the
// developer does not have, with the step paths that need each one, sorted by
// name. It never holds a value.
type MissingSecretsError struct {
	Missing []MissingSecret
}

// Error lists the names and where they are needed.
func (e *MissingSecretsError) Error() string {
	var b strings.Builder
	if len(e.Missing) == 1 {
		b.WriteString("missing secret: ")
	} else {
		fmt.Fprintf(&b, "%d missing secrets: ", len(e.Missing))
	}
	for i, m := range e.Missing {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (needed by %s)", m.Name, strings.Join(m.Paths, ", "))
	}
	return b.String()
}

// Unwrap returns one error per missing name, each wrapping ErrMissingSecret,
// so errors.Is(err, ErrMissingSecret) holds.
func (e *MissingSecretsError) Unwrap() []error {
	out := make([]error, len(e.Missing))
	for i, m := range e.Missing {
		out[i] = fmt.Errorf("%w: %s (needed by %s)", ErrMissingSecret, m.Name, strings.Join(m.Paths, ", "))
	}
	return out
}

// Names returns the missing names.
func (e *MissingSecretsError) Names() []string {
	out := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		out[i] = m.Name
	}
	return out
}

// missingSet collects missing names and paths.
type missingSet map[string][]string

func (m missingSet) add(name, path string) {
	if !slices.Contains(m[name], path) {
		m[name] = append(m[name], path)
	}
}

func (m missingSet) err() error {
	if len(m) == 0 {
		return nil
	}
	e := &MissingSecretsError{}
	for _, n := range sortedKeys(m) {
		e.Missing = append(e.Missing, MissingSecret{Name: n, Paths: m[n]})
	}
	return e
}

// EvalError is an expression of a step that failed. Its message never holds
// a secret value: messages of expressions that read secrets are masked.
type EvalError struct {
	Path    string `json:"path"`    // step path
	At      string `json:"at"`      // field inside the step (arguments.headers.Authorization)
	Pos     string `json:"pos"`     // FILE:LINE:COL
	Message string `json:"message"` // masked
	Expr    string `json:"expression"`
}

// Error renders "FILE:LINE:COL: PATH AT: message".
func (e *EvalError) Error() string {
	return fmt.Sprintf("%s: %s %s: %s", e.Pos, e.Path, e.At, e.Message)
}

// Is makes errors.Is(err, ErrEval) true.
func (e *EvalError) Is(target error) bool { return target == ErrEval }

// StepErrors holds every evaluation error of one step.
type StepErrors []*EvalError

// Error renders one error per line.
func (es StepErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns each error.
func (es StepErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
