package steps

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity is how serious a finding is.
type Severity int

// The severities, from most to least serious. Only SeverityError makes a
// task invalid; warnings and notes are advice.
const (
	SeverityError Severity = iota
	SeverityWarning
	SeverityNote
)

// String returns "error", "warning" or "note".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityNote:
		return "note"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText renders the severity as its name (for JSON output).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// The values of Error.Type: the class of a finding, stable for tools.
const (
	TypeSyntax      = "yaml_syntax"   // the file is not valid YAML (or not UTF-8, empty, too big)
	TypeUnknownKey  = "unknown_key"   // a key that the place does not define
	TypeUnknownKind = "unknown_kind"  // a step whose kind cannot be determined
	TypeWrongType   = "wrong_type"    // a list where a map belongs, a number where a string belongs...
	TypeDuplicate   = "duplicate_key" // the same key twice in one mapping
	TypeMissing     = "missing_field" // a required field is absent
	TypeInvalid     = "invalid_value" // a value out of range or not matching its pattern
	TypeExpression  = "expression"    // an expression that does not compile
	TypeUndefined   = "undefined"     // a workflow or tool that is not defined
	TypeScope       = "scope"         // a name not in scope for the expression
	TypeSecret      = "secret"        // secret usage advice (a secret sent to an LLM)
	TypeStrict      = "strict"        // a construct Julep itself rejects (validate --strict)
	TypeSemantics   = "semantics"     // a difference between Julep and us (switch default)
	TypeLimit       = "limit"         // a loader limit was exceeded
)

// Error is one finding about a task file: a problem (SeverityError) or a piece
// of advice (warning, note), with its place.
type Error struct {
	File     string   // the file name given to Parse or Load
	Line     int      // 1-based line (0 when unknown)
	Column   int      // 1-based column, counted in runes (0 when unknown)
	Path     string   // step path (main[2].then, steps[1]...) or "" outside steps
	Location string   // Julep's location form: workflows.main.steps[2].evaluate.x
	Msg      string   // the message, without position or severity
	Severity Severity // error, warning or note
	Type     string   // class of the finding: one of the Type constants
}

// Error renders the finding as "FILE:LINE:COL: severity: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, max(e.Column, 1))
	}
	b.WriteString(": ")
	b.WriteString(e.Severity.String())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Path != "" {
		fmt.Fprintf(&b, " (in %s)", e.Path)
	}
	return b.String()
}

// Errors is the list of findings of one task file, sorted by position. As an
// error it holds the error-severity findings of Parse or Load.
type Errors []*Error

// Error renders one finding per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns each finding, so errors.As can reach a *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Sort orders the findings by file, line, column, then severity and message.
func (es Errors) Sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// Filter returns the findings of severity sev.
func (es Errors) Filter(sev Severity) Errors {
	var out Errors
	for _, e := range es {
		if e.Severity == sev {
			out = append(out, e)
		}
	}
	return out
}

// HasErrors reports whether any finding has SeverityError.
func (es Errors) HasErrors() bool {
	for _, e := range es {
		if e.Severity == SeverityError {
			return true
		}
	}
	return false
}
